using System.Globalization;
using System.Text;
using Hearth.Mail;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>One notification as the e-mail job reads it: the comment and its page as they are now.</summary>
public sealed record MailedItem(long Id, string Kind, string Site, string Url, string? Title, string AuthorName, string Html, DateTime CommentCreatedAt);

/// <summary>
/// The e-mails notifications become: one for a single notification, or a digest of several. Each has a text and an
/// HTML part (the comment's sanitised HTML as stored, the same the inbox shows), a link to the page, and a signed link
/// that stops this kind of mail with one click.
/// </summary>
public static class NotificationMail
{
    public static OutgoingMail Single(string to, MailedItem item, string unsubscribe, string inbox)
    {
        var where = Where(item);
        var subject = item.Kind switch
        {
            Notification.Reply => $"{item.AuthorName} replied to you on {where} ({item.Site})",
            Notification.Mention => $"{item.AuthorName} mentioned you on {where} ({item.Site})",
            Notification.FollowedPerson => $"{item.AuthorName}, whom you follow, wrote on {where} ({item.Site})",
            _ => $"New comment by {item.AuthorName} on {where} ({item.Site})",
        };
        var about = item.Kind switch
        {
            Notification.Reply => "replied to you",
            Notification.Mention => "mentioned you",
            Notification.FollowedPerson => "(whom you follow) wrote",
            _ => "wrote in a conversation you follow",
        };
        var text = $"{item.AuthorName} {about} on {where} ({item.Site}):\n\n{PlainText.FromHtml(item.Html)}\n\nOpen the conversation: {item.Url}\n\n" +
            Footer(item.Kind, unsubscribe, inbox);
        var html = Document($"""
            <p><strong>{E(item.AuthorName)}</strong> {about} on <a href="{E(item.Url)}">{E(where)}</a> ({E(item.Site)}):</p>
            <blockquote>{item.Html}</blockquote>
            <p><a href="{E(item.Url)}">Open the conversation</a></p>
            """, item.Kind, unsubscribe, inbox);
        return new OutgoingMail(to, Subject(subject), text, html, unsubscribe);
    }

    public static OutgoingMail Digest(string to, string kind, string delivery, IReadOnlyList<MailedItem> items, string unsubscribe, string inbox)
    {
        var what = kind switch
        {
            Notification.Reply => items.Count == 1 ? "reply to you" : "replies to you",
            Notification.FollowedPerson => items.Count == 1 ? "new comment by people you follow" : "new comments by people you follow",
            _ => items.Count == 1 ? "new comment in conversations you follow" : "new comments in conversations you follow",
        };
        var pages = items.Select(i => (i.Site, Where(i))).Distinct().ToList();
        var subject = pages.Count == 1
            ? $"{items.Count} {what} on {pages[0].Item2} ({pages[0].Site})"
            : $"{items.Count} {what} on {pages.Count} pages ({string.Join(", ", items.Select(i => i.Site).Distinct())})";
        var period = delivery == MailPreference.Hourly ? "this hour's" : "today's";
        var text = new StringBuilder().Append($"Your {period} {what}:\n");
        var html = new StringBuilder().Append($"<p>Your {period} {E(what)}:</p>");
        foreach (var item in items)
        {
            var where = Where(item);
            text.Append(CultureInfo.InvariantCulture, $"\n{item.AuthorName} on {where} ({item.Site}), {item.CommentCreatedAt:yyyy-MM-dd HH:mm} UTC:\n\n{PlainText.FromHtml(item.Html)}\n\n{item.Url}\n");
            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 style="font-size:1em"><strong>{E(item.AuthorName)}</strong> on <a href="{E(item.Url)}">{E(where)}</a> ({E(item.Site)}), {item.CommentCreatedAt:yyyy-MM-dd HH:mm} UTC</h2>
                <blockquote>{item.Html}</blockquote>
                """);
        }
        text.Append('\n').Append(Footer(kind, unsubscribe, inbox));
        return new OutgoingMail(to, Subject(subject), text.ToString(), Document(html.ToString(), kind, unsubscribe, inbox), unsubscribe);
    }

    static string Where(MailedItem item) => item.Title is { Length: > 0 } title ? title : item.Url;

    static string KindName(string kind) => kind switch
    {
        Notification.Reply => "replies to you",
        Notification.FollowedPerson => "people you follow",
        _ => "conversations you follow",
    };

    static string Footer(string kind, string unsubscribe, string inbox) =>
        $"--\nYou get this because of your e-mail choices for {KindName(kind)}. Change them on your inbox page: {inbox}\n" +
        $"Stop these e-mails: {unsubscribe}\n";

    static string Document(string body, string kind, string unsubscribe, string inbox) => $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"></head><body>
        {body}
        <hr>
        <p style="font-size:small;color:#555">You get this because of your e-mail choices for {E(KindName(kind))}. <a href="{E(inbox)}">Change them</a> or <a href="{E(unsubscribe)}">stop these e-mails</a>.</p>
        </body></html>
        """;

    /// <summary>One line, and no longer than the queue keeps: names and titles come from people.</summary>
    static string Subject(string subject)
    {
        var line = string.Concat(subject.Select(c => char.IsControl(c) ? ' ' : c));
        return line.Length <= 300 ? line : line[..299] + "…";
    }
}
