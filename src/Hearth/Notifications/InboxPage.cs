using System.Globalization;
using Microsoft.EntityFrameworkCore;
using System.Text;
using Hearth.Accounts;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>The inbox on Hearth's own pages: every reply to the person, from every site, newest first, each linking to its conversation.</summary>
public static class InboxPage
{
    public static void MapInboxPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/inbox").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapPost("/read", MarkAllReadAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/mute", MuteAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/follow-on-comment", FollowOnCommentAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapPost("/mail", MailChoicesAsync).AddEndpointFilter<RequireAntiforgery>();
    }

    static async Task<IResult> ShowAsync(HttpContext http, Inbox inbox, Storage.HearthDb db, long? before, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox");
        }
        var followOnComment = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Users.Where(u => u.Id == userId).Select(u => (bool?)u.FollowOnComment), ct) ?? true;
        var page = await inbox.ReadAsync(userId, before, unreadOnly: false, Inbox.MaxLimit, ct);
        var items = new StringBuilder();
        foreach (var item in page.Items)
        {
            var where = item.Thread.Title is { Length: > 0 } title ? title : item.Thread.Url;
            // Threads are kept only under the site's own http(s) origins, so the address is safe to link to.
            var link = item.Thread.Url;
            items.Append(CultureInfo.InvariantCulture, $"""
                <li class="{(item.Read ? "read" : "unread")}">
                <p class="about">{(item.Kind == WelcomeNotifications.Kind
                    ? $"<strong>{E(item.Site)}</strong> welcomes you, after your first comment on <a href=\"{E(link)}\">{E(where)}</a>"
                    : $"<strong>{E(item.Comment.AuthorName)}</strong> {item.Kind switch { Notification.Reply => "replied to you", Notification.Mention => "mentioned you", _ => "wrote in a conversation you follow" }} on <a href=\"{E(link)}\">{E(where)}</a>")}
                <span class="muted">({E(item.Site)}, <time datetime="{item.Comment.CreatedAt:O}">{item.Comment.CreatedAt:yyyy-MM-dd HH:mm} UTC</time>)</span>{(item.Read ? "" : " <span class=\"badge\">new</span>")}</p>
                {(item.Message is { } message ? $"<p class=\"welcome\">{string.Join("<br>", message.Split('\n').Select(E))}</p>" : "")}
                <div class="words">{item.Comment.Html}</div>
                <form method="post" action="/account/inbox/mute">{Csrf(http)}<input type="hidden" name="thread" value="{item.Thread.Id}"><button class="quiet" type="submit">Mute this conversation</button></form>
                </li>
                """);
        }
        var list = page.Items.Count == 0
            ? "<p class=\"muted\">Nothing yet. When someone replies to one of your comments, on any site, it shows here.</p>"
            : $"<ul class=\"inbox\">{items}</ul>";
        var more = page.Next is { } next ? $"<p><a href=\"/account/inbox?before={next}\">Older</a></p>" : "";
        var markAll = page.Unread == 0 ? "" : $"""<form method="post" action="/account/inbox/read">{Csrf(http)}<button type="submit">Mark all read</button></form>""";
        var unread = page.Unread switch
        {
            0 => "No unread replies.",
            1 => "1 unread reply.",
            >= Inbox.UnreadCountLimit => $"{Inbox.UnreadCountLimit - 1}+ unread replies.",
            var n => $"{n} unread replies.",
        };
        var following = $"""
            <form method="post" action="/account/inbox/follow-on-comment">{Csrf(http)}<input type="hidden" name="on" value="{(followOnComment ? "false" : "true")}">
            <p>{(followOnComment ? "When you comment, you follow the conversation: its new comments come here." : "Commenting does not follow conversations.")}
            <button class="quiet" type="submit">{(followOnComment ? "Stop following when I comment" : "Follow conversations I comment in")}</button></p></form>
            """;
        var mail = await MailChoicesForm(http, db, userId, ct);
        return Page(http, "Inbox", $"""
            <p>{unread} <a href="/account">Your account</a></p>
            {markAll}
            {list}
            {more}
            {following}
            {mail}
            """);
    }

    static async Task<IResult> MarkAllReadAsync(HttpContext http, Inbox inbox, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        await inbox.MarkReadAsync(userId, ids: null, ct);
        return TypedResults.Redirect("/account/inbox");
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
        return TypedResults.Redirect("/account/inbox");
    }

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
            <p>{Select("followed", "New comments in conversations you follow:", current.Followed)}</p>
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
        if (!MailPreference.IsDelivery(reply) || !MailPreference.IsDelivery(followed))
        {
            return Page(http, "Inbox", "<p class=\"error\" role=\"alert\">Choose at once, hourly, daily or never for each kind. <a href=\"/account/inbox\">Back to the inbox</a></p>", status: 400);
        }
        await MailPreferences.SetAsync(db, userId, Notification.Reply, reply, ct);
        await MailPreferences.SetAsync(db, userId, Notification.Followed, followed, ct);
        return TypedResults.Redirect("/account/inbox");
    }
}
