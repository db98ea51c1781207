using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Moderation.SpamFilter;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// A moderator approves, rejects or marks comments as spam (or not): in one transaction the status, the thread's
/// count, the author's counters and trust level, the notifications (of the replied-to, the mentioned, and the author of a
/// held comment), the live event, the audit entry and what the site's spam filter learned change together; then the
/// threads' cached pages go.
/// </summary>
public sealed class DecideComments(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, SpamTraining spamTraining, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<HearthOptions> options)
{
    public const int MaxBulk = 200;

    public static CommentStatus? Decision(string? action) => action switch
    {
        "approve" or "notspam" => CommentStatus.Published,
        "reject" => CommentStatus.Rejected,
        "spam" => CommentStatus.Spam,
        _ => null,
    };

    public async Task<DecisionResponse> RunAsync(Site site, Member actor, IReadOnlyList<long> ids, string action, CancellationToken ct)
    {
        var decision = Decision(action) ?? throw new ArgumentOutOfRangeException(nameof(action));
        var notFound = new List<long>();
        var changed = 0;
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var distinct = ids.Distinct().ToList();
            // Every thread this changes is locked first, in one order, so two decisions listing the same threads in
            // different orders wait for each other instead of deadlocking; then the authors, whose records the decisions
            // change one after another; the comments are read after, as they now are.
            var ofSite = await db.Comments.Where(c => distinct.Contains(c.Id) && c.SiteId == site.Id).Select(c => new { c.Id, c.ThreadId }).ToListAsync(ct);
            await ThreadLocks.TakeAsync(db, ofSite.Select(c => c.ThreadId).ToList(), ct);
            await ThreadLocks.OfPeopleAsync(db, [], ofSite.Select(c => c.Id).ToList(), ct);
            foreach (var id in distinct)
            {
                // The site is part of the query: another site's comment is simply not found.
                var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id && c.Status != CommentStatus.Deleted, ct);
                if (comment is null)
                {
                    notFound.Add(id);
                    continue;
                }
                // Confirming what a check decided (spam held as spam) still teaches the filter.
                spamTraining.Note(comment, action);
                var before = comment.Status;
                if (before == decision)
                {
                    continue;
                }
                var thread = await db.Threads.FirstAsync(t => t.Id == comment.ThreadId, ct);
                var delta = comment.Decide(decision);
                await People.PersonLedger.StatusChangedAsync(db, site.Id, comment.Author.Key, before, decision, options.Value.Trust, now, ct);
                if (decision is CommentStatus.Rejected or CommentStatus.Spam)
                {
                    // A moderator's rejection upholds what the checks or the readers said against the person.
                    await People.PersonLedger.UpheldAsync(db, site.Id, comment.Author.Key, now, ct);
                }
                await Notifications.ReplyNotifications.PublishedAsync(db, comment, now, ct);
                await Notifications.WelcomeNotifications.PublishedAsync(db, site, comment, now, ct);
                await Notifications.HeldOutcomeNotifications.DecidedAsync(db, comment, before, actor.UserId, now, ct);
                if (delta > 0)
                {
                    // An approved comment is news in the conversation now, whenever it was written.
                    await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u
                        .SetProperty(t => t.CommentCount, t => t.CommentCount + delta).SetProperty(t => t.LastCommentAt, now), ct);
                }
                else
                {
                    await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount + delta), ct);
                }
                // Readers hear of what they can see change: a comment arriving, or one leaving the thread.
                // Every decision is logged (notifications and analytics read them all); readers are sent only what they can see.
                var type = decision == CommentStatus.Published ? ThreadEvent.Created
                    : before == CommentStatus.Published ? ThreadEvent.Deleted
                    : ThreadEvent.Updated;
                await ThreadLog.AppendAsync(db, comment, type, before, ThreadLog.MemberActor(keys, actor.UserId), now, ct);
                db.AuditLog.Add(new AuditEntry
                {
                    SiteId = site.Id, ActorUserId = actor.UserId, ActorName = actor.Name, Action = action,
                    Target = $"comment {comment.Id}", Before = before.ToWire(), After = decision.ToWire(), At = now,
                });
                changed++;
            }
            await spamTraining.StageAsync(site.Id, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
        return new DecisionResponse(changed, notFound);
    }
}
