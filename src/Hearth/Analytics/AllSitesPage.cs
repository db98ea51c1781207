using System.Globalization;
using System.Text;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Analytics;

/// <summary>One site's line on the page of all sites: its report's headline numbers.</summary>
public sealed record SiteLine(string Site, int Comments, int Commenters, int NewCommenters, double? AnsweredShare, double? MedianMinutesToFirstReply,
    double? TeamAnsweredShare, int? Belonging, int? Change);

/// <summary>
/// Every site a person runs (every site of the instance, for an admin) side by side for one range: the busiest first,
/// ten to a page, each line the headline of that site's own report (<see cref="SiteAnalytics"/>), so it reads the same
/// as the site's dashboard and the API. A page works out at most ten reports, whatever the number of sites.
/// </summary>
public static class AllSitesPage
{
    public const int PerPage = 10;

    public static void MapAllSitesPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/sites/dashboard", ShowAsync).ExcludeFromDescription();
        app.MapGet("/account/sites/dashboard.csv", CsvAsync).ExcludeFromDescription();
    }

    sealed record Lines(AnalyticsRange Range, string? Error, int Page, int Pages, int Sites, int SitesWithComments, int Comments, List<SiteLine> Shown);

    static async Task<(Lines? Lines, IResult? Refusal)> WorkOutAsync(HttpContext http, string? from, string? to, int? page, HearthDb db,
        SiteAnalytics analytics, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return (null, TypedResults.Redirect("/account/signin?returnUrl=" + Uri.EscapeDataString("/account/sites/dashboard" + http.Request.QueryString)));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (range, _, error) = AnalyticsRange.Parse(from, to, now);
        if (range is null)
        {
            (range, _, _) = AnalyticsRange.Parse(null, null, now);
        }
        var names = await ApiTokens.SitesAsync(db, userId, ct);
        var sites = await db.Sites.AsNoTracking().Where(s => names.Contains(s.Name)).ToListAsync(ct);
        var ids = sites.Select(s => s.Id).ToList();
        var (start, end) = (range!.Start, range.End);
        var counts = await db.Comments.AsNoTracking()
            .Where(c => ids.Contains(c.SiteId) && c.Status == CommentStatus.Published && c.CreatedAt >= start && c.CreatedAt < end)
            .GroupBy(c => c.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var ordered = sites.OrderByDescending(s => counts.GetValueOrDefault(s.Id)).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        var pages = Math.Max(1, (ordered.Count + PerPage - 1) / PerPage);
        var number = Math.Clamp(page ?? 1, 1, pages);
        var shown = new List<SiteLine>();
        foreach (var site in ordered.Skip((number - 1) * PerPage).Take(PerPage))
        {
            var report = await analytics.ReportAsync(site, null, range, ct);
            var t = report.Totals;
            shown.Add(new SiteLine(site.Name, t.Comments, t.Commenters, t.NewCommenters, t.AnsweredShare, t.MedianMinutesToFirstReply, t.TeamAnsweredShare,
                report.Belonging.Index, report.Belonging.Change));
        }
        return (new Lines(range, error, number, pages, sites.Count, counts.Count, counts.Values.Sum(), shown), null);
    }

    static async Task<IResult> ShowAsync(HttpContext http, string? from, string? to, int? page, HearthDb db, SiteAnalytics analytics, TimeProvider clock,
        CancellationToken ct)
    {
        var (lines, refusal) = await WorkOutAsync(http, from, to, page, db, analytics, clock, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var l = lines!;
        if (l.Sites == 0)
        {
            return Page(http, "All your sites", "<p class=\"muted\">You run no site here. <a href=\"/account/sites\">Your sites</a></p>");
        }
        var query = $"from={l.Range.From:yyyy-MM-dd}&to={l.Range.To:yyyy-MM-dd}";
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        string Preset(int days) => $"<a href=\"/account/sites/dashboard?from={today.AddDays(1 - days):yyyy-MM-dd}&to={today:yyyy-MM-dd}\">last {days} days</a>";
        var html = new StringBuilder();
        html.Append(Error(l.Error));
        html.Append(CultureInfo.InvariantCulture, $"""
            <form class="range" method="get" action="/account/sites/dashboard">
            <label>From <input type="date" name="from" value="{l.Range.From:yyyy-MM-dd}" required></label>
            <label>To <input type="date" name="to" value="{l.Range.To:yyyy-MM-dd}" required></label>
            <button type="submit">Show</button>
            </form>
            <p class="muted">{Preset(7)} · {Preset(30)} · {Preset(90)} · {Preset(365)} · UTC days, at most {AnalyticsRange.MaxDays}.</p>
            <ul class="tiles">
            <li>Sites <span class="value" id="all-sites">{l.Sites}</span><span class="hint">{l.SitesWithComments} with comments in the range</span></li>
            <li>Comments <span class="value" id="all-comments">{l.Comments}</span><span class="hint">public, on all of them</span></li>
            </ul>
            """);
        var chartRows = l.Shown.Select(s => (s.Site, s.Comments)).ToList();
        var summary = l.Shown.Count == 0 ? "No sites." : string.Join("; ", l.Shown.Select(s => $"{s.Site}: {s.Comments} comments"));
        html.Append("<h2 id=\"comments-per-site\">Comments per site</h2><figure class=\"chart\">");
        html.Append(DashboardCharts.Rows("sites-chart", $"Comments per site, {l.Range.From:yyyy-MM-dd} to {l.Range.To:yyyy-MM-dd}", summary, chartRows, labelsAbove: true));
        html.Append("</figure>");
        html.Append(CultureInfo.InvariantCulture, $"""
            <p class="muted">Each site's own report for the range, the busiest first (page {l.Page} of {l.Pages}). <a href="/account/sites/dashboard.csv?{query}&page={l.Page}">Download as CSV</a></p>
            <div class="scroll"><table id="table-sites"><caption class="muted">The sites</caption>
            <thead><tr><th scope="col">Site</th><th scope="col">Comments</th><th scope="col">Commenters</th><th scope="col">New commenters</th><th scope="col">Answered</th><th scope="col">First reply (median)</th><th scope="col">Answered by the team</th><th scope="col">Belonging</th></tr></thead><tbody>
            """);
        foreach (var s in l.Shown)
        {
            var change = s.Change switch { null => "", > 0 => $" (+{s.Change})", 0 => " (±0)", _ => $" ({s.Change})" };
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-site="{E(s.Site)}"><th scope="row"><a href="/account/moderate/{Uri.EscapeDataString(s.Site)}/dashboard?{query}">{E(s.Site)}</a></th><td>{s.Comments}</td><td>{s.Commenters}</td><td>{s.NewCommenters}</td><td>{DashboardPage.Percent(s.AnsweredShare)}</td><td>{DashboardPage.Duration(s.MedianMinutesToFirstReply)}</td><td>{DashboardPage.Percent(s.TeamAnsweredShare)}</td><td>{(s.Belonging is { } b ? b.ToString(CultureInfo.InvariantCulture) : "–")}{change}</td></tr>
                """);
        }
        html.Append("</tbody></table></div>");
        if (l.Pages > 1)
        {
            html.Append("<nav class=\"filter\" aria-label=\"Pages of sites\"><ul>");
            if (l.Page > 1)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/account/sites/dashboard?{query}&page={l.Page - 1}\" rel=\"prev\">Busier sites</a></li>");
            }
            if (l.Page < l.Pages)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/account/sites/dashboard?{query}&page={l.Page + 1}\" rel=\"next\">Quieter sites</a></li>");
            }
            html.Append("</ul></nav>");
        }
        html.Append("<p class=\"hint\">A person who writes on two sites counts on each. The belonging index and its parts are explained on each site's dashboard and in docs/analytics.md.</p>");
        html.Append("<p class=\"muted\"><a href=\"/account/sites\">Your sites</a></p>");
        return Page(http, "All your sites", html.ToString(), status: l.Error is null ? 200 : 400, wide: true);
    }

    static async Task<IResult> CsvAsync(HttpContext http, string? from, string? to, int? page, HearthDb db, SiteAnalytics analytics, TimeProvider clock,
        CancellationToken ct)
    {
        var (lines, refusal) = await WorkOutAsync(http, from, to, page, db, analytics, clock, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var csv = new StringBuilder("site,comments,commenters,new_commenters,answered_share,median_minutes_to_first_reply,team_answered_share,belonging,change\r\n");
        foreach (var s in lines!.Shown)
        {
            csv.Append(string.Join(',', AnalyticsCsv.Cell(s.Site), s.Comments, s.Commenters, s.NewCommenters, AnalyticsCsv.Cell(s.AnsweredShare),
                AnalyticsCsv.Cell(s.MedianMinutesToFirstReply), AnalyticsCsv.Cell(s.TeamAnsweredShare), AnalyticsCsv.Cell(s.Belonging), AnalyticsCsv.Cell(s.Change))).Append("\r\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8",
            $"all-sites-{lines.Range.From:yyyy-MM-dd}-{lines.Range.To:yyyy-MM-dd}-page-{lines.Page}.csv");
    }
}
