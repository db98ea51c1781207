using System.Globalization;
using System.Text;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Analytics;

/// <summary>
/// A site's dashboard (or one thread's) for its owners and moderators and the instance's admins, on the account
/// pages: the numbers of <see cref="SiteAnalytics"/> as charts, each with its table, a sentence, and the table as CSV.
/// The same report as the API, so the page and the API can never disagree.
/// </summary>
public static class DashboardPage
{
    public static void MapDashboardPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/moderate/{site}/dashboard").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        pages.MapGet("/{table}.csv", CsvAsync);
    }

    static async Task<(Site? Site, IResult? Refusal)> RunByAsync(HttpContext http, string name, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            var back = $"/account/moderate/{Uri.EscapeDataString(name)}/dashboard{http.Request.QueryString}";
            return (null, TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString(back)));
        }
        // Someone else's site and a site that does not exist look the same.
        if (!(await ApiTokens.SitesAsync(db, userId, ct)).Contains(name))
        {
            return (null, Moderation.ModerationPage.NoSuchSite(http));
        }
        return (await db.Sites.AsNoTracking().FirstAsync(s => s.Name == name, ct), null);
    }

    static async Task<IResult> CsvAsync(HttpContext http, string site, string table, string? from, string? to, string? thread, HearthDb db,
        SiteAnalytics analytics, TimeProvider clock, CancellationToken ct)
    {
        var (entity, refusal) = await RunByAsync(http, site, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (!AnalyticsCsv.Tables.Contains(table))
        {
            return Page(http, "Not found", $"<p>The tables are {E(string.Join(", ", AnalyticsCsv.Tables))}.</p>", status: 404);
        }
        var (range, chosen, invalid, missing) = await AnalyticsApi.ReadAsync(db, entity!, from, to, thread, clock, ct);
        if (invalid is not null || missing is not null)
        {
            return Page(http, "Not found", "<p>That range or thread cannot be read.</p>", status: invalid is not null ? 400 : 404);
        }
        return AnalyticsApi.File(await analytics.ReportAsync(entity!, chosen, range!, ct), table);
    }

    static async Task<IResult> ShowAsync(HttpContext http, string site, string? from, string? to, string? thread, HearthDb db,
        SiteAnalytics analytics, TimeProvider clock, CancellationToken ct)
    {
        var (entity, refusal) = await RunByAsync(http, site, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (range, chosen, invalid, missing) = await AnalyticsApi.ReadAsync(db, entity!, from, to, thread, clock, ct);
        string? error = null;
        if (missing is not null)
        {
            return Page(http, "Not found", $"<p>{E(site)} has no such thread.</p><p><a href=\"{Home(site)}\">The site's dashboard</a></p>", status: 404);
        }
        if (invalid is not null)
        {
            error = string.Join(" ", ((Microsoft.AspNetCore.Http.HttpResults.ValidationProblem)invalid).ProblemDetails.Errors.SelectMany(e => e.Value));
            (range, _, _) = AnalyticsRange.Parse(null, null, clock.GetUtcNow().UtcDateTime);
        }
        var report = await analytics.ReportAsync(entity!, chosen, range!, ct);
        var title = chosen is null ? $"Dashboard of {site}" : $"Dashboard of a thread of {site}";
        return Page(http, title, Body(http, report, range!, error, clock.GetUtcNow().UtcDateTime), status: error is null ? 200 : 400, wide: true);
    }

    static string Home(string site) => $"/account/moderate/{Uri.EscapeDataString(site)}/dashboard";

    static string Query(AnalyticsReport report, DateOnly? from = null, DateOnly? to = null, long? thread = -1) =>
        $"?from={from ?? report.From:yyyy-MM-dd}&to={to ?? report.To:yyyy-MM-dd}"
        + ((thread == -1 ? report.Thread?.Id : thread) is { } id ? $"&thread={id}" : "");

    internal static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    internal static string Duration(double? minutes) => minutes switch
    {
        null => "–",
        < 90 => $"{minutes.Value.ToString("0", CultureInfo.InvariantCulture)} min",
        < 48 * 60 => $"{(minutes.Value / 60).ToString("0.#", CultureInfo.InvariantCulture)} h",
        _ => $"{(minutes.Value / 1440).ToString("0.#", CultureInfo.InvariantCulture)} days",
    };

    static string Body(HttpContext http, AnalyticsReport report, AnalyticsRange range, string? error, DateTime now)
    {
        var site = report.Site;
        var home = Home(site);
        var today = DateOnly.FromDateTime(now);
        var t = report.Totals;
        var b = report.Belonging;
        var html = new StringBuilder();
        if (report.Thread is { } thread)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p>Thread <a href=\"{E(thread.Url)}\" rel=\"noopener noreferrer\">{E(thread.Title ?? thread.Url)}</a> · <a href=\"{home}{Query(report, thread: null)}\">the whole site</a></p>");
        }
        html.Append(Error(error));
        string Preset(int days) => $"<a href=\"{home}{Query(report, today.AddDays(1 - days), today)}\">last {days} days</a>";
        html.Append(CultureInfo.InvariantCulture, $"""
            <form class="range" method="get" action="{home}">
            <label>From <input type="date" name="from" value="{report.From:yyyy-MM-dd}" required></label>
            <label>To <input type="date" name="to" value="{report.To:yyyy-MM-dd}" required></label>
            {(report.Thread is { } only ? $"<input type=\"hidden\" name=\"thread\" value=\"{only.Id}\">" : "")}
            <button type="submit">Show</button>
            </form>
            <p class="muted">{Preset(7)} · {Preset(30)} · {Preset(90)} · {Preset(365)} · UTC days, at most {AnalyticsRange.MaxDays}.</p>
            """);

        // The belonging index first: the question the page answers.
        var moved = b.Change switch
        {
            null => "There is nothing to compare it with in the " + range.Days + " days before.",
            0 => $"The same as in the {range.Days} days before ({b.PreviousFrom:yyyy-MM-dd} to {b.PreviousTo:yyyy-MM-dd}).",
            > 0 => $"Up {b.Change} from {b.PreviousIndex} in the {range.Days} days before ({b.PreviousFrom:yyyy-MM-dd} to {b.PreviousTo:yyyy-MM-dd}).",
            < 0 => $"Down {-b.Change} from {b.PreviousIndex} in the {range.Days} days before ({b.PreviousFrom:yyyy-MM-dd} to {b.PreviousTo:yyyy-MM-dd}).",
        };
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="belonging">Belonging</h2>
            <p><span class="index" id="belonging-index">{(b.Index is { } index ? index.ToString(CultureInfo.InvariantCulture) : "–")}</span> <span class="muted">of 100</span></p>
            <p id="belonging-moved">{(b.Index is null ? "No comments in this range, so no index." : E(moved))}</p>
            <ul class="tiles">
            <li>Retention <span class="value" id="part-retention">{Percent(b.Retention)}</span><span class="hint">newcomers who came back on a later day within 30 days</span></li>
            <li>Reciprocity <span class="value" id="part-reciprocity">{Percent(b.Reciprocity)}</span><span class="hint">people who both replied to and were replied to by someone other than the team</span></li>
            <li>Response <span class="value" id="part-response">{Percent(b.Response)}</span><span class="hint">newcomers whose first comment got a reply within 30 days</span></li>
            </ul>
            <details><summary>How the index is worked out</summary>
            <p>The index is the mean of the three shares above, times 100. A share with nobody to measure (no newcomers, or nobody outside the team) is left out of the mean. The site's team (owners and moderators) is never counted as a newcomer, and the team's replies count for response but not for reciprocity: a community is people who answer each other, not only an audience the host answers.</p>
            </details>
            """);

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="activity">Comments and people</h2>
            <ul class="tiles">
            <li>Comments <span class="value" id="total-comments">{t.Comments}</span><span class="hint">{t.NewcomerComments} from newcomers on their first day</span></li>
            <li>Commenters <span class="value" id="total-commenters">{t.Commenters}</span><span class="hint">{t.NewCommenters} new, {t.ReturningCommenters} returning</span></li>
            <li>Threads <span class="value">{t.Threads}</span><span class="hint">{t.Conversations} where people replied to each other</span></li>
            <li>Replies <span class="value">{t.Replies}</span><span class="hint">to someone else</span></li>
            <li>Page views <span class="value" id="total-views">{t.Views}</span><span class="hint">counted by the widget, no cookies</span></li>
            <li>Readers who commented <span class="value" id="conversion">{(t.Conversion is { } c ? (c * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–")}</span><span class="hint">commenters per page view</span></li>
            </ul>
            """);
        var weekly = report.Days.Count > 92;
        var bars = weekly ? report.Weeks : report.Days;
        var busiest = bars.Count == 0 ? null : bars.MaxBy(d => d.Comments);
        var summary = t.Comments == 0
            ? $"No public comments from {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}."
            : $"{t.Comments} comments over {report.Days.Count} days, {t.NewcomerComments} of them from newcomers; the busiest {(weekly ? "week, starting" : "day")} {busiest!.Date:yyyy-MM-dd} had {busiest.Comments}.";
        html.Append(Figure(DashboardCharts.Comments("comments-chart", weekly ? "Comments per week" : "Comments per day", summary, bars), summary,
            "<span class=\"key\"><span class=\"swatch\"></span>newcomers</span><span class=\"key\"><span class=\"swatch returning\"></span>returning</span>"));
        html.Append(Table(report, weekly ? "weeks" : "days", [weekly ? "Week of" : "Day", "Comments", "Newcomers", "Returning", "Page views"],
            bars.Select(d => new[] { d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Num(d.Comments), Num(d.Newcomers), Num(d.Returning),
                d.Views.ToString(CultureInfo.InvariantCulture) })));
        html.Append(Download(report, weekly ? "days" : "weeks", weekly ? "Per day as CSV" : "Per week as CSV"));

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="response">Response</h2>
            <ul class="tiles">
            <li>Answered <span class="value" id="answered-share">{Percent(t.AnsweredShare)}</span><span class="hint">{t.Answered} of {t.Comments} comments got a reply from someone else within 30 days</span></li>
            <li>First reply <span class="value" id="first-reply">{Duration(t.MedianMinutesToFirstReply)}</span><span class="hint">median wait for it</span></li>
            <li>Answered by the team <span class="value">{Percent(t.TeamAnsweredShare)}</span><span class="hint">{t.TeamAnswered} of {t.CommentsByOthers} comments by others</span></li>
            <li>First reply from the team <span class="value">{Duration(t.MedianMinutesToFirstTeamReply)}</span><span class="hint">median wait for it</span></li>
            {(t.UnansweredNewcomers is { } waiting ? $"<li>Newcomers waiting now <span class=\"value\" id=\"waiting\">{waiting}</span><span class=\"hint\"><a href=\"/account/moderate/{Uri.EscapeDataString(site)}\">answer them</a></span></li>" : "")}
            </ul>
            """);

        var cohorts = report.Retention;
        var retentionSummary = cohorts.Count == 0
            ? "Nobody outside the team commented here for the first time in this range."
            : string.Join(" ", cohorts.Select(c => $"{c.Month}: {c.CameBack} of {c.Newcomers} newcomers came back ({Percent(c.Share)}){(c.Complete ? "" : ", still counting")}."));
        html.Append("<h2 id=\"retention\">Newcomers who came back</h2>");
        html.Append(Figure(DashboardCharts.Shares("retention-chart", "Newcomer retention by month of first comment", retentionSummary,
            [.. cohorts.Select(c => (c.Month, c.Share))]), retentionSummary));
        html.Append(Table(report, "retention", ["Month of first comment", "Newcomers", "Came back within 30 days", "Share", ""],
            cohorts.Select(c => new[] { c.Month, Num(c.Newcomers), Num(c.CameBack), Percent(c.Share), c.Complete ? "" : "still counting" })));

        var depthSummary = t.Comments == 0 ? "No comments." : string.Join(", ", report.Depths.Where(d => d.Comments > 0)
            .Select(d => $"{d.Comments} at {(d.Depth == "0" ? "the top level" : "depth " + d.Depth)}")) + ".";
        html.Append("<h2 id=\"depth\">How deep the replies go</h2>");
        html.Append(Figure(DashboardCharts.Rows("depth-chart", "Comments by reply depth", depthSummary,
            [.. report.Depths.Select(d => (d.Depth == "0" ? "top" : d.Depth, d.Comments))]), depthSummary));
        html.Append(Table(report, "depths", ["Depth", "Comments"], report.Depths.Select(d => new[] { d.Depth, Num(d.Comments) })));

        html.Append("<h2 id=\"top-conversations\">Top conversations</h2>");
        html.Append(Table(report, "conversations", ["Thread", "Comments", "People", "Replied to each other", "Page views"],
            report.TopConversations.Select(c => new[]
            {
                $"<a href=\"{home}{Query(report, thread: c.ThreadId)}\">{E(c.Title ?? c.Url)}</a>",
                Num(c.Comments), Num(c.People), c.Conversation ? "yes" : "no", c.Views.ToString(CultureInfo.InvariantCulture),
            }), open: true, encoded: true));
        html.Append("<h2 id=\"top-contributors\">Top contributors</h2>");
        html.Append(Table(report, "contributors", ["Name", "Comments", "Replies given", "Replies received", ""],
            report.TopContributors.Select(p => new[] { p.Name, Num(p.Comments), Num(p.RepliesGiven), Num(p.RepliesReceived), p.New ? "new" : "" }), open: true));
        html.Append(CultureInfo.InvariantCulture, $"""
            <p class="muted">Counted from public comments, each person once (an account, a person the site signed in, or a guest by the name and address they gave). The same numbers: <code>GET /api/v1/sites/{E(site)}/analytics{E(Query(report))}</code>.</p>
            <p class="muted"><a href="/account/moderate/{Uri.EscapeDataString(site)}">Moderate {E(site)}</a> · <a href="/account/moderate/{Uri.EscapeDataString(site)}/settings">Settings</a></p>
            """);
        return html.ToString();
    }

    static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Figure(string svg, string summary, string key = "") =>
        $"<figure class=\"chart\">{svg}<figcaption>{(key.Length > 0 ? $"<p>{key}</p>" : "")}<p class=\"muted\">{E(summary)}</p></figcaption></figure>";

    static string Download(AnalyticsReport report, string table, string label) =>
        $"<p><a href=\"{Home(report.Site)}/{table}.csv{E(Query(report))}\" download>{E(label)}</a></p>";

    /// <param name="encoded">The cells are HTML already (a link made here); otherwise each is encoded.</param>
    static string Table(AnalyticsReport report, string table, string[] heads, IEnumerable<string[]> rows, bool open = false, bool encoded = false)
    {
        var html = new StringBuilder(open ? "" : "<details><summary>The table</summary>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"scroll\"><table id=\"table-{table}\"><thead><tr>");
        foreach (var head in heads)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{E(head)}</th>");
        }
        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append("<td>").Append(encoded && i == 0 ? row[i] : E(row[i])).Append("</td>");
            }
            html.Append("</tr>");
        }
        if (!any)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td colspan=\"{heads.Length}\" class=\"muted\">Nothing in this range.</td></tr>");
        }
        html.Append("</tbody></table></div>");
        html.Append(Download(report, table, "This table as CSV"));
        return html.Append(open ? "" : "</details>").ToString();
    }
}
