using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>
/// The link at the foot of every notification e-mail. A POST to it (a mail program's one-click unsubscribe, RFC 8058:
/// no cookie, no anti-forgery token, the signed token is the proof) stops that kind of e-mail for the person it names.
/// A GET only shows a page with the button: mail scanners open links, and opening must change nothing.
/// </summary>
public static class UnsubscribePage
{
    public static void MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/account/unsubscribe").ExcludeFromDescription();
        page.MapGet("", Show);
        page.MapPost("", UnsubscribeAsync).DisableAntiforgery();
    }

    static string What(string kind) => kind switch
    {
        Notification.Reply => "replies to your comments",
        Notification.FollowedPerson => "new comments by people you follow",
        MailPreference.Held => "what moderators decided about your held comments",
        Notification.Mention => "comments that mention you",
        _ => "new comments in conversations you follow",
    };

    static IResult Show(HttpContext http, UnsubscribeToken tokens, string? token)
    {
        if (tokens.Read(token) is not { } named)
        {
            return Refused(http);
        }
        return Page(http, "Stop e-mails", $"""
            <p>Stop e-mails about {E(What(named.Kind))}? They still reach your inbox on this site.</p>
            <form method="post" action="/account/unsubscribe?token={E(Uri.EscapeDataString(token!))}"><button type="submit">Stop these e-mails</button></form>
            """);
    }

    static async Task<IResult> UnsubscribeAsync(HttpContext http, UnsubscribeToken tokens, Storage.HearthDb db, string? token, CancellationToken ct)
    {
        if (tokens.Read(token) is not { } named)
        {
            return Refused(http);
        }
        await MailPreferences.SetAsync(db, named.UserId, named.Kind, MailPreference.Never, ct);
        return Page(http, "Unsubscribed", $"""
            <p>You will get no more e-mails about {E(What(named.Kind))}. You can change that on <a href="/account/inbox">your inbox page</a>.</p>
            """);
    }

    static IResult Refused(HttpContext http) => Page(http, "Link not valid", """
        <p class="error" role="alert">This unsubscribe link is not valid: it was changed, or it is too old. Nothing was changed.
        Sign in and choose which e-mails you get on <a href="/account/inbox">your inbox page</a>.</p>
        """, status: 400);
}
