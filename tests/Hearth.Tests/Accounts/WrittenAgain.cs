using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

static class WrittenAgain
{
    /// <summary>
    /// The author of the comment <paramref name="commentId"/> writes more on its page until they have
    /// <paramref name="total"/> there: straight into the database, as a post stores them, and counted on the page and
    /// on the author's person as posts count them. Thousands in a moment, where posting them would take minutes.
    /// </summary>
    public static Task<int> UpToAsync(HearthApp app, long commentId, int total, string words) => app.InDatabaseAsync(async db =>
    {
        var first = await db.Comments.AsNoTracking().SingleAsync(c => c.Id == commentId);
        var thread = await db.Threads.AsNoTracking().SingleAsync(t => t.Id == first.ThreadId);
        var body = app.Services.GetRequiredService<MarkdownRenderer>().Render(words);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        db.Comments.AddRange(Enumerable.Range(1, total - 1).Select(_ =>
            Comment.Create(thread, null, first.Author, body, CommentStatus.Published, null, null, null, now, 10)));
        await db.SaveChangesAsync();
        await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.CommentCount, total));
        return await db.People.Where(p => p.Key == first.Author.Key)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Comments, total).SetProperty(x => x.Approved, total));
    });
}
