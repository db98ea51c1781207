using System.Globalization;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Notifications;

/// <summary>A reply the team page could not send: shown again under the comment it answers, with the words kept and why.</summary>
public sealed record TeamReplyDraft(long CommentId, string Body, string Problem);

/// <summary>
/// The team inbox on Hearth's own pages (/account/inbox/team): what is said on every site the person runs, newest first,
/// new since they last marked it read, narrowed to one site or to comments nobody has answered yet, answerable in place
/// and kept up to date while open. Only the sites the person runs now are ever read: a role taken away closes them.
/// </summary>
public static class TeamInboxPage
{
    public static void MapTeamInboxPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/inbox/team").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapGet("/latest", LatestAsync);
        pages.MapGet("/live", StreamAsync).RequireRateLimiting(Live.LiveApi.StreamsPolicy);
        pages.MapPost("/reply", ReplyAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(Web.RateLimits.CommentWrites);
        pages.MapPost("/read", MarkReadAsync).AddEndpointFilter<RequireAntiforgery>();
    }

    /// <summary>What the page shows and what its links keep: one site or all, everything or only what waits for an answer.</summary>
    sealed record View(string? Site, bool Waiting, long? Before)
    {
        public string Query(long? before = null, bool? waiting = null)
        {
            var parts = new List<string>();
            if (Site is not null)
            {
                parts.Add("site=" + Uri.EscapeDataString(Site));
            }
            if (waiting ?? Waiting)
            {
                parts.Add("waiting=true");
            }
            if (before is { } b)
            {
                parts.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
            }
            return parts.Count == 0 ? "/account/inbox/team" : "/account/inbox/team?" + string.Join("&", parts);
        }
    }

