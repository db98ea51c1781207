using System.Globalization;
using System.Text;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Analytics;

/// <summary>The dashboard's numbers for the site's moderators and owners (and the instance's admins), as JSON and CSV.</summary>
public static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalytics(this RouteGroupBuilder site)
    {
        var analytics = site.MapGroup("/analytics").WithTags("Site administration")
            .AddEndpointFilter(async (context, next) =>
            {
                var (_, refusal) = await SiteAccess.RequireAsync(context.HttpContext, SiteRole.Moderator, context.HttpContext.RequestAborted);
                return refusal ?? await next(context);
            });
        analytics.MapGet("", Report)
            .WithSummary($"How the site's conversation went over from..to (yyyy-MM-dd, UTC days; by default the last {AnalyticsRange.DefaultDays}, at most {AnalyticsRange.MaxDays}), or one thread's with thread=ID: comments by day and week from newcomers and returning people, commenters, retention by monthly cohort, reply depths, response, the belonging index and how it moved, top conversations and contributors. Definitions: docs/analytics.md.");
        analytics.MapGet("/{table}.csv", Csv)
            .WithSummary($"One table of the same report as CSV: {string.Join(", ", AnalyticsCsv.Tables)}.");
        return site;
    }

    static async Task<Results<Ok<AnalyticsReport>, ValidationProblem, ProblemHttpResult>> Report(HttpContext http, HearthDb db, SiteAnalytics analytics,
        TimeProvider clock, string? from, string? to, string? thread, CancellationToken ct)
    {
        var (range, chosen, invalid, missing) = await ReadAsync(db, http.Site(), from, to, thread, clock, ct);
        if (invalid is not null)
        {
            return invalid;
        }
        if (missing is not null)
        {
            return missing;
        }
        return TypedResults.Ok(await analytics.ReportAsync(http.Site(), chosen, range!, ct));
    }

    static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Csv(HttpContext http, HearthDb db, SiteAnalytics analytics,
        TimeProvider clock, string table, string? from, string? to, string? thread, CancellationToken ct)
    {
        if (!AnalyticsCsv.Tables.Contains(table))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "table_not_found", $"The tables are {string.Join(", ", AnalyticsCsv.Tables)}.");
        }
        var (range, chosen, invalid, missing) = await ReadAsync(db, http.Site(), from, to, thread, clock, ct);
        if (invalid is not null)
        {
            return invalid;
        }
        if (missing is not null)
        {
            return missing;
        }
        var report = await analytics.ReportAsync(http.Site(), chosen, range!, ct);
        return File(report, table);
    }

    public static FileContentHttpResult File(AnalyticsReport report, string table) =>
        TypedResults.File(Encoding.UTF8.GetBytes(AnalyticsCsv.Write(report, table)), "text/csv; charset=utf-8",
            $"{report.Site}-{(report.Thread is { } t ? $"thread-{t.Id}-" : "")}{table}-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.csv");

    /// <summary>The range and the thread a request names; a problem naming the field when one cannot be read or is not the site's.</summary>
    public static async Task<(AnalyticsRange? Range, ReportThread? Thread, ValidationProblem? Invalid, ProblemHttpResult? Missing)> ReadAsync(HearthDb db, Site site, string? from, string? to,
        string? thread, TimeProvider clock, CancellationToken ct)
    {
        var (range, field, error) = AnalyticsRange.Parse(from, to, clock.GetUtcNow().UtcDateTime);
        if (range is null)
        {
            return (null, null, Problems.Invalid(field!, error!), null);
        }
        if (string.IsNullOrEmpty(thread))
        {
            return (range, null, null, null);
        }
        if (!long.TryParse(thread, NumberStyles.None, CultureInfo.InvariantCulture, out var threadId))
        {
            return (null, null, Problems.Invalid("thread", "thread must be a thread's id."), null);
        }
        // The site is part of the query: another site's thread is not found.
        var found = await db.Threads.AsNoTracking().Where(t => t.Id == threadId && t.SiteId == site.Id)
            .Select(t => new ReportThread(t.Id, t.Url, t.Title)).FirstOrDefaultAsync(ct);
        return found is null
            ? (null, null, null, Problems.Of(StatusCodes.Status404NotFound, "thread_not_found", "This site has no thread with that id."))
            : (range, found, null, null);
    }
}
