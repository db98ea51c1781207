using System.Net;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Conversations;

/// <summary>
/// Removing the last live comment under a long chain of tombstones frees a bounded number of them, not the whole
/// chain in one request: the rest stay, shown as deleted, and the page still reads.
/// </summary>
public sealed class TombstoneChainTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task ADeletionFreesAtMostABoundedRunOfEmptiedTombstonesAbove()
    {
        var (site, token) = await app.SiteWithModeratorAsync(ModerationMode.Post);
        const int tombstones = CommentRemoval.MaxFreed + 50;
        var (threadUrl, threadId, last) = await app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var url = ApiCalls.NewPageUrl();
            var thread = new CommentThread { SiteId = siteId, Key = "u:" + url, Url = url, CreatedAt = now, CommentCount = 1 };
            db.Threads.Add(thread);
            await db.SaveChangesAsync();
            var body = app.Services.GetRequiredService<MarkdownRenderer>().Render("Words that were taken back.");
            Comment? parent = null;
            for (var i = 0; i <= tombstones; i++)
            {
                var comment = Comment.Create(thread, parent, new CommentAuthor { Kind = AuthorKind.Guest, Name = $"Guest {i}", Key = $"guest-{i}" },
                    body, CommentStatus.Published, null, null, null, now, tombstones + 10);
                if (i < tombstones)
                {
                    comment.MarkDeleted(now);
                }
                db.Comments.Add(comment);
                await db.SaveChangesAsync();
                parent = comment;
            }
            return (url, thread.Id, parent!.Id);
        });

        using var deleted = await app.CreateClient().AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{last}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var left = await app.InDatabaseAsync(db => db.Comments.Where(c => c.ThreadId == threadId).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(tombstones - CommentRemoval.MaxFreed, left.Count);
        Assert.All(left, c => Assert.Equal(CommentStatus.Deleted, c.Status));
        // The ones kept are the top of the chain, whole: each still answers the one above it.
        Assert.Equal(left.Skip(1).Select(c => c.ParentId), left.SkipLast(1).Select(c => (long?)c.Id));
        var page = await app.CreateClient().ThreadAsync(site, threadUrl);
        var shown = page.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(left.Count, shown.Count);
        Assert.All(shown, c => Assert.Equal("deleted", c.GetProperty("status").GetString()));
    }
}
