using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Notifications;

/// <summary>{ reply?, mention?, followed?, followedPerson?, held? }: immediately | hourly | daily | never; a kind left out stays as it is.</summary>
public sealed record MailPreferencesRequest(string? Reply, string? Followed)
{
    public string? FollowedPerson { get; init; }

    /// <summary>What moderators decided about the person's held comments.</summary>
    public string? Held { get; init; }

    /// <summary>Comments that name the person.</summary>
    public string? Mention { get; init; }
}

/// <summary>The signed-in person's e-mail choices, next to their inbox.</summary>
public static class MailPreferencesApi
{
    public static RouteGroupBuilder MapMailPreferences(this RouteGroupBuilder site)
    {
        var preferences = site.MapGroup("/inbox/preferences").WithTags("Inbox");
        preferences.MapGet("", Read).WithSummary("How the signed-in person gets each kind of notification by e-mail (reply, mention, followed, followedPerson, held: immediately | hourly | daily | never), and whether they have a confirmed address (email).");
        preferences.MapPut("", Change).RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Change how notifications come by e-mail: { reply?, mention?, followed?, followedPerson?, held? }, each immediately | hourly | daily | never.");
        return site;
    }

    static async Task<Results<Ok<MailPreferencesResponse>, ProblemHttpResult>> Read(HttpContext http, HearthDb db, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        return member is null ? refusal! : TypedResults.Ok(await MailPreferences.ResponseAsync(db, member.UserId, ct));
    }

    static async Task<Results<Ok<MailPreferencesResponse>, ValidationProblem, ProblemHttpResult>> Change(HttpContext http, HearthDb db,
        Identity.SsoLinks links, MailPreferencesRequest? request, CancellationToken ct)
    {
        var (member, refusal) = await InboxApi.SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        // The choices are the account's and hold for mail from every site, while a site's token is one its own pages can
        // read: through it they change only for someone who exists on that site alone (made by its sign-in, never linked).
        if (member.SiteId is not { } siteId || !await links.IsSiteIdentityAsync(member.UserId, siteId, ct))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "account_setting",
                "E-mail choices hold for every site: change them on your account's inbox page, /account/inbox.");
        }
        if (request is null || (request.Reply is null && request.Followed is null && request.FollowedPerson is null && request.Held is null && request.Mention is null))
        {
            return Problems.Invalid("reply", "Send reply, mention, followed, followedPerson, held or several: immediately, hourly, daily or never.");
        }
        foreach (var (field, value) in new[] { ("reply", request.Reply), ("followed", request.Followed), ("followedPerson", request.FollowedPerson), ("held", request.Held), ("mention", request.Mention) })
        {
            if (value is not null && !MailPreference.IsDelivery(value))
            {
                return Problems.Invalid(field, $"{field} must be immediately, hourly, daily or never.");
            }
        }
        // Checked all first, then stored: a request with one bad value changes nothing.
        if (request.Reply is { } reply)
        {
            await MailPreferences.SetAsync(db, member.UserId, Notification.Reply, reply, ct);
        }
        if (request.Followed is { } followed)
        {
            await MailPreferences.SetAsync(db, member.UserId, Notification.Followed, followed, ct);
        }
        if (request.FollowedPerson is { } person)
        {
            await MailPreferences.SetAsync(db, member.UserId, Notification.FollowedPerson, person, ct);
        }
        if (request.Held is { } held)
        {
            await MailPreferences.SetAsync(db, member.UserId, MailPreference.Held, held, ct);
        }
        if (request.Mention is { } mention)
        {
            await MailPreferences.SetAsync(db, member.UserId, Notification.Mention, mention, ct);
        }
        return TypedResults.Ok(await MailPreferences.ResponseAsync(db, member.UserId, ct));
    }
}
