using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>
/// One person, one face: when someone changes their name, website or picture, their earlier comments follow. Each
/// comment that changes is an update in its thread's log, in the same transaction, so every node's cached pages of
/// those threads are known to be behind even if the change bus's message is lost, and open pages show the new face.
/// </summary>
public sealed class MemberComments(HearthDb db, WriteGate gate, InstanceKey keys, ThreadChanges changes, TimeProvider clock)
{
    public async Task RefreshAuthorAsync(long userId, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
            var avatar = (await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct))?.Url;
            // Their threads first, in the one order all writers use; then the comments as they now are.
            var ids = await db.Comments.Where(c => c.Author.UserId == userId).Select(c => c.Id).ToListAsync(ct);
            await ThreadLocks.OfCommentsAsync(db, ids, ct);
            var comments = await db.Comments.Where(c => c.Author.UserId == userId).OrderBy(c => c.Id).ToListAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var actor = ThreadLog.MemberActor(keys, userId);
            foreach (var comment in comments)
            {
                if (comment.Author.Name == user.DisplayName && comment.Author.Website == user.Website && comment.Author.Avatar == avatar)
                {
                    continue;
                }
                comment.Author.Name = user.DisplayName;
                comment.Author.Website = user.Website;
                comment.Author.Avatar = avatar;
                await ThreadLog.AppendAsync(db, comment, ThreadEvent.Updated, comment.Status, actor, now, ct);
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.PublishAsync();
    }
}
