using Hearth.Web;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.GuestReplies;

/// <summary>
/// The two links of reply e-mails for guests. Opening one (a GET) only shows a page with a button: mail scanners open
/// links, and opening must change nothing. The button POSTs with the signed token as its only proof (no cookie: a guest
/// has no session), as does a mail program's one-click unsubscribe (RFC 8058). An altered, expired or spent link is a
/// 400 page and changes nothing.
/// </summary>
public static class GuestReplyPages
{
    public static void MapGuestReplies(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/guest-replies").ExcludeFromDescription();
        pages.MapGet("/confirm", ShowConfirmAsync);
        pages.MapPost("/confirm", ConfirmAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/stop", ShowStopAsync);
        pages.MapPost("/stop", StopAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.AccountActions);
    }

    static string Action(string path, string token) => $"/guest-replies/{path}?token={E(Uri.EscapeDataString(token))}";

    static async Task<IResult> ShowConfirmAsync(HttpContext http, GuestSubscriptions subscriptions, string? token, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(GuestReplyTokens.Confirm, token, ct) is null)
        {
            return Refused(http);
        }
        return Page(http, "Get replies by e-mail", $"""
            <p>Send replies to your comments on this site to this e-mail address? Each e-mail has a link to stop them.</p>
            <form method="post" action="{Action("confirm", token!)}"><button type="submit">Yes, e-mail me replies</button></form>
            """);
    }

    static async Task<IResult> ConfirmAsync(HttpContext http, GuestSubscriptions subscriptions, string? token, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(GuestReplyTokens.Confirm, token, ct) is not { } subscription)
        {
            return Refused(http);
        }
        await subscriptions.ConfirmAsync(subscription, ct);
        return Page(http, "Reply e-mails confirmed", """
            <p role="status">Confirmed: replies to your comments on this site will reach you by e-mail. Each one has a link to stop them.</p>
            """);
    }

    static async Task<IResult> ShowStopAsync(HttpContext http, GuestSubscriptions subscriptions, string? token, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(GuestReplyTokens.Stop, token, ct) is null)
        {
            return Refused(http);
        }
        return Page(http, "Stop reply e-mails", $"""
            <p>Stop e-mails about replies to your comments on this site?</p>
            <form method="post" action="{Action("stop", token!)}"><button type="submit">Stop these e-mails</button></form>
            """);
    }

    static async Task<IResult> StopAsync(HttpContext http, GuestSubscriptions subscriptions, string? token, CancellationToken ct)
    {
        if (await subscriptions.FindAsync(GuestReplyTokens.Stop, token, ct) is not { } subscription)
        {
            return Refused(http);
        }
        await subscriptions.StopAsync(subscription, ct);
        return Page(http, "Unsubscribed", """
            <p role="status">You will get no more e-mails about replies to your comments on this site.</p>
            """);
    }

    static IResult Refused(HttpContext http) => Page(http, "Link not valid", """
        <p class="error" role="alert">This link is not valid: it was changed, it is too old, or the e-mails it was about were stopped. Nothing was changed.</p>
        """, status: 400);
}
