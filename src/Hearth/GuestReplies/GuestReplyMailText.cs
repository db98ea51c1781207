using Hearth.Mail;
using Hearth.Notifications;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.GuestReplies;

/// <summary>A reply as the guest reads it by e-mail: the words as stored (sanitised HTML, and as plain text), the page, and a link that stops these mails.</summary>
public static class GuestReplyMailText
{
    public static OutgoingMail For(string to, string site, string url, string? title, string authorName, string html, string stop)
    {
        var where = title is { Length: > 0 } ? title : url;
        var subject = string.Concat($"{authorName} replied to your comment on {where} ({site})".Select(c => char.IsControl(c) ? ' ' : c));
        if (subject.Length > 300)
        {
            subject = subject[..299] + "…";
        }
        var text = $"{authorName} replied to your comment on {where} ({site}):\n\n{PlainText.FromHtml(html)}\n\nOpen the conversation: {url}\n\n" +
            $"--\nYou get this because you asked for replies to your comments on {site} by e-mail.\nStop these e-mails: {stop}\n";
        var body = $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"></head><body>
            <p><strong>{E(authorName)}</strong> replied to your comment on <a href="{E(url)}">{E(where)}</a> ({E(site)}):</p>
            <blockquote>{html}</blockquote>
            <p><a href="{E(url)}">Open the conversation</a></p>
            <hr>
            <p style="font-size:small;color:#555">You get this because you asked for replies to your comments on {E(site)} by e-mail. <a href="{E(stop)}">Stop these e-mails</a>.</p>
            </body></html>
            """;
        return new OutgoingMail(to, subject, text, body, stop);
    }
}
