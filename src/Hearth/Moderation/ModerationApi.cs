using System.Globalization;
using System.Text;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>The moderators' API: the queue, decisions one by one or in bulk, and the audit log.</summary>
public static class ModerationApi
{
    const int PageSize = 50;

    public static RouteGroupBuilder MapModeration(this RouteGroupBuilder site)
    {
        var moderation = site.MapGroup("/moderation").WithTags("Site administration");
        moderation.MapGet("/queue", Queue).WithSummary("Comments to look at: status pending (default), flagged (reported), spam, rejected or all; filter by reason, thread or author key.");
        moderation.MapPost("/comments/{id:long}/{action}", ActOnOne)
            .WithSummary("approve, reject, spam or notspam one comment; pin or unpin (top-level ones), feature or unfeature.");
        moderation.MapPatch("/comments/{id:long}", Edit).WithSummary("Edit a comment's words ({ body }); readers see \"edited by moderator\".");
        moderation.MapPost("/bulk", DecideMany).WithSummary("The same decision for up to 200 comments: { ids, action }.");
        moderation.MapGet("/audit", Audit).WithSummary("Every moderation action, setting change, role change, secret rotation, API token and moderation-page session, newest first; q searches, format=csv downloads.");
        return site;
    }

    static async Task<Results<Ok<QueuePage>, ValidationProblem, ProblemHttpResult>> Queue(HttpContext http, HearthDb db,
        string? status, string? reason, long? thread, string? author, long? cursor, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        CommentStatus[]? statuses = (status ?? "pending") switch
        {
            "pending" => [CommentStatus.Pending],
            "spam" => [CommentStatus.Spam],
            "rejected" => [CommentStatus.Rejected],
            "all" or "flagged" => [CommentStatus.Pending, CommentStatus.Spam, CommentStatus.Rejected, CommentStatus.Published],
            _ => null,
        };
        if (statuses is null)
        {
            return Problems.Invalid("status", "status must be pending, flagged, spam, rejected or all.");
        }
        var siteId = http.Site().Id;
        var query = db.Comments.AsNoTracking().Where(c => c.SiteId == siteId && statuses.Contains(c.Status));
        if (status == "flagged")
        {
            query = query.Where(c => db.Reports.Any(r => r.CommentId == c.Id));
        }
        if (reason is not null)
        {
            query = query.Where(c => c.ModerationReason == reason);
        }
        if (thread is not null)
        {
            query = query.Where(c => c.ThreadId == thread);
        }
        if (author is not null)
        {
            query = query.Where(c => c.Author.Key == author);
        }
        if (cursor is not null)
        {
            query = query.Where(c => c.Id < cursor);
        }
        var page = await query.OrderByDescending(c => c.Id).Take(PageSize + 1)
            .Join(db.Threads, c => c.ThreadId, t => t.Id, (c, t) => new { Comment = c, Thread = t })
            .ToListAsync(ct);
        // Which of these are their authors' first comment here: one look-up on the people for the whole page.
        var ids = page.Select(x => (long?)x.Comment.Id).ToList();
        var firsts = (await db.People.AsNoTracking().Where(p => p.SiteId == siteId && ids.Contains(p.FirstCommentId))
            .Select(p => p.FirstCommentId!.Value).ToListAsync(ct)).ToHashSet();
        // The comments answered, the authors' histories and the readers' reports, each one look-up for the whole page: a
        // page of a flood from one author counted that author's comments twice per item.
        var shown = page.Take(PageSize).ToList();
        var answeredIds = shown.Select(x => x.Comment.ReplyToId ?? x.Comment.ParentId).OfType<long>().Distinct().ToList();
        var answered = answeredIds.Count == 0 ? [] : await db.Comments.AsNoTracking().Where(p => answeredIds.Contains(p.Id))
            .Select(p => new QueueParent(p.Id, p.Author.Name, p.Html)).ToDictionaryAsync(p => p.Id, ct);
        var keys = shown.Select(x => x.Comment.Author.Key).Distinct().ToList();
        var histories = await db.Comments.Where(o => o.SiteId == siteId && keys.Contains(o.Author.Key))
            .GroupBy(o => o.Author.Key)
            .Select(g => new
            {
                Key = g.Key,
                Published = g.Count(o => o.Status == CommentStatus.Published),
                Held = g.Count(o => o.Status != CommentStatus.Published && o.Status != CommentStatus.Deleted),
            })
            .ToDictionaryAsync(h => h.Key, ct);
        var shownIds = shown.Select(x => x.Comment.Id).ToList();
        // What readers said, never who said it.
        var reports = (await db.Reports.AsNoTracking().Where(r => shownIds.Contains(r.CommentId)).OrderBy(r => r.Id)
            .Select(r => new { r.CommentId, r.Reason }).ToListAsync(ct)).ToLookup(r => r.CommentId, r => r.Reason);
        var items = new List<QueueItem>();
        foreach (var x in shown)
        {
            var c = x.Comment;
            // The comment it answers: beside one at the deepest level, that is not its parent.
            var parent = (c.ReplyToId ?? c.ParentId) is { } parentId ? answered.GetValueOrDefault(parentId) : null;
            var key = c.Author.Key;
            var history = histories.GetValueOrDefault(key);
            items.Add(new QueueItem(c.Id, c.Status.ToWire(), c.ModerationReason, c.ModerationDetail, c.Html, c.Source, c.CreatedAt,
                new QueueThread(x.Thread.Id, x.Thread.Url, x.Thread.Title, x.Thread.Locked), parent,
                new QueueAuthor(c.Author.Name, c.Author.Kind.ToString().ToLowerInvariant(), c.Author.UserId, c.Author.Email, c.Author.Website, key,
                    history?.Published ?? 0, history?.Held ?? 0),
                [.. reports[c.Id]])
            {
                Pinned = c.Pinned, Featured = c.Featured, EditedAt = c.EditedAt, EditedByModerator = c.EditedByModerator, IsReply = c.ParentId is not null,
                FirstHere = firsts.Contains(c.Id),
            });
        }
        var next = page.Count > PageSize ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new QueuePage(items, next));
    }

    static async Task<IResult> ActOnOne(HttpContext http, long id, string action, DecideComments decide, CommentMarks marks, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (CommentMarks.IsMark(action))
        {
            return await marks.MarkAsync(http.Site(), member!, id, action, ct);
        }
        if (DecideComments.Decision(action) is null)
        {
            return Problems.Invalid("action", "action must be approve, reject, spam, notspam, pin, unpin, feature or unfeature.");
        }
        var result = await decide.RunAsync(http.Site(), member!, [id], action, ct);
        return result.NotFound.Count > 0 ? Problems.CommentNotFound() : TypedResults.Ok(result);
    }

    static async Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> Edit(HttpContext http, long id,
        EditCommentRequest request, CommentMarks marks, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return await marks.EditAsync(http.Site(), member!, id, request.Body, ct);
    }

    static async Task<Results<Ok<DecisionResponse>, ValidationProblem, ProblemHttpResult>> DecideMany(
        HttpContext http, DecisionRequest request, DecideComments decide, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (DecideComments.Decision(request.Action) is null)
        {
            return Problems.Invalid("action", "action must be approve, reject, spam or notspam.");
        }
        if (request.Ids is not { Count: > 0 and <= DecideComments.MaxBulk })
        {
            return Problems.Invalid("ids", $"Give 1 to {DecideComments.MaxBulk} comment ids.");
        }
        return TypedResults.Ok(await decide.RunAsync(http.Site(), member!, request.Ids, request.Action!, ct));
    }

    static async Task<IResult> Audit(HttpContext http, HearthDb db, string? q, string? format, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var siteId = http.Site().Id;
        // Admins act on every site, so who became or stopped being one is in every site's log.
        var query = db.AuditLog.AsNoTracking().Where(a => a.SiteId == siteId || a.SiteId == null);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(a => a.Action.Contains(term) || a.Target.Contains(term) || a.ActorName.Contains(term));
        }
        if (format == "csv")
        {
            // Written a page at a time as it is read: each settings change carries the word lists before and after, and
            // a site's log of a hundred thousand of them never sits whole in the server's memory. Each page is a query of
            // its own, so a slow download holds no reader (nor, on SQLite, the log's emptying) open.
            return TypedResults.Stream(async body =>
            {
                await using var csv = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024);
                await csv.WriteAsync("at,actor,action,target,before,after\r\n");
                var before = long.MaxValue;
                for (var written = 0; written < 100_000;)
                {
                    var page = await query.Where(a => a.Id < before).OrderByDescending(a => a.Id).Take(Math.Min(500, 100_000 - written)).ToListAsync(ct);
                    foreach (var a in page)
                    {
                        await csv.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{a.At:O},{Cell(a.ActorName)},{Cell(a.Action)},{Cell(a.Target)},{Cell(a.Before)},{Cell(a.After)}\r\n"));
                    }
                    if (page.Count < 500)
                    {
                        break;
                    }
                    written += page.Count;
                    before = page[^1].Id;
                }
            }, "text/csv", $"audit-{http.Site().Name}.csv");
        }
        var entries = await query.OrderByDescending(a => a.Id).Take(500).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(a => new AuditResponse(a.Id, a.ActorName, a.Action, a.Target, a.Before, a.After, a.At)).ToList());
    }

    /// <summary>A CSV cell: quoted, and never starting with what a spreadsheet would run as a formula.</summary>
    static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }
        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
