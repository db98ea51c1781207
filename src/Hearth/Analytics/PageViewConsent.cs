namespace Hearth.Analytics;

/// <summary>
/// A reader who asks not to be tracked (Do Not Track, or Global Privacy Control) is not counted at all, even though a
/// count carries nothing of them: the widget does not ask to count them, and the server checks the headers too.
/// </summary>
public static class PageViewConsent
{
    public static bool Declined(IHeaderDictionary headers) =>
        headers["DNT"].ToString() == "1" || headers["Sec-GPC"].ToString() == "1";
}
