using Hearth.People;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.People;

/// <summary>
/// Counts a comment posted through the API the way the post path counts it once StoreNewComment calls the ledger: the
/// stored comment, and the key of the comment it answers. Remove the calls of this once the post path makes them, or
/// every comment counts twice.
/// </summary>
public static class PostPathLedger
{
    public static Task<int> CountPostedAsync(this HearthApp app, long commentId) => app.InDatabaseAsync(async db =>
    {
        var comment = await db.Comments.AsNoTracking().SingleAsync(c => c.Id == commentId);
        var answered = comment.ReplyToId ?? comment.ParentId;
        var parentKey = answered is null ? null : await db.Comments.Where(c => c.Id == answered).Select(c => c.Author.Key).SingleAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await PersonLedger.CommentStoredAsync(db, comment, parentKey, CancellationToken.None);
        await transaction.CommitAsync();
        return 1;
    });

    public static Task<Person> PersonAsync(this HearthApp app, string site, string name) => app.InDatabaseAsync(db =>
        db.People.AsNoTracking().SingleAsync(p => p.Name == name && db.Sites.Any(s => s.Id == p.SiteId && s.Name == site)));
}
