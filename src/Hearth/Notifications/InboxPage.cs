using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Hearth.Accounts;
using Hearth.Conversations;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

public sealed record InboxLatestItem(long Id, string Html);

public sealed record InboxLatest(int Unread, string UnreadText, IReadOnlyList<InboxLatestItem> Items);

/// <summary>
/// The inbox on Hearth's own pages: every reply to the person, from every site, newest first, each linking to its
/// conversation, answerable in place, and kept up to date while open.
/// </summary>
public static class InboxPage
{
    public static void MapInboxPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/inbox").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapGet("/latest", LatestAsync);
        pages.MapGet("/live", Stream).RequireRateLimiting(Hearth.Live.LiveApi.StreamsPolicy);
        pages.MapPost("/reply", InboxReply.SendAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(Web.RateLimits.CommentWrites);
        pages.MapPost("/read", MarkAllReadAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/mute", MuteAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/follow-on-comment", FollowOnCommentAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/mail", MailChoicesAsync).AddEndpointFilter<RequireAntiforgery>();
    }

    /// <summary>What the page's live updates read when told something is new: as many of the newest as a page of the API.</summary>
    const int Latest = 20;

    /// <summary>The kinds the page can be narrowed to, with what its filter calls them.</summary>
    static readonly (string Kind, string Label)[] Kinds =
        [(Notification.Reply, "Replies"), (Notification.Mention, "Mentions"), (Notification.Followed, "Followed conversations"),
            (Notification.FollowedPerson, "People you follow"), (WelcomeNotifications.Kind, "Welcomes"),
            (Notification.Approved, "Approved"), (Notification.Declined, "Turned down")];

    static async Task<IResult> ShowAsync(HttpContext http, Inbox inbox, Storage.HearthDb db, long? before, long? replied, string? kind, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox");
        }
        var notice = replied is { } id ? await RepliedAsync(db, userId, id, ct) : null;
        // An unknown kind shows everything rather than an error page: it comes from an address someone typed.
        var shown = Kinds.Any(k => k.Kind == kind) ? kind : null;
        return await RenderAsync(http, inbox, db, userId, before, notice, draft: null, StatusCodes.Status200OK, ct, shown);
    }

