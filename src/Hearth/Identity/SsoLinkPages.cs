using Hearth.Sites;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Identity;

/// <summary>{ accountToken }: the token the widget's sign-in window handed over for the person's Hearth account, on this site.</summary>
public sealed record SsoLinkRequest(string? AccountToken);

public sealed record SsoLinkResponse(bool Linked);

/// <summary>Linking a site's sign-in to a Hearth account, from the widget, with both sessions in hand.</summary>
public static class SsoLinkPages
{
    public static RouteGroupBuilder MapSsoLink(this RouteGroupBuilder site)
    {
        site.MapPost("/sessions/link", LinkAsync).WithTags("Inbox").RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Link the site's sign-in (Authorization) to a Hearth account ({ accountToken } from the widget's sign-in window).");
        return site;
    }

    static async Task<Results<Ok<SsoLinkResponse>, ValidationProblem, ProblemHttpResult>> LinkAsync(HttpContext http, SsoLinks links,
        SessionTokens tokens, SsoLinkRequest? request, CancellationToken ct)
    {
        var (member, refusal) = await Notifications.InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var site = http.Site();
        if (member is not { Kind: MemberSession.SingleSignOn } || !await links.IsSiteIdentityAsync(member.UserId, site.Id, ct))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "not_a_site_identity",
                "Only someone this site signs in, not yet linked to a Hearth account, can link their sign-in.");
        }
        if (string.IsNullOrWhiteSpace(request?.AccountToken))
        {
            return Problems.Invalid("accountToken", "Send the token of your Hearth account for this site, from the widget's sign-in window.");
        }
        // The account's own session on this very site, opened in the sign-in window: a site's sign-in or a token of
        // another site is not an account's word.
        var (account, why) = await tokens.ResolveAsync(request.AccountToken.Trim(), site.Id, ct);
        if (account is not { Kind: MemberSession.Widget } || await links.IsSiteIdentityAsync(account.UserId, site.Id, ct))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "account_token_invalid",
                why ?? "The account token must be the one the widget's sign-in window gave for your Hearth account.");
        }
        if (await links.LinkAsync(account.UserId, member.UserId, site.Id, CancellationToken.None) is { } failed)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "link_refused", failed);
        }
        return TypedResults.Ok(new SsoLinkResponse(true));
    }
}