    static async Task<IResult> ShowAsync(HttpContext http, TeamInbox team, HearthDb db, string? site, string? waiting, long? before, long? replied,
        CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox%2Fteam");
        }
        var notice = replied is { } id ? await InboxPage.RepliedAsync(db, userId, id, ct) : null;
        return await RenderAsync(http, team, userId, new View(site, waiting == "true", before), notice, draft: null, StatusCodes.Status200OK, ct);
    }

    static async Task<IResult> RenderAsync(HttpContext http, TeamInbox team, long userId, View view, string? notice, TeamReplyDraft? draft,
        int status, CancellationToken ct)
    {
        var sites = await team.SitesAsync(userId, ct);
        if (sites.Count == 0)
        {
            return Page(http, "Your sites' conversations",
                "<p class=\"muted\">You run no site here. A site's owner can make you a moderator.</p><p><a href=\"/account/inbox\">Your inbox</a></p>", status: status);
        }
        long? only = null;
        if (view.Site is not null)
        {
            // A site they do not run, or that does not exist, is the same to them: not theirs to open.
            if (sites.FirstOrDefault(s => s.Name == view.Site) is { Name: not null } chosen)
            {
                only = chosen.Id;
            }
            else if (await team.RunsAsync(userId, view.Site, ct) is { } further)
            {
                sites.Add(further);
                only = further.Id;
            }
            else if (draft is not null)
            {
                // A reply refused from a list that is not theirs (any more): the words are shown on the whole list instead.
                return await RenderAsync(http, team, userId, view with { Site = null, Before = null }, notice, draft, status, ct);
            }
            else
            {
                return Page(http, "Not found", "<p>You run no site by that name.</p><p><a href=\"/account/inbox/team\">Your sites' conversations</a></p>", status: 404);
            }
        }
        var slice = await team.ReadAsync(userId, sites, only, view.Before, view.Waiting, TeamInbox.PageSize, ct);
        var csrf = Csrf(http);
        var items = string.Concat(slice.Items.Select(item => Item(item, csrf, view, draft)));
        if (draft is not null && !slice.Items.Any(i => i.Id == draft.CommentId))
        {
            // Nowhere to show the form again: the words are kept here, for the person to copy.
            notice = $"<p class=\"error\" role=\"alert\">Your reply was not sent: {E(draft.Problem)}</p>"
                + (draft.Body.Trim().Length == 0 ? "" : $"<p>What you wrote:</p><blockquote class=\"kept\">{E(draft.Body)}</blockquote>");
        }
        var unread = only is { } one ? slice.Sites.First(s => s.Id == one).Unread : slice.Unread;
        var filter = "<nav class=\"filter\" aria-label=\"Sites\"><ul>" +
            $"<li><a href=\"{E((view with { Site = null, Before = null }).Query())}\"{(view.Site is null ? " aria-current=\"page\"" : "")}>All sites</a></li>" +
            string.Concat(slice.Sites.Select(s => $"<li><a href=\"{E((view with { Site = s.Name, Before = null }).Query())}\"{(s.Id == only ? " aria-current=\"page\"" : "")}>{E(s.Name)}{(s.Unread > 0 ? $" <span class=\"badge\">{Count(s.Unread)} new</span>" : "")}</a></li>")) +
            "</ul></nav>" +
            "<nav class=\"filter\" aria-label=\"Show\"><ul>" +
            $"<li><a href=\"{E((view with { Before = null }).Query(waiting: false))}\"{(view.Waiting ? "" : " aria-current=\"page\"")}>Everything</a></li>" +
            $"<li><a href=\"{E((view with { Before = null }).Query(waiting: true))}\"{(view.Waiting ? " aria-current=\"page\"" : "")}>Waiting for an answer</a></li>" +
            "</ul></nav>";
        var more = slice.MoreSites && view.Site is null
            ? $"<p class=\"hint\">You run more than {TeamInbox.MaxSites} sites: this list reads the first {TeamInbox.MaxSites}. Open any other one by its name: <code>/account/inbox/team?site=NAME</code>.</p>"
            : "";
        // Read through the newest comment shown: one that arrives after the page was drawn stays new.
        var through = view is { Before: null, Waiting: false } && slice.Items.Count > 0
            ? $"<input type=\"hidden\" name=\"through\" value=\"{slice.Items[0].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}\">"
            : "";
        var markAll = $"""
            <form id="mark-all" method="post" action="/account/inbox/team/read"{(unread == 0 ? " hidden" : "")}>{csrf}{through}{(view.Site is null ? "" : $"<input type=\"hidden\" name=\"site\" value=\"{E(view.Site)}\">")}
            <button type="submit">Mark {(view.Site is null ? "all" : E(view.Site))} read</button></form>
            """;
        var empty = view.Waiting ? "Every recent comment here has an answer." : "No comments yet on the sites you run.";
        var list = $"""
            <p id="inbox-empty" class="muted"{(slice.Items.Count == 0 ? "" : " hidden")}>{empty}</p>
            <ul class="inbox" id="inbox-items" data-prefix="c" data-latest="/account/inbox/team/latest" data-live="/account/inbox/team/live">{items}</ul>
            """;
        var older = slice.Next is { } next ? $"<p><a href=\"{E(view.Query(before: next))}\">Older</a></p>" : "";
        // Only the newest page of everything on every site follows what arrives: any other has nowhere to put it.
        var live = view is { Before: null, Site: null, Waiting: false };
        return Page(http, "Your sites' conversations", $"""
            {notice}
            <p class="hint">Every comment on the sites you run, newest first, from everyone but you. <a href="/account/inbox">Your own inbox</a></p>
            <p><span id="unread" role="status">{UnreadText(unread)}</span></p>
            {markAll}
            {filter}
            {more}
            {list}
            {older}
            """, scriptFile: live ? "/inbox/inbox.js" : null, status: status);
    }

    static string Count(int n) => n >= TeamInbox.UnreadCountLimit ? $"{TeamInbox.UnreadCountLimit - 1}+" : n.ToString(CultureInfo.InvariantCulture);

    static string UnreadText(int unread) => unread switch
    {
        0 => "No new comments.",
        1 => "1 new comment.",
        var n => $"{Count(n)} new comments.",
    };

    static string Item(TeamItem item, string csrf, View view, TeamReplyDraft? draft)
    {
        var where = item.Thread.Title is { Length: > 0 } title ? title : item.Thread.Url;
        // Threads are kept only under the site's own http(s) origins, so the address is safe to link to.
        var what = item.Answers is { } name ? $"replied to <strong>{E(name)}</strong>" : "commented";
        var mine = draft?.CommentId == item.Id ? draft : null;
        var field = $"reply-{item.Id}";
        var problem = mine is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"{field}-error\">Your reply was not sent: {E(mine.Problem)}</p>";
        var keep = (view.Site is null ? "" : $"<input type=\"hidden\" name=\"site\" value=\"{E(view.Site)}\">")
            + (view.Waiting ? "<input type=\"hidden\" name=\"waiting\" value=\"true\">" : "")
            + (view.Before is { } b ? $"<input type=\"hidden\" name=\"before\" value=\"{b}\">" : "");
        return string.Create(CultureInfo.InvariantCulture, $"""
            <li id="c{item.Id}" class="{(item.New ? "unread" : "read")}">
            <p class="about"><strong>{E(item.AuthorName)}</strong> {what} on <a href="{E(item.Thread.Url)}">{E(where)}</a>
            <span class="muted">({E(item.Site)}, <time datetime="{item.CreatedAt:O}">{item.CreatedAt:yyyy-MM-dd HH:mm} UTC</time>)</span>{(item.New ? " <span class=\"badge\">new</span>" : "")}</p>
            <div class="words">{item.Html}</div>
            <details class="reply"{(mine is null ? "" : " open")}><summary>Reply</summary>
            <form method="post" action="/account/inbox/team/reply">{csrf}<input type="hidden" name="comment" value="{item.Id}">{keep}
            <label for="{field}">Your reply to {E(item.AuthorName)}</label>{problem}
            <textarea id="{field}" name="body" rows="4" required maxlength="{CommentInput.MaxBodyLength}"{(mine is null ? "" : $" autofocus aria-describedby=\"{field}-error\"")}>{E(mine?.Body)}</textarea>
            <button type="submit">Send reply</button></form></details>
            <p class="muted"><a href="/account/moderate/{Uri.EscapeDataString(item.Site)}">Moderate {E(item.Site)}</a></p>
            </li>
            """);
    }

    const int Latest = 20;

    /// <summary>The newest comments of every site drawn as on the page, and the count: what the page's live updates put in.</summary>
    static async Task<IResult> LatestAsync(HttpContext http, TeamInbox team, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your sites' conversations.");
        }
        var sites = await team.SitesAsync(userId, ct);
        var slice = await team.ReadAsync(userId, sites, only: null, before: null, waiting: false, Latest, ct);
        var csrf = Csrf(http);
        var view = new View(null, false, null);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new InboxLatest(slice.Unread, UnreadText(slice.Unread),
            [.. slice.Items.Select(i => new InboxLatestItem(i.Id, Item(i, csrf, view, draft: null)))]));
    }

    /// <summary>Woken when a thread of any site the person runs moves (see <see cref="Live.InboxWatch.JoinTeam"/>).</summary>
    static async Task<IResult> StreamAsync(HttpContext http, TeamInbox team, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in to read your sites' conversations.");
        }
        var sites = await team.SitesAsync(userId, ct);
        return sites.Count == 0
            ? Web.Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "You run no site here.")
            : new Live.InboxStreamResult(userId, siteId: null, [.. sites.Take(TeamInbox.MaxSites).Select(s => s.Id)]);
    }

    static async Task<IResult> MarkReadAsync(HttpContext http, TeamInbox team, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var site = form["site"].ToString() is { Length: > 0 } name ? name : null;
        var sites = await team.SitesAsync(userId, ct);
        List<long> marked;
        if (site is null)
        {
            marked = [.. sites.Take(TeamInbox.MaxSites).Select(s => s.Id)];
        }
        else if (sites.FirstOrDefault(s => s.Name == site) is { Name: not null } chosen)
        {
            marked = [chosen.Id];
        }
        else if (await team.RunsAsync(userId, site, ct) is { } further)
        {
            marked = [further.Id];
        }
        else
        {
            return Page(http, "Not found", "<p>You run no site by that name.</p><p><a href=\"/account/inbox/team\">Your sites' conversations</a></p>", status: 404);
        }
        DateTime? through = long.TryParse(form["through"], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks ? new DateTime(ticks, DateTimeKind.Utc) : null;
        await team.MarkReadAsync(userId, marked, through, ct);
        return TypedResults.Redirect(new View(site, false, null).Query());
    }

    /// <summary>
    /// A reply, as the signed-in account, to a comment of a site they run: posted by <see cref="PostComment"/> exactly as
    /// the widget posts (the same checks, pace and twin protection), with the badges the account has on that site. A
    /// refusal stores nothing and shows the page again, with the words kept and the reason under them.
    /// </summary>
    static async Task<IResult> ReplyAsync(HttpContext http, TeamInbox team, HearthDb db, SessionTokens members, SiteDirectory directory,
        PostComment post, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox%2Fteam");
        }
        var form = await http.Request.ReadFormAsync(ct);
        var view = new View(form["site"].ToString() is { Length: > 0 } s ? s : null, form["waiting"] == "true",
            long.TryParse(form["before"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) ? cursor : null);
        var body = form["body"].ToString();
        long.TryParse(form["comment"], NumberStyles.None, CultureInfo.InvariantCulture, out var commentId);
        var target = await (
            from c in db.Comments.AsNoTracking()
            where c.Id == commentId && c.Status == CommentStatus.Published
            join t in db.Threads on c.ThreadId equals t.Id
            join x in db.Sites on c.SiteId equals x.Id
            select new { t.Url, t.Identifier, Site = x.Name }).FirstOrDefaultAsync(ct);
        // Another site's comment and one that is not there look the same.
        if (target is null || await team.RunsAsync(userId, target.Site, ct) is null)
        {
            return await Refused(StatusCodes.Status404NotFound, "That comment is not on a site you run, or is no longer public.");
        }
        if (await directory.FindAsync(target.Site, ct) is not { } site || await members.AccountOnSiteAsync(userId, site.Id, ct) is not { } member)
        {
            return await Refused(StatusCodes.Status404NotFound, "That conversation is no longer there.");
        }
        var (reply, status, problem) = await InboxReply.AnswerAsync(http, post, site, member, target.Url, target.Identifier, commentId, body, ct);
        if (reply is not null)
        {
            var back = view.Query();
            return TypedResults.Redirect($"{back}{(back.Contains('?') ? "&" : "?")}replied={reply.Id}#c{commentId}");
        }
        return await Refused(status, problem);

        Task<IResult> Refused(int status, string? why) => RenderAsync(http, team, userId, view, notice: null,
            new TeamReplyDraft(commentId, body, why ?? "Something went wrong. Please try again."), status, ct);
    }
}
