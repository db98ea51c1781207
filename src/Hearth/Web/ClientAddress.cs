using Hearth.Storage;

namespace Hearth.Web;

/// <summary>The caller's network address, only ever as a keyed hash: Hearth never stores a raw IP.</summary>
public static class ClientAddress
{
    public static string IpHash(this HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(ClientAddress), out var cached) && cached is string hash)
        {
            return hash;
        }
        var key = context.RequestServices.GetRequiredService<InstanceKey>();
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }
        hash = key.Hash("ip", address?.ToString() ?? "unknown");
        context.Items[typeof(ClientAddress)] = hash;
        return hash;
    }
}
