using Hearth.Accounts;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Identity;

public sealed record SsoLinkResponse(string Url);

/// <summary>Linking a site's sign-in to a Hearth account: the code from the widget, then the confirmation on Hearth's pages.</summary>
public static class SsoLinkPages
{
    public static RouteGroupBuilder MapSsoLink(this RouteGroupBuilder site)
    {
        site.MapPost("/sessions/link", StartAsync).WithTags("Inbox").RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("For someone the site signs in: a link (valid 15 minutes) to a page of Hearth where they link this identity to their Hearth account.");
        return site;
    }

    public static void MapSsoLinkPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/link").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapPost("", ConfirmAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(RateLimits.AccountActions);
    }

    static async Task<Results<Ok<SsoLinkResponse>, ProblemHttpResult>> StartAsync(HttpContext http, SsoLinks links, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var site = http.Site();
        if (member is not { Kind: MemberSession.SingleSignOn } || await links.SiteIdentityAsync(member.UserId, site.Id, ct) is null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "not_a_site_identity",
                "Only someone this site signs in, not yet linked to a Hearth account, can link their identity.");
        }
        return TypedResults.Ok(new SsoLinkResponse("/account/link?code=" + Uri.EscapeDataString(links.Code(member.UserId, site.Id))));
    }

    static async Task<IResult> ShowAsync(HttpContext http, string? code, SsoLinks links, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } accountId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/account/link?code=" + code));
        }
        if (links.Read(code) is not var (ssoUserId, siteId) || await links.SiteIdentityAsync(ssoUserId, siteId, ct) is not { } identity)
        {
            return Refused(http);
        }
        var siteName = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.Name).FirstAsync(ct);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == accountId).Select(u => new { u.DisplayName, u.Email }).FirstAsync(ct);
        return Page(http, "Link your sign-in", $"""
            <p>On <strong>{E(siteName)}</strong> you are signed in by the site as <strong>{E(identity.DisplayName)}</strong>.</p>
            <p>Link that to your Hearth account <strong>{E(account.DisplayName)}</strong> ({E(account.Email)})? From then on, when the site signs you in,
            you comment there as {E(account.DisplayName)}, your comments there become this account's, and replies to them reach your one inbox.
            The site keeps its own sign-in; it never learns your account's address.</p>
            <form method="post" action="/account/link">{Csrf(http)}<input type="hidden" name="code" value="{E(code)}">
            <button type="submit">Link them</button> <a href="/account">Not now</a></form>
            """);
    }

    static async Task<IResult> ConfirmAsync(HttpContext http, SsoLinks links, CancellationToken ct)
    {
        if (http.User.UserId() is not { } accountId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (links.Read(form["code"]) is not var (ssoUserId, siteId))
        {
            return Refused(http);
        }
        if (await links.LinkAsync(accountId, ssoUserId, siteId, ct) is { } why)
        {
            return Page(http, "Link your sign-in", $"<p class=\"error\" role=\"alert\">{E(why)}</p><p><a href=\"/account\">Your account</a></p>", status: 409);
        }
        return Page(http, "Linked", """
            <p>Linked. The next time the site signs you in, you are this account there. You can close this window.</p>
            <p><a href="/account/inbox">Your inbox</a> · <a href="/account">Your account</a></p>
            """);
    }

    static IResult Refused(HttpContext http) => Page(http, "Link your sign-in",
        "<p class=\"error\" role=\"alert\">This link has expired or is not one Hearth made. Ask for a new one from the comments of the site.</p>", status: 400);
}
