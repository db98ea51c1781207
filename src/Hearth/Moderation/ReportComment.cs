using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

public sealed record ReportRequest(string? Reason);

/// <summary>
/// A reader reports a comment. Once as many different readers as the site asks for have, the comment is taken down
/// until a moderator looks. Reporting twice counts once; who reported is never shown.
/// </summary>
public sealed class ReportComment(HearthDb db, WriteGate gate, ThreadChanges changes, TimeProvider clock)
{
    public static readonly string[] Reasons = ["spam", "abuse", "off-topic", "other"];

    /// <summary>Why a comment enough readers reported waits for a moderator.</summary>
    public const string Reason = "reported";

    public async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RunAsync(Site site, long id, ReportRequest request,
        string reporterKey, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 300)
        {
            return Problems.Invalid("reason", $"Say why, in at most 300 characters (for example: {string.Join(", ", Reasons)}).");
        }
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The thread first: a second report reaching the threshold at once then finds the comment already taken
            // down instead of taking it down (and counting it out) twice.
            await ThreadLocks.OfCommentsAsync(db, [id], ct, site.Id);
            var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id && c.Status == CommentStatus.Published, ct);
            if (comment is null)
            {
                return Problems.CommentNotFound();
            }
            if (await db.Reports.AnyAsync(r => r.CommentId == id && r.ReporterKey == reporterKey, ct))
            {
                return TypedResults.NoContent();
            }
            var now = clock.GetUtcNow().UtcDateTime;
            db.Reports.Add(new CommentReport { SiteId = site.Id, CommentId = id, ReporterKey = reporterKey, Reason = reason, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            await People.PersonLedger.ReportedAsync(db, site.Id, comment.Author.Key, ct);
            var threshold = await db.Sites.Where(s => s.Id == site.Id).Select(s => s.ReportThreshold).FirstAsync(ct);
            var reports = await db.Reports.CountAsync(r => r.CommentId == id, ct);
            if (reports >= threshold)
            {
                var thread = await db.Threads.FirstAsync(t => t.Id == comment.ThreadId, ct);
                var held = comment.HoldFor(Reason, $"Reported by {reports} readers.");
                await People.PersonLedger.StatusChangedAsync(db, site.Id, comment.Author.Key, CommentStatus.Published, comment.Status, ct);
                // Readers together took it down: a report upheld, which costs the author their trust for a while.
                await People.PersonLedger.UpheldAsync(db, site.Id, comment.Author.Key, now, ct);
                await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount + held), ct);
                // Readers together took it down: no one actor.
                await ThreadLog.AppendAsync(db, comment, ThreadEvent.Deleted, CommentStatus.Published, actorKey: null, now, ct);
                db.AuditLog.Add(new AuditEntry
                {
                    SiteId = site.Id, ActorName = "readers", Action = "held", Target = $"comment {id}",
                    Before = CommentStatus.Published.ToWire(), After = CommentStatus.Pending.ToWire(), At = now,
                });
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return TypedResults.NoContent();
    }
}
