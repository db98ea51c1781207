using System.Globalization;
using Hearth.Accounts;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>
/// The inbox by conversation, on Hearth's own pages: every conversation the person takes part in, on every site, the
/// liveliest first, each with what is unread in it and the newest comment that concerns them, answerable in place, and
/// kept up to date while open. The notifications view (/account/inbox) lists the same news one comment at a time.
/// </summary>
public static class InboxConversationsPage
{
    public static void MapInboxConversationsPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/inbox/conversations").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapGet("/latest", LatestAsync);
        pages.MapPost("/read", MarkReadAsync).AddEndpointFilter<RequireAntiforgery>();
    }

    const int PageSize = 30;

    /// <summary>What the page's live updates read when told something is new: the newest page.</summary>
    const int Latest = 20;

    static async Task<IResult> ShowAsync(HttpContext http, Storage.HearthDb db, long? before, long? replied, string? unread, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox%2Fconversations");
        }
        var notice = replied is { } id ? await InboxPage.RepliedAsync(db, userId, id, ct) : null;
        return await RenderAsync(http, db, userId, before, notice, draft: null, StatusCodes.Status200OK, ct, unreadOnly: unread == "true");
    }

    /// <summary>The page, with a notice at the top, or a reply that was not sent shown again under its conversation.</summary>
    internal static async Task<IResult> RenderAsync(HttpContext http, Storage.HearthDb db, long userId, long? before, string? notice, ReplyDraft? draft,
        int status, CancellationToken ct, bool unreadOnly = false)
    {
        var conversations = http.RequestServices.GetRequiredService<InboxConversations>();
        var page = await conversations.ReadAsync(userId, siteId: null, before, unreadOnly, PageSize, ct);
        var unread = page.Unread;
        var csrf = Csrf(http);
        var items = string.Concat(page.Items.Select(c => Render(c, csrf, before, draft)));
        if (draft is not null && !page.Items.Any(c => c.Latest?.NotificationId == draft.NotificationId))
        {
            notice = $"<p class=\"error\" role=\"alert\">Your reply was not sent: {E(draft.Problem)}</p>";
        }
        var list = $"""
            <p id="inbox-empty" class="muted"{(page.Items.Count == 0 ? "" : " hidden")}>{(unreadOnly ? "Nothing unread." : "No conversations yet. Comment on any site that uses Hearth, and the conversation shows here, with every reply to you.")}</p>
            <ul class="inbox conversations" id="inbox-items" data-latest="/account/inbox/conversations/latest" data-prefix="c" data-order="latest">{items}</ul>
            """;
        var filter = unreadOnly ? "&amp;unread=true" : "";
        var more = page.Next is { } next ? $"<p><a href=\"/account/inbox/conversations?before={next}{filter}\">Older</a></p>" : "";
        var show = "<nav class=\"filter\" aria-label=\"Show\"><ul>" +
            $"<li><a href=\"/account/inbox/conversations\"{(unreadOnly ? "" : " aria-current=\"page\"")}>All conversations</a></li>" +
            $"<li><a href=\"/account/inbox/conversations?unread=true\"{(unreadOnly ? " aria-current=\"page\"" : "")}>With something unread</a></li>" +
            "</ul></nav>";
        var markAll = $"""<form id="mark-all" method="post" action="/account/inbox/read"{(unread == 0 ? " hidden" : "")}>{csrf}<input type="hidden" name="view" value="conversations"><button type="submit">Mark all read</button></form>""";
        return Page(http, "Inbox", $"""
            {Views(conversations: true)}
            {notice}
            <p><span id="unread" role="status">{InboxPage.UnreadText(unread)}</span> <a href="/account">Your account</a></p>
            {markAll}
            {show}
            {list}
            {more}
            """, scriptFile: before is null && !unreadOnly ? "/inbox/inbox.js" : null, status: status);
    }

    /// <summary>The two ways of reading the inbox, as tabs at the top of each.</summary>
    internal static string Views(bool conversations) => $"""
        <nav class="views" aria-label="Inbox"><ul>
        <li><a href="/account/inbox/conversations"{(conversations ? " aria-current=\"page\"" : "")}>Conversations</a></li>
        <li><a href="/account/inbox"{(conversations ? "" : " aria-current=\"page\"")}>Notifications</a></li>
        </ul></nav>
        """;

    /// <summary>
    /// One conversation. Its data-v changes whenever what it shows does, so the page's live updates redraw it only then
    /// (and never one whose reply is being written).
    /// </summary>
    internal static string Render(InboxConversation c, string csrf, long? before, ReplyDraft? draft)
    {
        var where = c.Thread.Title is { Length: > 0 } title ? title : c.Thread.Url;
        // A thread's address is always http(s) (the widget's and every importer's check), so it is safe to link to; it is
        // escaped like all the rest.
        var latest = c.Latest is { } l
            ? $"""
              <p class="about"><strong>{E(l.AuthorName)}</strong> {l.Kind switch { Notification.Reply => "replied to you", Notification.Mention => "mentioned you", InboxConversations.Yours => "(you) wrote", _ => "wrote" }}
              <span class="muted">(<time datetime="{l.CreatedAt:O}">{l.CreatedAt:yyyy-MM-dd HH:mm} UTC</time>)</span></p>
              <div class="words">{l.Html}</div>
              """
            : "";
        var back = "<input type=\"hidden\" name=\"view\" value=\"conversations\">"
            + (before is { } page ? $"<input type=\"hidden\" name=\"before\" value=\"{page}\">" : "");
        var reply = c.Latest is { NotificationId: { } notification } answered && InboxItemHtml.Answerable(answered.Kind)
            ? InboxItemHtml.ReplyForm(notification, answered.AuthorName, csrf, back, draft?.NotificationId == notification ? draft : null)
            : "";
        var comments = c.Comments == 1 ? "1 comment" : $"{c.Comments} comments";
        var news = c.Unread == 0 ? "" : $" <span class=\"badge\">{(c.Unread >= Inbox.UnreadCountLimit ? "99+" : c.Unread.ToString(CultureInfo.InvariantCulture))} new</span>";
        var markRead = c.Unread == 0 ? "" : $"""<form method="post" action="/account/inbox/conversations/read">{csrf}<input type="hidden" name="thread" value="{c.Thread.Id}"><button class="quiet" type="submit">Mark read</button></form>""";
        return string.Create(CultureInfo.InvariantCulture, $"""
            <li id="c{c.Thread.Id}" class="{(c.Unread == 0 ? "read" : "unread")}" data-v="{c.LastActivity.Ticks}-{c.Unread}-{c.Latest?.CommentId}-{c.Latest?.EditedAt?.Ticks}">
            <h2 class="conversation"><a href="{E(c.Thread.Url)}">{E(where)}</a></h2>
            <p class="muted">{E(c.Site)}, {comments}, last <time datetime="{c.LastActivity:O}">{c.LastActivity:yyyy-MM-dd HH:mm} UTC</time>{(c.Following ? ", followed" : "")}{news}</p>
            {latest}
            {reply}
            {markRead}
            <form method="post" action="/account/inbox/mute">{csrf}<input type="hidden" name="thread" value="{c.Thread.Id}"><input type="hidden" name="view" value="conversations"><button class="quiet" type="submit">Mute this conversation</button></form>
            </li>
            """);
    }

    /// <summary>The newest conversations drawn as on the page, and the count: what the page's live updates put in.</summary>
    static async Task<IResult> LatestAsync(HttpContext http, InboxConversations conversations, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your inbox.");
        }
        var page = await conversations.ReadAsync(userId, siteId: null, before: null, unreadOnly: false, Latest, ct);
        var unread = page.Unread;
        var csrf = Csrf(http);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new InboxLatest(unread, InboxPage.UnreadText(unread),
            [.. page.Items.Select(c => new InboxLatestItem(c.Thread.Id, Render(c, csrf, before: null, draft: null)))]));
    }

    static async Task<IResult> MarkReadAsync(HttpContext http, InboxConversations conversations, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        if (!long.TryParse(form["thread"], NumberStyles.None, CultureInfo.InvariantCulture, out var threadId))
        {
            return Page(http, "Inbox", "<p class=\"error\" role=\"alert\">Say which conversation to mark read. <a href=\"/account/inbox/conversations\">Back to the inbox</a></p>", status: 400);
        }
        // Only the person's own notifications are touched: another's conversation changes nothing.
        await conversations.MarkReadAsync(userId, [threadId], clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Redirect($"/account/inbox/conversations#c{threadId}");
    }
}
