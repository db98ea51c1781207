namespace Hearth.Sites;

/// <summary>Origins are compared as browsers send them: scheme://host[:port], lower case, no path.</summary>
public static class SiteOrigin
{
    public static bool TryNormalize(string? raw, out string origin)
    {
        origin = "";
        if (!Uri.TryCreate(raw?.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.PathAndQuery is not ("/" or "")
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
        return true;
    }
}
