using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

/// <summary>A post that passed every check that needs no database: what <see cref="StoreNewComment"/> stores.</summary>
/// <remarks>
/// Thread is the page's thread as read before the post queued (null when it had none yet); SpamTokens the spam filter's
/// reading of the comment; Checks what the checks that ran before the queue said (<see cref="Moderation.CheckPlan"/>).
/// </remarks>
public sealed record NewComment(Site Site, CommentInput Input, CommentAuthor Author, Member? Member, RenderedMarkdown Body,
    string IpHash, string? IdempotencyKey, string? RequestHash, CommentThread? Thread, IReadOnlyCollection<string> SpamTokens,
    Moderation.CheckPlan Checks);

/// <summary>
/// The part of posting that reads and writes the database, run inside a <see cref="GroupCommit"/> batch: replay an
/// earlier answer to the same Idempotency-Key, find or create the thread, check the parent, return a twin instead of
/// storing it, reach the checks' verdict (running the checks that must see the posts stored just before), then count the comment and take its place in the thread's log (one statement,
/// which is also the thread's lock on PostgreSQL), store it and its event. Moved is the thread's new place when it
/// changed: every node hears of it once the batch has committed.
/// </summary>
public sealed class StoreNewComment(
    HearthDb db,
    InstanceKey keys,
    IReadOnlyList<Moderation.ICommentCheck> checks,
    TimeProvider clock,
    IOptions<HearthOptions> options)
{
    public async Task<(Results<Created<CommentResponse>, Ok<CommentResponse>, ValidationProblem, ProblemHttpResult> Answer, ThreadMove? Moved)> RunAsync(
        NewComment post, CancellationToken ct)
    {
        var (site, input, author, body) = (post.Site, post.Input, post.Author, post.Body);
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var key = input.Address.Key;

        if (post.IdempotencyKey is { } idempotencyKey
            && await EarlierAnswer(db, site.Id, idempotencyKey, ct) is { } earlier)
        {
            if (earlier.CreatedAt > now - settings.IdempotencyWindow)
            {
                return (await ReplayAsync(earlier, post.RequestHash!, site, ct), null);
            }
            // An expired record with the same key makes way for the new one, in the same save.
            db.IdempotencyRecords.Remove(earlier);
        }

        // A thread, once made, stays: only a page that had none when the post queued is looked up again (an earlier post
        // of this batch, or another node, may have made it since). The batch already holds the page's lock and any
        // thread it has gained (the post's PostLocks), so the twin check below sees what the others stored.
        var thread = post.Thread ?? await ThreadByKey(db, site.Id, key, ct);
        Comment? parent = null;
        if (input.ParentId is { } parentId)
        {
            parent = thread is null ? null : await CommentInThread(db, parentId, thread.Id, ct);
            if (parent is null)
            {
                return (Problems.Invalid("parentId", "parentId must be the id of a comment in this thread."), null);
            }
            if (parent.Status != CommentStatus.Published)
            {
                return (Problems.Invalid("parentId", "That comment cannot be answered: it is deleted or not yet published."), null);
            }
        }

        if (thread is not null)
        {
            var twin = await Twin(db, thread.Id, body.Hash, author.Key, now - settings.DuplicateWindow, ct);
            if (twin is not null)
            {
                // The words are the ones just sent; the status is what the author was told the first time.
                var existing = twin.ToResponse() with { Status = twin.StatusForAuthor() };
                Remember(post, StatusCodes.Status200OK, twin.Id, now);
                await db.SaveChangesAsync(ct);
                return (TypedResults.Ok(existing), null);
            }
        }

        var verdict = await post.Checks.DecideAsync(checks, new Moderation.CommentDraft(site, thread, key, author, post.Member, body, post.IpHash, now)
        {
            SpamTokens = post.SpamTokens,
        }, ct);
        if (verdict is Moderation.Refuse refusal)
        {
            return (refusal.RetryAfter is { } wait
                ? Problems.RetryLater(refusal.Code, refusal.Detail, wait)
                : Problems.Of(refusal.Status, refusal.Code, refusal.Detail), null);
        }
        var hold = verdict as Moderation.Hold;

        var status = hold?.Status ?? CommentStatus.Published;
        var counted = status == CommentStatus.Published ? 1 : 0;
        ThreadMove moved;
        Comment comment;
        if (thread is null)
        {
            (thread, moved) = await StartThreadAsync(site, input, key, now, counted, ct);
            comment = Comment.Create(thread, parent, author, body, status, hold?.Reason, hold?.Detail, post.IpHash, now, settings.MaxReplyDepth);
            await using var inserted = await db.ReadAsync(CommentRow.Insert, CommentRow.Values(comment), ct);
            await inserted.Rows.ReadAsync(ct);
            comment.StoredAs(inserted.Rows.GetInt64(0));
        }
        else
        {
            // The count is an increment rather than a write of what was read (another writer may have counted since), and
            // it goes with the comment's insert in one command: written through EF's change tracking, the insert alone
            // cost a twentieth of a post.
            comment = Comment.Create(thread, parent, author, body, status, hold?.Reason, hold?.Detail, post.IpHash, now, settings.MaxReplyDepth);
            await using var rows = await db.ReadAsync(CountThenInsert, [counted, input.Title, thread.Id, now, .. CommentRow.Values(comment)], ct);
            await rows.Rows.ReadAsync(ct);
            moved = new ThreadMove(thread.SiteId, thread.Key, thread.Id, rows.Rows.GetInt64(0));
            await rows.Rows.NextResultAsync(ct);
            await rows.Rows.ReadAsync(ct);
            comment.StoredAs(rows.Rows.GetInt64(0));
        }

        var response = comment.ToResponse() with
        {
            // Whatever held it, the writer sees the same neutral state: a spammer learns nothing about the rules.
            Status = comment.Status == CommentStatus.Published || hold is { Silent: true } ? CommentStatus.Published.ToWire() : CommentStatus.Pending.ToWire(),
            // The comment answered was just checked to be published, so its author can be named at once.
            ReplyTo = comment.ReplyToId is { } answered ? new ReplyToResponse(answered, parent!.Author.Name) : null,
            EditToken = EditTokens.For(keys, comment.Id),
            EditableUntil = comment.CreatedAt + settings.EditWindow,
        };
        // The comment's log entry, its Idempotency-Key record, its fingerprint and its author's person record, in one command: each needs the
        // comment's id, and as tracked entities they were a second save and a third command for every post.
        var after = new StatementList();
        after.Add(ThreadEvent.Insert, comment.SiteId, comment.ThreadId, moved.Seq, comment.Id, ThreadEvent.Created, author.Key, author.Key,
            // The comment answered was read above: its author is the one a reply (placed beside it or below) answers.
            string.IsNullOrEmpty(parent?.Author.Key) ? null : parent.Author.Key, comment.Status.ToString(), now);
        if (post.IdempotencyKey is { } rememberedKey)
        {
            after.Add(IdempotencyRecord.Insert, post.Site.Id, rememberedKey, post.RequestHash!, StatusCodes.Status201Created, comment.Id, now);
        }
        Moderation.SimilarityBand.AddTo(after, comment, body, db.Database.IsNpgsql());
        // The author as a person of the site, and a reply received by the one answered.
        People.PersonLedger.AddCommentStored(after, comment, string.IsNullOrEmpty(parent?.Author.Key) ? null : parent.Author.Key, settings.Trust);
        Notifications.ReplyNotifications.AddTo(after, comment, parent, now);
        Notifications.Mentions.AddTo(after, comment, now);
        Notifications.Follows.AddOnComment(after, comment, post.Member, now);
        // After the person's record: it tells a first published comment.
        Notifications.WelcomeNotifications.AddTo(after, site, comment, now);
        await after.RunAsync(db, ct);

        return (TypedResults.Created($"/api/v1/sites/{site.Name}/comments/{comment.Id}", response), moved);
    }

    static readonly string CountThenInsert = """
        UPDATE "Threads" SET "CommentCount" = "CommentCount" + @p0, "Title" = COALESCE("Title", @p1), "EventSeq" = "EventSeq" + 1,
            "LastCommentAt" = CASE WHEN @p0 > 0 THEN @p3 ELSE "LastCommentAt" END
        WHERE "Id" = @p2
        RETURNING "EventSeq";
        """ + CommentRow.InsertFrom(4);

    // Compiled once: every post asks these, and EF's translation of a query from its expression costs more than the
    // look-up itself.
    static readonly Func<HearthDb, long, string, CancellationToken, Task<IdempotencyRecord?>> EarlierAnswer =
        EF.CompileAsyncQuery((HearthDb db, long siteId, string key, CancellationToken ct) =>
            db.IdempotencyRecords.FirstOrDefault(r => r.SiteId == siteId && r.Key == key));

    internal static readonly Func<HearthDb, long, string, CancellationToken, Task<CommentThread?>> ThreadByKey =
        EF.CompileAsyncQuery((HearthDb db, long siteId, string key, CancellationToken ct) =>
            db.Threads.AsNoTracking().FirstOrDefault(t => t.SiteId == siteId && t.Key == key));

    static readonly Func<HearthDb, long, long, CancellationToken, Task<Comment?>> CommentInThread =
        EF.CompileAsyncQuery((HearthDb db, long id, long threadId, CancellationToken ct) =>
            db.Comments.AsNoTracking().FirstOrDefault(c => c.Id == id && c.ThreadId == threadId));

    static readonly Func<HearthDb, long, string, string, DateTime, CancellationToken, Task<Comment?>> Twin =
        EF.CompileAsyncQuery((HearthDb db, long threadId, string bodyHash, string authorKey, DateTime since, CancellationToken ct) =>
            db.Comments.AsNoTracking()
                .Where(c => c.ThreadId == threadId && c.BodyHash == bodyHash && c.Author.Key == authorKey
                    && c.CreatedAt >= since && c.Status != CommentStatus.Deleted && c.ImportSource == null)
                .OrderBy(c => c.Id)
                .FirstOrDefault());

    /// <summary>
    /// The page's thread, made by its first comment, counting it. Insert-or-fetch in one statement: when another
    /// server started the same page a moment ago, this counts the comment into that thread instead of failing on the
    /// unique key (PostgreSQL waits for the other transaction, SQLite has one writer at a time).
    /// </summary>
    async Task<(CommentThread Thread, ThreadMove Moved)> StartThreadAsync(Site site, CommentInput input, string key, DateTime now, int counted,
        CancellationToken ct)
    {
        long id, seq;
        await using (var inserted = await db.ReadAsync("""
            INSERT INTO "Threads" ("SiteId", "Key", "Url", "Identifier", "Title", "CreatedAt", "CommentCount", "Locked", "EventSeq", "LastCommentAt")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, FALSE, 1, CASE WHEN @p6 > 0 THEN @p5 END)
            ON CONFLICT ("SiteId", "Key") DO UPDATE SET
                "CommentCount" = "Threads"."CommentCount" + "excluded"."CommentCount",
                "Title" = COALESCE("Threads"."Title", "excluded"."Title"),
                "EventSeq" = "Threads"."EventSeq" + 1,
                "LastCommentAt" = COALESCE("excluded"."LastCommentAt", "Threads"."LastCommentAt")
            RETURNING "Id", "EventSeq"
            """, [site.Id, key, input.Address.Url, input.Address.Identifier, input.Title, now, counted], ct))
        {
            await inserted.Rows.ReadAsync(ct);
            id = inserted.Rows.GetInt64(0);
            seq = inserted.Rows.GetInt64(1);
        }
        var thread = new CommentThread
        {
            Id = id,
            SiteId = site.Id,
            Key = key,
            Url = input.Address.Url,
            Identifier = input.Address.Identifier,
            Title = input.Title,
            CreatedAt = now,
            CommentCount = counted,
            LastCommentAt = counted > 0 ? now : null,
        };
        return (thread, new ThreadMove(site.Id, key, id, seq));
    }

    /// <summary>Stages the answer under the post's Idempotency-Key, if it has one; the caller saves.</summary>
    void Remember(NewComment post, int status, long commentId, DateTime now)
    {
        if (post.IdempotencyKey is null)
        {
            return;
        }
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            SiteId = post.Site.Id,
            Key = post.IdempotencyKey,
            RequestHash = post.RequestHash!,
            StatusCode = status,
            CommentId = commentId,
            CreatedAt = now,
        });
    }

    /// <summary>
    /// The first answer again, with the comment as it is now: an edit shows, and a comment its author deleted or a
    /// moderator rejected is not handed back (410), so a retry never brings back words that left.
    /// </summary>
    async Task<Results<Created<CommentResponse>, Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        IdempotencyRecord earlier, string requestHash, Site site, CancellationToken ct)
    {
        if (earlier.RequestHash != requestHash)
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request.");
        }
        var comment = earlier.CommentId is { } id
            ? await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id, ct)
            : null;
        if (comment?.ForAuthor() is not { } response)
        {
            return Problems.Of(StatusCodes.Status410Gone, "comment_removed",
                "The comment this request created has since been deleted or removed by a moderator.");
        }
        if (earlier.StatusCode != StatusCodes.Status201Created)
        {
            return TypedResults.Ok(response);
        }
        // Only the answer that created the comment carried its edit token.
        return TypedResults.Created($"/api/v1/sites/{site.Name}/comments/{comment.Id}", response with
        {
            EditToken = EditTokens.For(keys, comment.Id),
            EditableUntil = comment.CreatedAt + options.Value.EditWindow,
        });
    }
}
