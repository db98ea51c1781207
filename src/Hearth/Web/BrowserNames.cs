namespace Hearth.Web;

/// <summary>
/// "Chrome on Linux" from a User-Agent header: enough for a person to tell their sessions apart, and all Hearth keeps
/// of the header (the whole string, with its versions and build numbers, mostly helps to fingerprint people).
/// </summary>
public static class BrowserNames
{
    public const string Unknown = "Unknown browser";

    /// <summary>
    /// The order matters: most browsers name the engines they are compatible with too (Edge says Chrome and Safari,
    /// Chrome says Safari), so the more specific marks are looked for first.
    /// </summary>
    static readonly (string Mark, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("Edge/", "Edge"),
        ("OPR/", "Opera"), ("OPiOS/", "Opera"), ("Opera", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Vivaldi/", "Vivaldi"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Trident/", "Internet Explorer"), ("MSIE ", "Internet Explorer"),
        ("Safari/", "Safari"),
    ];

    static readonly (string Mark, string Name)[] Systems =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("iPod", "iPod"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"),
        ("Linux", "Linux"), ("X11", "Linux"),
    ];

    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent) || !userAgent.StartsWith("Mozilla/", StringComparison.Ordinal))
        {
            // Browsers all start so; what does not (curl, scripts, crawlers) is no browser a person would recognise.
            return Unknown;
        }
        var browser = Find(Browsers, userAgent);
        // Safari on an iPhone whose header was cut short may have lost its "Safari/" but keeps "Version/".
        browser ??= userAgent.Contains("AppleWebKit/", StringComparison.Ordinal) && userAgent.Contains("Version/", StringComparison.Ordinal) ? "Safari" : null;
        if (browser is null)
        {
            return Unknown;
        }
        return Find(Systems, userAgent) is { } system ? $"{browser} on {system}" : browser;
    }

    /// <summary>
    /// What the account page shows for a session: sessions keep only this description, but older ones kept the
    /// header itself (cut at 120 characters), which always has a "/" in it and a description never does.
    /// </summary>
    public static string Show(string? device) =>
        device is null ? Unknown : device.Contains('/', StringComparison.Ordinal) ? Describe(device) : device;

    static string? Find((string Mark, string Name)[] marks, string userAgent)
    {
        foreach (var (mark, name) in marks)
        {
            if (userAgent.Contains(mark, StringComparison.Ordinal))
            {
                return name;
            }
        }
        return null;
    }
}
