using Hearth.Storage;

namespace Hearth.Web;

/// <summary>
/// The caller's network address, only ever as a keyed hash: Hearth never stores a raw IP. An IPv6 address counts by
/// its /64, the block one household or one server is usually given, so a single host cannot pass for thousands of
/// clients to get round limits and bans.
/// </summary>
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
        if (address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 })
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new System.Net.IPAddress(bytes);
        }
        hash = key.Hash("ip", address?.ToString() ?? "unknown");
        context.Items[typeof(ClientAddress)] = hash;
        return hash;
    }
}
