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
        hash = Hash(context.RequestServices.GetRequiredService<InstanceKey>(), context.Connection.RemoteIpAddress);
        context.Items[typeof(ClientAddress)] = hash;
        return hash;
    }

    /// <summary>
    /// An address as a person types it: IPv6 in any of its forms, IPv4 only as four decimal numbers. .NET also reads
    /// "010.0.0.1" as 8.0.0.1 (a leading zero is octal) and "10.1" as 10.0.0.1, which would ban a host nobody meant.
    /// </summary>
    public static bool TryParseTyped(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out System.Net.IPAddress? address) =>
        System.Net.IPAddress.TryParse(value, out address)
        && (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || address.ToString() == value);

    /// <summary>The hash an address is known by, the same for a comment's sender and for a ban a moderator types in.</summary>
    public static string Hash(InstanceKey key, System.Net.IPAddress? address)
    {
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
        return key.Hash("ip", address?.ToString() ?? "unknown");
    }
}
