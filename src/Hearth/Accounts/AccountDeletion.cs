using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>
/// An account goes, and with it everything that says who it was: its comments are removed (tombstones where others
/// replied) or kept as a "former member"'s, its votes are taken back, and its sessions, roles, logins, stored answers,
/// reports and the address hashes of its comments are gone, and so is its key from the event log (which holds no
/// names: readers get comments as they are now); bans and audit entries about it keep no id or address
/// (<see cref="DeletedAccount"/>); its person on every site goes, with the guests it claimed
/// (<see cref="People.PersonMerge.ForgetAccountAsync"/>). On SQLite the deleted bytes are overwritten and the
/// write-ahead log emptied, so the database file itself keeps no copy of them (older backups of it do).
/// </summary>
/// <remarks>
/// The comments and the votes go in turns of <see cref="PerTurn"/>, each a transaction of its own at the write gate,
/// and the account itself in a last one with whatever its turns left (comments written while they ran). An account
/// with a hundred thousand comments, deleted in one transaction, held every writer of the node (and, on PostgreSQL,
/// every thread it wrote in) for the whole of it. A deletion cut short leaves the account as it was but for the turns
/// done: each turn is whole, and deleting it again finishes.
/// </remarks>
public sealed class AccountDeletion(HearthDb db, WriteGate gate, InstanceKey keys, DeletedAccount moderation, ThreadChanges changes,
    WalCheckpoints checkpoints, TimeProvider clock)
{
    public const string FormerMember = "former member";

    /// <summary>Comments, or votes, taken back in one turn: each comment removed costs a handful of statements.</summary>
    internal const int PerTurn = 100;

    /// <remarks>
    /// Callers on a request pass no request token: a browser that stops waiting would otherwise leave the account
    /// half deleted, which deleting again mends but the person may never come back to do.
    /// </remarks>
    public async Task RunAsync(long userId, bool keepComments, CancellationToken ct)
    {
        var before = long.MaxValue;
        while (await CommentsTurnAsync(userId, keepComments, before, ct) is { } last)
        {
            await changes.PublishAsync();
            before = last;
        }
        var after = long.MinValue;
        while (await VotesTurnAsync(userId, after, ct) is { } lastVoted)
        {
            await changes.PublishAsync();
            after = lastVoted;
        }
        List<long> mentioning;
        using (await gate.EnterAsync(ct))
        {
            mentioning = await DeleteAsync(userId, keepComments, ct);
            if (db.Database.IsSqlite())
            {
                // Deleted bytes are zeroed in the database (see SqlitePragmas); the pages as they were before would
                // stay in the write-ahead log until later writes overwrite them.
                await checkpoints.EmptyLogAsync(db, ct);
            }
        }
        await changes.PublishAsync();
        // The links went with the account (its mentions with its row); others' comments that showed them are then
        // logged as updated, a turn at a time: an account can be named in any number of them.
        foreach (var chunk in mentioning.Chunk(PerTurn))
        {
            using (await gate.EnterAsync(ct))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await ThreadLocks.OfCommentsAsync(db, chunk, ct);
                await UnlinkMentionsAsync([.. chunk], clock.GetUtcNow().UtcDateTime, ct);
                await transaction.CommitAsync(ct);
                db.ChangeTracker.Clear();
            }
            await changes.PublishAsync();
        }
    }

    /// <returns>The lowest comment id the turn took, or null when the account has no comment below <paramref name="before"/>.</returns>
    async Task<long?> CommentsTurnAsync(long userId, bool keepComments, long before, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Newest first, here as in each turn: a comment's own replies by the same person go before it is looked at.
            var ids = await db.Comments.Where(c => c.Author.UserId == userId && c.Id < before).OrderByDescending(c => c.Id)
                .Select(c => c.Id).Take(PerTurn).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return null;
            }
            await ThreadLocks.OfCommentsAsync(db, ids, ct);
            await ThreadLocks.OfPeopleAsync(db, await PeopleAsync(userId, ct), ids, ct);
            await RemoveCommentsAsync(userId, ids, keepComments, ct);
            db.ChangeTracker.Clear();
            await transaction.CommitAsync(ct);
            return ids[^1];
        }
    }

    /// <returns>The highest comment id whose vote the turn took back, or null when none is left after <paramref name="after"/>.</returns>
    async Task<long?> VotesTurnAsync(long userId, long after, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var voter = "member:" + userId;
            var voted = await db.Votes.Where(v => v.VoterKey == voter && v.CommentId > after).OrderBy(v => v.CommentId)
                .Select(v => v.CommentId).Take(PerTurn).ToListAsync(ct);
            if (voted.Count == 0)
            {
                return null;
            }
            await ThreadLocks.OfCommentsAsync(db, voted, ct);
            await TakeBackVotesAsync(voter, voted, clock.GetUtcNow().UtcDateTime, ct);
            db.ChangeTracker.Clear();
            await transaction.CommitAsync(ct);
            return voted[^1];
        }
    }

    /// <summary>The account's people on every site and the guests merged into them: removals change their records.</summary>
    async Task<List<(long SiteId, string Key)>> PeopleAsync(long userId, CancellationToken ct)
    {
        var theirs = db.People.Where(p => p.UserId == userId).Select(p => p.Id);
        var people = await db.People.Where(p => p.UserId == userId || (p.MergedIntoId != null && theirs.Contains(p.MergedIntoId.Value)))
            .Select(p => new { p.SiteId, p.Key }).ToListAsync(ct);
        return [.. people.Select(p => (p.SiteId, p.Key))];
    }

    /// <returns>Others' comments that linked to the account, to log as updated once it is gone.</returns>
    async Task<List<long>> DeleteAsync(long userId, bool keepComments, CancellationToken ct)
    {
        var voter = "member:" + userId;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        // What the turns left: normally nothing, but for comments and votes made while they ran.
        var commentIds = await db.Comments.Where(c => c.Author.UserId == userId).OrderByDescending(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        // Every thread this changes (those of the account's comments and of the comments it voted on) is locked first,
        // in the one order all writers use, before the spam filter's rows, the comments and the votes.
        var voted = await db.Votes.Where(v => v.VoterKey == voter).Select(v => v.CommentId).ToListAsync(ct);
        // Others' comments that link to the account's profile (see MentionLinks) are shown again without the link.
        var mentioning = await db.CommentMentions.Where(m => m.UserId == userId && !commentIds.Contains(m.CommentId))
            .OrderBy(m => m.CommentId).Select(m => m.CommentId).ToListAsync(ct);
        await ThreadLocks.OfCommentsAsync(db, [.. commentIds, .. voted], ct);
        // Then the account's people on every site and the guests merged into them: the removals and the forgetting
        // below change their records one after another.
        var people = await PeopleAsync(userId, ct);
        await ThreadLocks.OfPeopleAsync(db, people, commentIds, ct);
        await RemoveCommentsAsync(userId, commentIds, keepComments, ct);
        await TakeBackVotesAsync(voter, voted, now, ct);
        await moderation.ForgetAsync(userId, email, ct);
        await People.PersonMerge.ForgetAccountAsync(db, userId, ct);
        await db.MemberSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        await db.SiteMembers.Where(m => m.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UploadedAvatars.Where(a => a.UserId == userId).ExecuteDeleteAsync(ct);
        if (email is not null)
        {
            // Mail still waiting for the mail server (which refused it so far) would carry the address, and words, on
            // after the account: it goes with it, never sent.
            var address = email.ToLowerInvariant();
            await db.Set<Mail.QueuedMail>().Where(m => m.To.ToLower() == address).ExecuteDeleteAsync(ct);
        }
        // Logins, claims, tokens, passkeys and whom mentions reached go with the user row (cascade).
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(ct);
        await ForgetInLogAsync([ThreadLog.MemberActor(keys, userId), .. people.Select(p => p.Key)], ct);
        await transaction.CommitAsync(ct);
        return mentioning;
    }

    /// <summary>
    /// The account's comments <paramref name="ids"/> (newest first), removed or kept as a former member's, with what the
    /// spam filter learned from them, their stored answers, and what moderation holds of their words and addresses.
    /// </summary>
    async Task RemoveCommentsAsync(long userId, List<long> ids, bool keepComments, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var actor = ThreadLog.MemberActor(keys, userId);
        var now = clock.GetUtcNow().UtcDateTime;
        var ipHashes = await db.Comments.Where(c => ids.Contains(c.Id) && c.IpHash != null).Select(c => c.IpHash!).Distinct().ToListAsync(ct);
        if (!keepComments)
        {
            await moderation.UnlearnAsync(ids, ct);
        }
        await db.IdempotencyRecords.Where(r => r.CommentId != null && ids.Contains(r.CommentId.Value)).ExecuteDeleteAsync(ct);
        foreach (var id in ids)
        {
            var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == id, ct);
            if (comment is null)
            {
                continue; // went with a reply of the same person, as an emptied tombstone
            }
            if (keepComments)
            {
                comment.Anonymise(FormerMember, keys.Hash("author", "former\n" + comment.Id));
                await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, actor, now, ct);
            }
            else
            {
                if (comment.Status == CommentStatus.Published)
                {
                    await db.Threads.Where(t => t.Id == comment.ThreadId).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommentCount, t => t.CommentCount + -1), ct);
                }
                await CommentRemoval.RemoveAsync(db, comment, actor, now, ct);
            }
            await db.SaveChangesAsync(ct);
        }
        await moderation.ForgetCommentsAsync(ids, ipHashes, ct);
    }

    /// <summary>
    /// The log's entries keep what happened, no longer by whom: the account's key (which its comments showed in public,
    /// so anyone who saw them could follow it through the log) and the keys of the guests it claimed go from every entry
    /// that carried them as the one who acted, the author, or the one answered, including those this deletion just wrote
    /// and those of comments gone long ago. One reading of the whole log: an index on these keys would cost every post a
    /// write for the sake of a rare deletion.
    /// </summary>
    async Task ForgetInLogAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var distinct = keys.Where(k => k.Length > 0).Distinct().ToArray();
        var list = string.Join(", ", distinct.Select((_, i) => $"{{{i}}}"));
        // Only placeholders go into the text; the keys are parameters.
        var forget = $"""
            UPDATE "ThreadEvents" SET
                "ActorKey" = CASE WHEN "ActorKey" IN ({list}) THEN NULL ELSE "ActorKey" END,
                "AuthorKey" = CASE WHEN "AuthorKey" IN ({list}) THEN NULL ELSE "AuthorKey" END,
                "ParentAuthorKey" = CASE WHEN "ParentAuthorKey" IN ({list}) THEN NULL ELSE "ParentAuthorKey" END
            WHERE "ActorKey" IN ({list}) OR "AuthorKey" IN ({list}) OR "ParentAuthorKey" IN ({list})
            """;
        await db.Database.ExecuteSqlRawAsync(forget, distinct, ct);
    }

    /// <summary>
    /// Each comment that linked to the account is an update in its thread's log, so cached pages on every node are
    /// known to be behind and open pages get it again, without the link. No actor: nothing in the log may name the account.
    /// </summary>
    async Task UnlinkMentionsAsync(List<long> commentIds, DateTime now, CancellationToken ct)
    {
        if (commentIds.Count == 0)
        {
            return;
        }
        var comments = await db.Comments.Where(c => commentIds.Contains(c.Id) && c.Status == CommentStatus.Published).ToListAsync(ct);
        foreach (var comment in comments)
        {
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, actorKey: null, now, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The account's votes on <paramref name="commentIds"/> go, and each comment's counts are taken again.</summary>
    async Task TakeBackVotesAsync(string voter, List<long> commentIds, DateTime now, CancellationToken ct)
    {
        if (commentIds.Count == 0)
        {
            return;
        }
        await db.Votes.Where(v => v.VoterKey == voter && commentIds.Contains(v.CommentId)).ExecuteDeleteAsync(ct);
        foreach (var commentId in commentIds)
        {
            var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == commentId, ct);
            if (comment is null)
            {
                continue;
            }
            var up = await db.Votes.CountAsync(v => v.CommentId == commentId && v.Value > 0, ct);
            var down = await db.Votes.CountAsync(v => v.CommentId == commentId && v.Value < 0, ct);
            comment.ApplyVotes(up, down);
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Voted, comment.Status, actorKey: null, now, ct);
        }
        await db.SaveChangesAsync(ct);
    }
}