    /// <summary>
    /// The page, with a notice at the top (a reply sent) or a reply that was not sent shown again under its notification
    /// (or at the top, when that notification is no longer in the list).
    /// </summary>
    internal static async Task<IResult> RenderAsync(HttpContext http, Inbox inbox, Storage.HearthDb db, long userId, long? before, string? notice,
        ReplyDraft? draft, int status, CancellationToken ct, string? kind = null)
    {
        var followOnComment = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Users.Where(u => u.Id == userId).Select(u => (bool?)u.FollowOnComment), ct) ?? true;
        var page = await inbox.ReadAsync(userId, before, unreadOnly: false, Inbox.MaxLimit, ct, kind);
        var csrf = Csrf(http);
        var items = string.Concat(page.Items.Select(item => InboxItemHtml.Render(item, csrf, before, draft)));
        if (draft is not null && !page.Items.Any(i => i.Id == draft.NotificationId && InboxItemHtml.Answerable(i.Kind)))
        {
            notice = $"<p class=\"error\" role=\"alert\">Your reply was not sent: {E(draft.Problem)}</p>";
        }
        // The list is there even when empty, for the live updates to fill.
        var list = $"""
            <p id="inbox-empty" class="muted"{(page.Items.Count == 0 ? "" : " hidden")}>Nothing yet. When someone replies to one of your comments, on any site, it shows here.</p>
            <ul class="inbox" id="inbox-items">{items}</ul>
            """;
        var more = page.Next is { } next ? $"<p><a href=\"/account/inbox?before={next}{(kind is null ? "" : "&amp;kind=" + kind)}\">Older</a></p>" : "";
        var filter = "<nav class=\"filter\" aria-label=\"Show\"><ul>" +
            $"<li><a href=\"/account/inbox\"{(kind is null ? " aria-current=\"page\"" : "")}>Everything</a></li>" +
            string.Concat(Kinds.Select(k => $"<li><a href=\"/account/inbox?kind={k.Kind}\"{(k.Kind == kind ? " aria-current=\"page\"" : "")}>{k.Label}</a></li>")) +
            "</ul></nav>";
        var markAll = $"""<form id="mark-all" method="post" action="/account/inbox/read"{(page.Unread == 0 ? " hidden" : "")}>{csrf}<button type="submit">Mark all read</button></form>""";
        var following = $"""
            <form method="post" action="/account/inbox/follow-on-comment">{csrf}<input type="hidden" name="on" value="{(followOnComment ? "false" : "true")}">
            <p>{(followOnComment ? "When you comment, you follow the conversation: its new comments come here." : "Commenting does not follow conversations.")}
            <button class="quiet" type="submit">{(followOnComment ? "Stop following when I comment" : "Follow conversations I comment in")}</button></p></form>
            """;
        var mail = await MailChoicesForm(http, db, userId, ct);
        var team = await http.RequestServices.GetRequiredService<TeamInbox>().RunsAnyAsync(userId, ct)
            ? " <a href=\"/account/inbox/team\">Your sites' conversations</a>"
            : "";
        // Only the newest page follows what arrives: an older one would have nowhere to put it.
        return Page(http, "Inbox", $"""
            {InboxConversationsPage.Views(conversations: false)}
            {notice}
            <p><span id="unread" role="status">{UnreadText(page.Unread)}</span> <a href="/account">Your account</a>{team}</p>
            {markAll}
            {filter}
            {list}
            {more}
            {following}
            {mail}
            """, scriptFile: before is null && kind is null ? "/inbox/inbox.js" : null, status: status);
    }

    internal static string UnreadText(int unread) => unread switch
    {
        0 => "No unread replies.",
        1 => "1 unread reply.",
        >= Inbox.UnreadCountLimit => $"{Inbox.UnreadCountLimit - 1}+ unread replies.",
        var n => $"{n} unread replies.",
    };

    /// <summary>After a reply was sent (the address says which comment): what became of it, as its author is told. Only their own.</summary>
    internal static async Task<string?> RepliedAsync(Storage.HearthDb db, long userId, long commentId, CancellationToken ct)
    {
        var found = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            from c in db.Comments.AsNoTracking()
            where c.Id == commentId && c.Author.UserId == userId
            join t in db.Threads on c.ThreadId equals t.Id
            select new { Comment = c, t.Url }, ct);
        if (found is null)
        {
            return null;
        }
        var see = $"<a href=\"{E(found.Url)}\">See the conversation</a>";
        var status = found.Comment.StatusForAuthor();
        return status == CommentStatus.Published.ToWire()
            ? $"<p class=\"notice\" role=\"status\">Your reply is published. {see}</p>"
            : status == CommentStatus.Pending.ToWire()
                ? $"<p class=\"notice\" role=\"status\">Your reply is waiting for a moderator: it appears in the conversation once approved. {see}</p>"
                : null;
    }

    /// <summary>The newest notifications drawn as on the page, and the count: what the page's live updates put in.</summary>
    static async Task<IResult> LatestAsync(HttpContext http, Inbox inbox, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your inbox.");
        }
        var page = await inbox.ReadAsync(userId, before: null, unreadOnly: false, Latest, ct);
        var csrf = Csrf(http);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new InboxLatest(page.Unread, UnreadText(page.Unread),
            [.. page.Items.Select(i => new InboxLatestItem(i.Id, InboxItemHtml.Render(i, csrf, before: null, draft: null)))]));
    }

    /// <summary>Every site's part of the person's inbox, live: the page's stream (see <see cref="Hearth.Live.InboxWatch"/>).</summary>
    static IResult Stream(HttpContext http) =>
        http.User.UserId() is { } userId
            ? new Hearth.Live.InboxStreamResult(userId, siteId: null)
            : Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your inbox.");

    static async Task<IResult> MarkAllReadAsync(HttpContext http, Inbox inbox, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        await inbox.MarkReadAsync(userId, ids: null, ct);
        return TypedResults.Redirect(await BackAsync(http, ct));
    }

    static async Task<IResult> MuteAsync(HttpContext http, Storage.HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (!long.TryParse(form["thread"], NumberStyles.None, CultureInfo.InvariantCulture, out var threadId)
            || await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.Threads.Where(t => t.Id == threadId), ct) is not { } thread)
        {
            return Page(http, "Inbox", "<p class=\"error\" role=\"alert\">That conversation does not exist. <a href=\"/account/inbox\">Back to the inbox</a></p>", status: 400);
        }
        await Follows.SetAsync(db, userId, thread, Follow.Muted, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Redirect(await BackAsync(http, ct));
    }

    /// <summary>The view a form was sent from, which the person goes back to.</summary>
    static async Task<string> BackAsync(HttpContext http, CancellationToken ct) =>
        http.Request.HasFormContentType && (await http.Request.ReadFormAsync(ct))["view"] == "conversations" ? "/account/inbox/conversations" : "/account/inbox";

    static async Task<IResult> FollowOnCommentAsync(HttpContext http, Storage.HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (form["on"] is not { Count: 1 } value || !bool.TryParse(value.ToString(), out var on))
        {
            return Page(http, "Inbox", "<p class=\"error\" role=\"alert\">Choose on or off. <a href=\"/account/inbox\">Back to the inbox</a></p>", status: 400);
        }
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(db.Users.Where(u => u.Id == userId),
            u => u.SetProperty(x => x.FollowOnComment, on), ct);
        return TypedResults.Redirect("/account/inbox");
    }

    static readonly (string Value, string Label)[] Choices =
        [(MailPreference.Immediately, "at once"), (MailPreference.Hourly, "hourly digest"), (MailPreference.Daily, "daily digest (UTC)"), (MailPreference.Never, "never")];

    static async Task<string> MailChoicesForm(HttpContext http, Storage.HearthDb db, long userId, CancellationToken ct)
    {
        var current = await MailPreferences.ResponseAsync(db, userId, ct);
        string Select(string name, string label, string chosen) =>
            $"<label>{label} <select name=\"{name}\">" +
            string.Concat(Choices.Select(c => $"<option value=\"{c.Value}\"{(c.Value == chosen ? " selected" : "")}>{c.Label}</option>")) +
            "</select></label>";
        var note = current.Email ? "" : "<p class=\"hint\">Your account has no confirmed e-mail address, so no e-mail is sent whatever you choose.</p>";
        return $"""
            <form method="post" action="/account/inbox/mail">{Csrf(http)}
            <h2>E-mail</h2>{note}
            <p>{Select("reply", "Replies to you:", current.Reply)}</p>
            <p>{Select("mention", "Comments that mention you:", current.Mention)}</p>
            <p>{Select("followed", "New comments in conversations you follow:", current.Followed)}</p>
            <p>{Select("followedPerson", "New comments by people you follow:", current.FollowedPerson)}</p>
            <p>{Select("held", "What moderators decide about your held comments:", current.Held)}</p>
            <p class="hint"><a href="/account/people">People you follow or muted</a></p>
            <p><button type="submit">Save e-mail choices</button></p></form>
            """;
    }

    static async Task<IResult> MailChoicesAsync(HttpContext http, Storage.HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var reply = form["reply"].ToString();
        var followed = form["followed"].ToString();
        // A form from before people could be followed has no such field: that choice stays as it was.
        var person = form.ContainsKey("followedPerson") ? form["followedPerson"].ToString() : null;
        var held = form.ContainsKey("held") ? form["held"].ToString() : null;
        var mention = form.ContainsKey("mention") ? form["mention"].ToString() : null;
        if (!MailPreference.IsDelivery(reply) || !MailPreference.IsDelivery(followed) || (person is not null && !MailPreference.IsDelivery(person))
            || (held is not null && !MailPreference.IsDelivery(held)) || (mention is not null && !MailPreference.IsDelivery(mention)))
        {
            return Page(http, "Inbox", "<p class=\"error\" role=\"alert\">Choose at once, hourly, daily or never for each kind. <a href=\"/account/inbox\">Back to the inbox</a></p>", status: 400);
        }
        await MailPreferences.SetAsync(db, userId, Notification.Reply, reply, ct);
        await MailPreferences.SetAsync(db, userId, Notification.Followed, followed, ct);
        if (person is not null)
        {
            await MailPreferences.SetAsync(db, userId, Notification.FollowedPerson, person, ct);
        }
        if (held is not null)
        {
            await MailPreferences.SetAsync(db, userId, MailPreference.Held, held, ct);
        }
        if (mention is not null)
        {
            await MailPreferences.SetAsync(db, userId, Notification.Mention, mention, ct);
        }
        return TypedResults.Redirect("/account/inbox");
    }
}
