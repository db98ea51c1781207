namespace Hearth.Sites;

/// <summary>
/// Tells the server's owner, at Warning, about a page that embeds a site wrongly, with the command that fixes it.
/// Such a page asks again for every reader, and anyone can send these requests: at most a few warnings a minute are
/// written, so a flood cannot fill the disk.
/// </summary>
public sealed class SiteRefusalLog(ILogger<SiteRefusalLog> log, TimeProvider clock)
{
    public const int PerMinute = 10;

    readonly Lock _gate = new();
    long _minute = -1;
    int _written;

    public void UnknownSite(string name, string origin)
    {
        if (TryTake())
        {
            var shown = Printable(name);
            log.LogWarning("A page on {Origin} asked for the site '{Site}', which does not exist. Create it with: hearth sites add {Name} --origin {Allow}",
                Printable(origin), shown, shown, Printable(origin));
        }
    }

    public void OriginNotAllowed(Site site, string origin)
    {
        if (TryTake())
        {
            // `sites set --origin` replaces the list, so the hint keeps the origins the site already has.
            var keep = string.Concat(site.Origins.Select(o => " --origin " + o));
            log.LogWarning("A page on {Origin} asked for the site '{Site}', which does not allow that origin. Allow it with: hearth sites set {Name}{Keep} --origin {Allow}",
                Printable(origin), site.Name, site.Name, keep, Printable(origin));
        }
    }

    bool TryTake()
    {
        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (_gate)
        {
            if (minute != _minute)
            {
                _minute = minute;
                _written = 0;
            }
            return _written++ < PerMinute;
        }
    }

    /// <summary>Names and origins come from whoever sent the request: only short, plain text reaches the log.</summary>
    static string Printable(string text)
    {
        var plain = new string([.. text.Take(100).Select(c => char.IsControl(c) || c == ' ' ? '?' : c)]);
        return text.Length > 100 ? plain + "…" : plain;
    }
}
