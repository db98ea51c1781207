using System.Text;

namespace Hearth.Conversations;

/// <summary>Where a thread lives: its normalised page URL and, when the host gives one, an explicit identifier that wins.</summary>
public readonly record struct ThreadAddress(string Url, string? Identifier)
{
    public const int MaxUrlLength = 2048;
    public const int MaxIdentifierLength = 200;

    public string Key => Identifier is null ? "u:" + Url : "i:" + Identifier;

    static readonly string[] TrackingPrefixes = ["utm_", "mc_"];
    static readonly HashSet<string> TrackingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "_ga", "_gl", "igshid", "mkt_tok",
    };

    /// <summary>
    /// Lower-cases scheme and host, drops the default port, the fragment, user info and tracking parameters,
    /// so the links people share of one page lead to one thread.
    /// </summary>
    public static string? NormalizeUrl(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > MaxUrlLength
            || !Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return null;
        }
        var builder = new StringBuilder(raw.Length);
        // IdnHost drops the brackets of an IPv6 address, which the URL needs.
        var host = uri.IdnHost.ToLowerInvariant();
        builder.Append(uri.Scheme).Append("://").Append(uri.HostNameType == UriHostNameType.IPv6 ? $"[{host}]" : host);
        if (!uri.IsDefaultPort)
        {
            builder.Append(':').Append(uri.Port);
        }
        builder.Append(uri.AbsolutePath);
        var kept = uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !IsTracking(pair.Split('=', 2)[0]))
            .ToList();
        if (kept.Count > 0)
        {
            builder.Append('?').AppendJoin('&', kept);
        }
        // The address is stored escaped, and escaping lengthens it ("é" is "%C3%A9"): the limit is on what is stored.
        return builder.Length > MaxUrlLength ? null : builder.ToString();
    }

    /// <summary>
    /// Whether a normalised page address lies under one of the site's origins (scheme, host and port). A thread
    /// belongs to a page of its site: otherwise anyone could open one for any address, with a title of their
    /// choosing, and Hearth's own no-JS page would link there.
    /// </summary>
    public static bool IsUnder(string url, IEnumerable<string> origins) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && Sites.SiteOrigin.TryNormalize(uri.GetLeftPart(UriPartial.Authority), out var origin)
        && origins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase));

    public static string? NormalizeIdentifier(string? raw)
    {
        var trimmed = raw?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    static bool IsTracking(string name) =>
        TrackingNames.Contains(name) || TrackingPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
