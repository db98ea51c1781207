using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Hearth.Web;

/// <summary>
/// Who may tell Hearth a client's address. X-Forwarded-For is only a claim; believed from anyone, it lets every
/// client pick the address its rate limits, bans and votes count against. So it is honoured only from the reverse
/// proxies named in Hearth:KnownProxies and Hearth:KnownNetworks, or from this machine when none are named, and
/// only its last entry (the one that proxy added) is taken.
/// </summary>
public static class TrustedProxies
{
    /// <summary>The forwarded-headers options for these settings, or null when one of them is not an address or range.</summary>
    public static ForwardedHeadersOptions? Options(HearthOptions settings)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        var proxies = Split(settings.KnownProxies);
        var networks = Split(settings.KnownNetworks);
        if (proxies.Length + networks.Length == 0)
        {
            // ASP.NET Core's own default: 127.0.0.0/8 and ::1, a proxy on the same machine.
            return forwarded;
        }
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (!IPAddress.TryParse(proxy, out var address))
            {
                return null;
            }
            forwarded.KnownProxies.Add(address);
        }
        foreach (var network in networks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out var range))
            {
                return null;
            }
            forwarded.KnownIPNetworks.Add(range);
        }
        return forwarded;
    }

    static string[] Split(string? list) => (list ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
