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
        if (item.Kind is Notification.Approved or Notification.Declined)
        {
            return Outcome(to, item, where, unsubscribe, inbox);
        }
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

    /// <summary>What became of the person's own held comment: its words when it was approved, none when it was turned down.</summary>
    static OutgoingMail Outcome(string to, MailedItem item, string where, string unsubscribe, string inbox)
    {
        var approved = item.Kind == Notification.Approved;
        var subject = approved ? $"Your comment on {where} ({item.Site}) is published" : $"Your comment on {where} ({item.Site}) was not published";
        var said = approved
            ? "A moderator approved your comment, and everyone can read it now"
            : "A moderator turned your comment down, so it was not published";
        var text = approved
            ? $"{said} on {where} ({item.Site}):\n\n{PlainText.FromHtml(item.Html)}\n\nOpen the conversation: {item.Url}\n\n"
            : $"{said} on {where} ({item.Site}).\n\nOpen the conversation: {item.Url}\n\n";
        var html = Document($"""
            <p>{E(said)} on <a href="{E(item.Url)}">{E(where)}</a> ({E(item.Site)}){(approved ? ":" : ".")}</p>
            {(approved ? $"<blockquote>{item.Html}</blockquote>" : "")}
            <p><a href="{E(item.Url)}">Open the conversation</a></p>
            """, MailPreference.Held, unsubscribe, inbox);
        return new OutgoingMail(to, Subject(subject), text + Footer(MailPreference.Held, unsubscribe, inbox), html, unsubscribe);
    }

    public static OutgoingMail Digest(string to, string kind, string delivery, IReadOnlyList<MailedItem> items, string unsubscribe, string inbox)
    {
        var what = kind switch
        {
            MailPreference.Held => items.Count == 1 ? "decision on your held comments" : "decisions on your held comments",
            Notification.Mention => items.Count == 1 ? "mention of you" : "mentions of you",
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
            // Of a held comment: whether it was published, and its words only when it was.
            var who = item.Kind switch
            {
                Notification.Approved => "Published: your comment",
                Notification.Declined => "Not published: your comment",
                _ => item.AuthorName,
            };
            var words = item.Kind == Notification.Declined ? "" : $"{PlainText.FromHtml(item.Html)}\n\n";
            text.Append(CultureInfo.InvariantCulture, $"\n{who} on {where} ({item.Site}), {item.CommentCreatedAt:yyyy-MM-dd HH:mm} UTC:\n\n{words}{item.Url}\n");
            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 style="font-size:1em"><strong>{E(who)}</strong> on <a href="{E(item.Url)}">{E(where)}</a> ({E(item.Site)}), {item.CommentCreatedAt:yyyy-MM-dd HH:mm} UTC</h2>
                {(item.Kind == Notification.Declined ? "" : $"<blockquote>{item.Html}</blockquote>")}
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
        MailPreference.Held => "your held comments",
        Notification.Mention => "mentions of you",
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
