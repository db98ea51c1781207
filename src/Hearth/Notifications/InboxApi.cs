using System.Globalization;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hearth.Notifications;

/// <summary>{ ids: [...] } marks those notifications read; { threads: [...] } every one in those conversations; { all: true } every one.</summary>
public sealed record MarkReadRequest(long[]? Ids, bool? All, long[]? Threads = null);

public sealed record UnreadResponse(int Unread);

/// <summary>
/// The inbox for the widget and other clients: the person's notifications on the site they are signed in to (a site's
/// pages can read its widget's token, so no site opens what happens on the others; /account/inbox shows them all). Only the person signed in reads or marks their own; there is no way to name another.
/// </summary>
public static class InboxApi
{
    public static RouteGroupBuilder MapInbox(this RouteGroupBuilder site)
    {
        var inbox = site.MapGroup("/inbox").WithTags("Inbox");
        inbox.MapGet("", List).WithSummary("The signed-in person's notifications on this site (all sites: on the account's inbox page), newest first: before= (cursor), unread=true, kind=reply|mention|followed|followed-person|welcome|approved|declined, limit up to 50.");
        inbox.MapGet("/unread", Unread).WithSummary("How many unread notifications the signed-in person has on this site (up to 100, among their latest 1,000).");
        inbox.MapGet("/live", Live).RequireRateLimiting(LiveApi.StreamsPolicy)
            .WithSummary("The signed-in person's inbox on this site, live (text/event-stream): \"ready\", then \"notification\" { id } whenever something new arrives for them here; read it with GET .../inbox.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        inbox.MapGet("/conversations", Conversations)
            .WithSummary("The conversations the signed-in person takes part in on this site (all sites: on the account's inbox page), newest activity first, each with its unread count and the newest comment that concerns them: before= (cursor), unread=true, limit up to 50.");
        inbox.MapPost("/read", MarkRead).RequireRateLimiting(RateLimits.AccountActions)
            .WithSummary("Mark notifications read: { ids: [...] }, { threads: [...] } (every notification in those conversations) or { all: true }.");
        return site;
    }

    static async Task<Results<Ok<InboxSlice>, ValidationProblem, ProblemHttpResult>> List(HttpContext http, Inbox inbox, string? before, string? unread,
        string? kind, string? limit, CancellationToken ct)
    {
        var (member, refusal) = await SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var (cursor, unreadOnly, take, wrong) = Paging(before, unread, limit, Inbox.MaxLimit, "a notification id from an earlier page");
        if (wrong is not null)
        {
            return wrong;
        }
        if (kind is not (null or Notification.Reply or Notification.Mention or Notification.Followed or Notification.FollowedPerson or WelcomeNotifications.Kind
            or Notification.Approved or Notification.Declined))
        {
            return Problems.Invalid("kind", "kind must be reply, mention, followed, followed-person, welcome, approved or declined.");
        }
        return TypedResults.Ok(await inbox.ReadAsync(member.UserId, cursor, unreadOnly, take, ct, kind, http.Site().Id));
    }

    static async Task<Results<Ok<ConversationSlice>, ValidationProblem, ProblemHttpResult>> Conversations(HttpContext http, InboxConversations conversations,
        string? before, string? unread, string? limit, CancellationToken ct)
    {
        var (member, refusal) = await SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        var (cursor, unreadOnly, take, wrong) = Paging(before, unread, limit, InboxConversations.MaxLimit, "the next cursor of an earlier page");
        if (wrong is not null)
        {
            return wrong;
        }
        return TypedResults.Ok(await conversations.ReadAsync(member.UserId, http.Site().Id, cursor, unreadOnly, take, ct));
    }

    /// <summary>A page's cursor (before=), unread=true|false and limit= (20 when not given), or what is wrong with them.</summary>
    static (long? Cursor, bool UnreadOnly, int Take, ValidationProblem? Wrong) Paging(string? before, string? unread, string? limit, int most,
        string cursorIs)
    {
        long? cursor = null;
        if (before is not null)
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                return (null, false, 0, Problems.Invalid("before", $"before must be {cursorIs}."));
            }
            cursor = b;
        }
        if (unread is not (null or "true" or "false"))
        {
            return (null, false, 0, Problems.Invalid("unread", "unread must be true or false."));
        }
        var take = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 || take > most))
        {
            return (null, false, 0, Problems.Invalid("limit", $"limit must be between 1 and {most}."));
        }
        return (cursor, unread == "true", take, null);
    }

    static async Task<Results<Ok<UnreadResponse>, ProblemHttpResult>> Unread(HttpContext http, Inbox inbox, CancellationToken ct)
    {
        var (member, refusal) = await SignedInAsync(http, ct);
        return member is null ? refusal! : TypedResults.Ok(new UnreadResponse(await inbox.UnreadAsync(member.UserId, ct, http.Site().Id)));
    }

    /// <summary>
    /// The widget's stream: one per page, however many threads it shows (see <see cref="InboxWatch"/> for how it stays
    /// cheap on several nodes). Of this site's part of the inbox only, like everything a site's token opens.
    /// </summary>
    static async Task<IResult> Live(HttpContext http, CancellationToken ct)
    {
        var (member, refusal) = await SignedInAsync(http, ct);
        return member is null ? refusal! : new InboxStreamResult(member.UserId, http.Site().Id);
    }

    static async Task<Results<Ok<UnreadResponse>, ValidationProblem, ProblemHttpResult>> MarkRead(HttpContext http, Inbox inbox,
        InboxConversations conversations, TimeProvider clock, MarkReadRequest? request, CancellationToken ct)
    {
        var (member, refusal) = await SignedInAsync(http, ct);
        if (member is null)
        {
            return refusal!;
        }
        if (request is null || (request.Ids is null ? 0 : 1) + (request.Threads is null ? 0 : 1) + (request.All == true ? 1 : 0) != 1)
        {
            return Problems.Invalid("ids", "Send one of ids (the notifications to mark read), threads (the conversations) or all: true.");
        }
        if (request.Ids is { Length: > Inbox.MaxMarked } || request.Threads is { Length: > Inbox.MaxMarked })
        {
            return Problems.Invalid(request.Ids is null ? "threads" : "ids", $"At most {Inbox.MaxMarked} at a time; use all: true for everything.");
        }
        if (request.Threads is { } threads)
        {
            await conversations.MarkReadAsync(member.UserId, threads, clock.GetUtcNow().UtcDateTime, ct, http.Site().Id);
        }
        else
        {
            await inbox.MarkReadAsync(member.UserId, request.Ids, ct, http.Site().Id);
        }
        return TypedResults.Ok(new UnreadResponse(await inbox.UnreadAsync(member.UserId, ct, http.Site().Id)));
    }

    /// <summary>
    /// The person signed in, with their own sign-in. A site's API token or the moderation page's session runs the site:
    /// it is often kept by the site's own servers, and never opens its holder's inbox, follows or e-mail choices.
    /// </summary>
    internal static async Task<(Member? Member, ProblemHttpResult? Refusal)> SignedInAsync(HttpContext http, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        return member switch
        {
            null => (null, Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your inbox.")),
            { Kind: MemberSession.Api or MemberSession.ModerationPage } => (null, Problems.Of(StatusCodes.Status403Forbidden, "personal_token_required",
                "Your inbox, whom you follow and your e-mail choices are yours alone: sign in through the comment widget, not with a site's API token.")),
            _ => (member, null),
        };
    }
}
