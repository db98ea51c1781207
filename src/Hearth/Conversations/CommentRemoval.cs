using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// Taking a comment away. With replies it stays as a tombstone so the conversation under it still makes sense;
/// without, it goes, and so do tombstones it leaves without replies. The caller counts and saves (before removing
/// another comment of the same thread, so this one's queries see the last removal).
/// </summary>
public static class CommentRemoval
{
    public static async Task RemoveAsync(HearthDb db, Comment comment, DateTime now, CancellationToken ct)
    {
        if (await db.Comments.AnyAsync(c => c.ParentId == comment.Id, ct))
        {
            comment.MarkDeleted(now);
            // The words the spam filter kept to unlearn them go with the comment's own.
            await db.Set<Moderation.SpamFilter.SpamLabel>().Where(l => l.CommentId == comment.Id).ExecuteDeleteAsync(ct);
            db.ThreadEvents.Add(ThreadEvents.For(comment, ThreadEvent.Deleted, now));
            return;
        }
        var current = comment;
        while (true)
        {
            db.Comments.Remove(current);
            db.ThreadEvents.Add(ThreadEvents.Removed(current, now));
            if (current.ParentId is not { } parentId)
            {
                return;
            }
            var removedId = current.Id;
            var parent = await db.Comments.FirstAsync(c => c.Id == parentId, ct);
            var otherChildren = await db.Comments.AnyAsync(c => c.ParentId == parentId && c.Id != removedId, ct);
            if (parent.Status != CommentStatus.Deleted || otherChildren)
            {
                return;
            }
            current = parent;
        }
    }
}
