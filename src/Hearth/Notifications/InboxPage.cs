using System.Globalization;
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
    }

    static async Task<IResult> ShowAsync(HttpContext http, Inbox inbox, long? before, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox");
        }
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
                    : $"<strong>{E(item.Comment.AuthorName)}</strong> replied to you on <a href=\"{E(link)}\">{E(where)}</a>")}
                <span class="muted">({E(item.Site)}, <time datetime="{item.Comment.CreatedAt:O}">{item.Comment.CreatedAt:yyyy-MM-dd HH:mm} UTC</time>)</span>{(item.Read ? "" : " <span class=\"badge\">new</span>")}</p>
                {(item.Message is { } message ? $"<p class=\"welcome\">{string.Join("<br>", message.Split('\n').Select(E))}</p>" : "")}
                <div class="words">{item.Comment.Html}</div>
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
        return Page(http, "Inbox", $"""
            <p>{unread} <a href="/account">Your account</a></p>
            {markAll}
            {list}
            {more}
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
}
