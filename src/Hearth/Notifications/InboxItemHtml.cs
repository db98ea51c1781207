using System.Globalization;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>A reply the page could not send: shown again under its notification, with the words kept and why.</summary>
public sealed record ReplyDraft(long NotificationId, string Body, string Problem);

/// <summary>
/// One notification on /account/inbox. The page draws its list with this, and its live updates draw the new ones the same
/// way, so an item that arrives while the page is open is the same as one that was there.
/// </summary>
public static class InboxItemHtml
{
    /// <summary>
/// Whether a notification of this kind can be answered from the inbox: it is about someone else's public comment, in a
/// conversation the person is in (a welcome or a held comment's outcome is about their own).
/// </summary>
    public static bool Answerable(string kind) => kind is Notification.Reply or Notification.Mention or Notification.Followed or Notification.FollowedPerson;

    /// <param name="csrf">The page's anti-forgery field, made once for all its forms.</param>
    /// <param name="before">The cursor of the page shown (null: the newest), so a reply sent from an older page comes back to it.</param>
    public static string Render(InboxItem item, string csrf, long? before, ReplyDraft? draft)
    {
        var where = item.Thread.Title is { Length: > 0 } title ? title : item.Thread.Url;
        // Threads are kept only under the site's own http(s) origins, so the address is safe to link to.
        var link = item.Thread.Url;
        var about = item.Kind switch
        {
            WelcomeNotifications.Kind => $"<strong>{E(item.Site)}</strong> welcomes you, after your first comment on <a href=\"{E(link)}\">{E(where)}</a>",
            Notification.Approved => $"Your comment on <a href=\"{E(link)}\">{E(where)}</a> was approved by a moderator and is public now",
            Notification.Declined => $"Your comment on <a href=\"{E(link)}\">{E(where)}</a> was not published: a moderator turned it down",
            _ => $"<strong>{E(item.Comment.AuthorName)}</strong> {item.Kind switch { Notification.Reply => "replied to you", Notification.Mention => "mentioned you", Notification.FollowedPerson => "(whom you follow) wrote", _ => "wrote in a conversation you follow" }} on <a href=\"{E(link)}\">{E(where)}</a>",
        };
        var welcome = item.Message is { } message ? $"<p class=\"welcome\">{string.Join("<br>", message.Split('\n').Select(E))}</p>" : "";
        return string.Create(CultureInfo.InvariantCulture, $"""
            <li id="n{item.Id}" class="{(item.Read ? "read" : "unread")}">
            <p class="about">{about}
            <span class="muted">({E(item.Site)}, <time datetime="{item.Comment.CreatedAt:O}">{item.Comment.CreatedAt:yyyy-MM-dd HH:mm} UTC</time>)</span>{(item.Read ? "" : " <span class=\"badge\">new</span>")}</p>
            {welcome}
            {(item.Kind == Notification.Declined ? "" : $"<div class=\"words\">{item.Comment.Html}</div>")}
            {(Answerable(item.Kind) ? ReplyForm(item.Id, item.Comment.AuthorName, csrf, before is { } page ? $"<input type=\"hidden\" name=\"before\" value=\"{page}\">" : "", draft?.NotificationId == item.Id ? draft : null) : "")}
            <form method="post" action="/account/inbox/mute">{csrf}<input type="hidden" name="thread" value="{item.Thread.Id}"><button class="quiet" type="submit">Mute this conversation</button></form>
            </li>
            """);
    }

    /// <summary>Closed until asked for, without script; open again, with the words and the reason, after a refusal.</summary>
    /// <param name="back">Hidden fields that bring the person back to the page they answered from.</param>
    internal static string ReplyForm(long notificationId, string authorName, string csrf, string back, ReplyDraft? draft)
    {
        var field = $"reply-{notificationId}";
        var problem = draft is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"{field}-error\">Your reply was not sent: {E(draft.Problem)}</p>";
        return string.Create(CultureInfo.InvariantCulture, $"""
            <details class="reply"{(draft is null ? "" : " open")}><summary>Reply</summary>
            <form method="post" action="/account/inbox/reply">{csrf}<input type="hidden" name="notification" value="{notificationId}">{back}
            <label for="{field}">Your reply to {E(authorName)}</label>{problem}
            <textarea id="{field}" name="body" rows="4" required maxlength="{Conversations.CommentInput.MaxBodyLength}"{(draft is null ? "" : $" autofocus aria-describedby=\"{field}-error\"")}>{E(draft?.Body)}</textarea>
            <button type="submit">Send reply</button></form></details>
            """);
    }
}
