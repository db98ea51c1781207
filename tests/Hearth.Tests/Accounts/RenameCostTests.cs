using System.Net;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Storage;
using Hearth.Tests.Conversations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>Accounts, with every SQL command counted while the meter runs.</summary>
public sealed class MeasuredAccountsApp : AccountsApp
{
    public SqlMeter Meter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.InterceptHearthDb(Meter);
        });
    }
}

/// <summary>
/// A rename that every earlier comment follows costs the server a bounded amount at a time: the comments go in turns
/// of a few statements each, however many there are, so the writers of every site go on between them.
/// </summary>
public sealed class RenameCostTests(MeasuredAccountsApp app) : IClassFixture<MeasuredAccountsApp>
{
    const string Shift = "UPDATE \"Threads\" SET \"EventSeq\" = \"EventSeq\" + CASE";

    [Fact]
    public async Task ARenameOfSomeoneWithThousandsOfCommentsGoesInTurnsOfAFewStatementsAndEveryCommentFollows()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Wordy Wendel", "a kettle on the hob");
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var count = 2 * MemberComments.PerTurn + 100;
        var threads = await AddCommentsAsync(site, userId, count);

        app.Meter.Start();
        using var renamed = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", "Wendel Renamed"), ("website", ""), ("bio", ""));
        var commands = app.Meter.Stop();
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);

        await app.InDatabaseAsync(async db =>
        {
            Assert.Equal(count, await db.Comments.CountAsync(c => c.Author.UserId == userId && c.Author.Name == "Wendel Renamed"));
            // Each comment is an update in its thread's log, numbered on without a gap from the thread's last entry.
            foreach (var thread in threads)
            {
                var seqs = await db.ThreadEvents.Where(e => e.ThreadId == thread).OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync();
                var comments = await db.Comments.CountAsync(c => c.ThreadId == thread && c.Author.UserId == userId);
                Assert.Equal(Enumerable.Range(1, EarlierEvents + comments).Select(i => (long)i), seqs);
                Assert.Equal(EarlierEvents + comments, await db.Threads.Where(t => t.Id == thread).Select(t => t.EventSeq).SingleAsync());
                var logged = await db.ThreadEvents.Where(e => e.ThreadId == thread && e.Type == ThreadEvent.Updated)
                    .Select(e => e.CommentId).Distinct().ToListAsync();
                Assert.Equal(comments, logged.Count);
                // Someone else's comments on the same pages neither change nor are logged.
                Assert.False(await db.Comments.AnyAsync(c => c.ThreadId == thread && c.Author.UserId == null && (c.Author.Name != "Neighbour" || logged.Contains(c.Id))));
            }
            return 0;
        });
        // Three turns for 1,100 comments, each its own transaction, and a bounded number of commands in all: one by
        // comment would be thousands.
        Assert.Equal(3, commands.Count(c => c.Sql.Contains(Shift, StringComparison.Ordinal)));
        Assert.InRange(commands.Count, 1, 60);

        // The page shows the new name, and a second rename to the same face changes nothing and logs nothing.
        var shown = (await app.CreateClient().ThreadAsync(site, ThreadUrl(0))).GetProperty("comments")[0].GetProperty("author");
        Assert.Equal("Wendel Renamed", shown.GetProperty("name").GetString());
        var before = await app.InDatabaseAsync(db => db.ThreadEvents.CountAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MemberComments>().RefreshAuthorAsync(userId, CancellationToken.None);
        }
        Assert.Equal(before, await app.InDatabaseAsync(db => db.ThreadEvents.CountAsync()));
    }

    static string ThreadUrl(int i) => $"https://blog.example/wendel-{i}";

    const int EarlierEvents = 7;

    /// <summary>The member's comments written straight into the database as a post stores them, over four pages.</summary>
    async Task<List<long>> AddCommentsAsync(string site, long userId, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var key = ThreadLog.MemberActor(scope.ServiceProvider.GetRequiredService<InstanceKey>(), userId);
        var body = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>().Render("Tea again, and the kettle sings.");
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var threads = Enumerable.Range(0, 4).Select(i => new CommentThread
        {
            SiteId = siteId, Key = "u:" + ThreadUrl(i), Url = ThreadUrl(i), Title = $"Page {i}", CreatedAt = now,
        }).ToList();
        db.Threads.AddRange(threads);
        await db.SaveChangesAsync();
        db.Comments.AddRange(Enumerable.Range(0, count).Select(i => Comment.Create(threads[i % threads.Count], null,
            new CommentAuthor { Kind = AuthorKind.Member, UserId = userId, Name = "Wordy Wendel", Key = key },
            body, CommentStatus.Published, null, null, null, now.AddSeconds(-i), 10)));
        db.Comments.AddRange(threads.Select(t => Comment.Create(t, null, new CommentAuthor { Kind = AuthorKind.Guest, Name = "Neighbour", Key = "neighbour" },
            body, CommentStatus.Published, null, null, null, now, 10)));
        // Each page's log already has entries: the refresh's numbers go on from them.
        foreach (var thread in threads)
        {
            db.ThreadEvents.AddRange(Enumerable.Range(1, EarlierEvents).Select(seq => new ThreadEvent
            {
                SiteId = siteId, ThreadId = thread.Id, Seq = seq, CommentId = ThreadEvent.NoComment, Type = ThreadEvent.Locked, At = now,
            }));
        }
        await db.SaveChangesAsync();
        var ids = threads.Select(t => t.Id).ToList();
        await db.Threads.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(t => t.SetProperty(x => x.EventSeq, EarlierEvents));
        return ids;
    }
}
