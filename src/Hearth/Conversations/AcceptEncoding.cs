namespace Hearth.Conversations;

public enum ContentCoding
{
    Identity,
    Gzip,
    Brotli,
}

/// <summary>Picks brotli, then gzip, from an Accept-Encoding header, honouring q=0 refusals and the * wildcard.</summary>
public static class AcceptEncoding
{
    public static ContentCoding Choose(string header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return ContentCoding.Identity;
        }
        bool brotli = false, gzip = false, brotliRefused = false, gzipRefused = false, wildcard = false;
        foreach (var range in header.AsSpan().Split(','))
        {
            var item = header.AsSpan(range).Trim();
            var semicolon = item.IndexOf(';');
            var name = (semicolon < 0 ? item : item[..semicolon]).Trim();
            var refused = semicolon >= 0 && IsZeroQuality(item[(semicolon + 1)..]);
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase))
            {
                (brotli, brotliRefused) = (!refused, refused);
            }
            else if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                (gzip, gzipRefused) = (!refused, refused);
            }
            else if (name is "*")
            {
                wildcard = !refused;
            }
        }
        if (brotli || (wildcard && !brotliRefused))
        {
            return ContentCoding.Brotli;
        }
        if (gzip || (wildcard && !gzipRefused))
        {
            return ContentCoding.Gzip;
        }
        return ContentCoding.Identity;
    }

    static bool IsZeroQuality(ReadOnlySpan<char> parameters)
    {
        var p = parameters.Trim();
        if (!p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var value = p[2..].Trim();
        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) && q <= 0;
    }
}
