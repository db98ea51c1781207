using System.Data.Common;
using System.Net;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>Counts the transactions the server commits while the counter runs.</summary>
public sealed class CommitCounter : DbTransactionInterceptor
{
    int _commits;
    volatile bool _on;

    public void Start()
    {
        Interlocked.Exchange(ref _commits, 0);
        _on = true;
    }

    public int Stop()
    {
        _on = false;
        return Volatile.Read(ref _commits);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Count();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Count();
        return Task.CompletedTask;
    }

    void Count()
    {
        if (_on)
        {
            Interlocked.Increment(ref _commits);
        }
    }
}

/// <summary>
/// Stops the server's work where a test says, as a machine stopping would: the given execution of a command whose
/// text matches throws, inside whatever transaction it is in, which then never commits.
/// </summary>
public sealed class CommandStop : DbCommandInterceptor
{
    readonly Lock _lock = new();
    Func<string, bool>? _matches;
    int _left;

    public void At(Func<string, bool> matches, int execution)
    {
        lock (_lock)
        {
            (_matches, _left) = (matches, execution);
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    void Check(DbCommand command)
    {
        lock (_lock)
        {
            if (_matches is null || !_matches(command.CommandText) || --_left > 0)
            {
                return;
            }
            _matches = null;
        }
        throw new InvalidOperationException("The server stopped here.");
    }
}

/// <summary>Accounts, with the transactions the server commits counted while the counter runs, and a stop a test can set.</summary>
public sealed class CountedCommitsAccountsApp : AccountsApp
{
    public CommitCounter Commits { get; } = new();

    public CommandStop Stop { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.InterceptHearthDb(Commits, Stop));
    }

    /// <summary>Sends the form, which the stop set beforehand cuts short: the server answers 500 or the test host throws.</summary>
    public static async Task CutShortAsync(Browser browser, string page, params (string Name, string Value)[] fields)
    {
        try
        {
            using var response = await browser.SubmitAsync(page, page, fields);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        catch (InvalidOperationException e) when (e.Message == "The server stopped here.")
        {
        }
    }
}

/// <summary>
/// Claiming more guest comments than one turn takes: they go in turns, each a transaction of its own, and every one
/// ends the member's, counted once on the member's person.
/// </summary>
public sealed class ClaimTurnsTests(CountedCommitsAccountsApp app) : IClassFixture<CountedCommitsAccountsApp>
{
    [Fact]
    public async Task ThousandsOfGuestCommentsAreClaimedInTurnsAndCountedOnce()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Claiming Cato", "a claim on the past");
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var url = ApiCalls.NewPageUrl();
        var client = app.CreateClient();
        long first;
        using (var posted = await client.PostCommentAsync(site, new { url, body = "Written as a guest, long ago.", author = new { name = "Guest Cato", email } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            first = System.Text.Json.JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.Id();
        }
        var total = 2 * GuestClaims.PerTurn + 30;
        await WrittenAgain.UpToAsync(app, first, total, "Written as a guest, again.");

        app.Commits.Start();
        using var claim = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email));
        var commits = app.Commits.Stop();
        Assert.Contains($"{total} guest comments written with", await claim.Content.ReadAsStringAsync());

        // Three turns of comments and the last, empty one that ends the address's guest subscriptions; one transaction
        // would be 1 (the upper bound leaves room for background work that commits meanwhile).
        Assert.InRange(commits, 4, 14);
        await app.InDatabaseAsync(async db =>
        {
            Assert.Equal(total, await db.Comments.CountAsync(c => c.Author.UserId == userId && c.Author.Kind == AuthorKind.Member));
            Assert.False(await db.Comments.AnyAsync(c => c.Author.Kind == AuthorKind.Guest && c.Author.Email == email));
            var account = await db.People.AsNoTracking().SingleAsync(p => p.UserId == userId);
            Assert.Equal((total, total), (account.Comments, account.Approved));
            Assert.Equal(account.Id, await db.People.Where(p => p.Name == "Guest Cato").Select(p => p.MergedIntoId).SingleAsync());
            return 0;
        });
    }

    [Fact]
    public async Task AClaimCutShortAfterItsFirstTurnIsFinishedByClaimingAgainAndCountsEachCommentOnce()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Halted Hedda", "a claim cut in two");
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        long first;
        using (var posted = await app.CreateClient().PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = "Old words as a guest.", author = new { name = "Guest Hedda", email } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            first = System.Text.Json.JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.Id();
        }
        var total = GuestClaims.PerTurn + 30;
        await WrittenAgain.UpToAsync(app, first, total, "More old words as a guest.");

        // The second turn's look-up of what is left to claim never returns: the first turn has committed.
        app.Stop.At(sql => sql.Contains("\"Author_Email\"", StringComparison.Ordinal) && sql.Contains("after", StringComparison.Ordinal), execution: 2);
        await CountedCommitsAccountsApp.CutShortAsync(browser, "/account/claim", ("email", email));
        Assert.Equal(GuestClaims.PerTurn, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.UserId == userId)));

        using var again = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", email));
        Assert.Contains("30 guest comments written with", await again.Content.ReadAsStringAsync());
        await app.InDatabaseAsync(async db =>
        {
            Assert.Equal(total, await db.Comments.CountAsync(c => c.Author.UserId == userId));
            var account = await db.People.AsNoTracking().SingleAsync(p => p.UserId == userId);
            Assert.Equal((total, total), (account.Comments, account.Approved));
            return 0;
        });
    }
}

/// <summary>
/// Deleting an account with more comments and votes than one turn takes: they go in turns, each a transaction of its
/// own (so the writers of every site go on between them), and the end is the same as one transaction's.
/// </summary>
public sealed class DeletionTurnsTests(CountedCommitsAccountsApp app) : IClassFixture<CountedCommitsAccountsApp>
{
    const string Password = "the long way round";

    [Fact]
    public async Task AnAccountWithHundredsOfCommentsAndVotesIsDeletedInTurnsAndEndsAsInOne()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Prolific Pell", Password);
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var written = await WriteAsync(site, userId);

        app.Commits.Start();
        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));
        var commits = app.Commits.Stop();
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());

        // Three turns of comments (230), two of votes (110), and the account itself; one transaction would be 1 (the upper
        // bound leaves room for background work that commits meanwhile).
        Assert.InRange(commits, 6, 16);
        await GoneAsync(userId, written);
    }

    [Fact]
    public async Task ADeletionCutShortAfterItsFirstTurnLeavesTheAccountAndDeletingAgainFinishes()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Halted Hal", Password);
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var written = await WriteAsync(site, userId);

        // The second turn's look-up of the comments left never returns: the first turn has committed.
        app.Stop.At(sql => sql.Contains("\"Author_UserId\"", StringComparison.Ordinal) && sql.Contains("before", StringComparison.Ordinal), execution: 2);
        await CountedCommitsAccountsApp.CutShortAsync(browser, "/account/delete", ("comments", "remove"), ("password", Password));
        await app.InDatabaseAsync(async db =>
        {
            // The account is there, with the comments the first turn did not take.
            Assert.True(await db.Users.AnyAsync(u => u.Id == userId));
            var left = await db.Comments.CountAsync(c => c.Author.UserId == userId);
            Assert.InRange(left, 1, written.Own.Count - AccountDeletion.PerTurn);
            return 0;
        });

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        await GoneAsync(userId, written);
    }

    /// <summary>The account and what named it gone, its comments' places kept where others answered, its counts right.</summary>
    Task<int> GoneAsync(long userId, Written written) =>
        app.InDatabaseAsync(async db =>
        {
            Assert.False(await db.Users.AnyAsync(u => u.Id == userId));
            Assert.False(await db.Comments.AnyAsync(c => c.Author.UserId == userId));
            Assert.False(await db.Votes.AnyAsync(v => v.VoterKey == "member:" + userId));
            // Where a neighbour answered, a tombstone; the rest are gone, the chains of their own replies with them.
            var tombstones = await db.Comments.Where(c => written.Own.Contains(c.Id) && c.Status == CommentStatus.Deleted).Select(c => c.Id).OrderBy(id => id).ToListAsync();
            Assert.Equal(written.Answered.Order(), tombstones);
            Assert.Equal(0, await db.Comments.CountAsync(c => written.Own.Contains(c.Id) && !written.Answered.Contains(c.Id)));
            foreach (var thread in written.Threads)
            {
                var published = await db.Comments.CountAsync(c => c.ThreadId == thread && c.Status == CommentStatus.Published);
                Assert.Equal(published, await db.Threads.Where(t => t.Id == thread).Select(t => t.CommentCount).SingleAsync());
            }
            // What moderation held of comments of the first turn and of the last is forgotten alike: the bans on the
            // addresses they came from keep only a keyed hash, the edits lose their words, and the log names no one.
            var key = ThreadLog.MemberActor(app.Services.GetRequiredService<InstanceKey>(), userId);
            var siteIds = await db.Threads.Where(t => written.Threads.Contains(t.Id)).Select(t => t.SiteId).Distinct().ToListAsync();
            Assert.False(await db.Bans.AnyAsync(b => siteIds.Contains(b.SiteId) && (b.Value == "hash-of-the-oldest" || b.Value == "hash-of-the-newest")));
            Assert.Equal(2, await db.Bans.CountAsync(b => siteIds.Contains(b.SiteId) && b.Kind == Hearth.Moderation.Ban.Ip && b.Reason == "Turns"));
            Assert.Equal(2, await db.AuditLog.CountAsync(a => siteIds.Contains(a.SiteId!.Value) && a.Action == "edit"
                && a.Before == "(words removed with the author's account)"));
            Assert.False(await db.AuditLog.AnyAsync(a => a.Before!.Contains("quoll")));
            Assert.False(await db.ThreadEvents.AnyAsync(e => e.ActorKey == key || e.AuthorKey == key || e.ParentAuthorKey == key));
            // The votes taken back are counted again: each neighbour's comment keeps only the other voter's.
            Assert.Equal(written.Voted.Count, await db.Comments.CountAsync(c => written.Voted.Contains(c.Id) && c.Upvotes == 1));
            return 0;
        });

    sealed record Written(List<long> Threads, List<long> Own, List<long> Answered, List<long> Voted);

    /// <summary>
    /// Written straight into the database as posts store them, over four pages: 230 comments of the member (every tenth
    /// answered by a neighbour, every tenth but five answered by the member's own next comment), and 110 neighbours'
    /// comments, each voted up by the member and by one other voter.
    /// </summary>
    async Task<Written> WriteAsync(string site, long userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var key = ThreadLog.MemberActor(scope.ServiceProvider.GetRequiredService<InstanceKey>(), userId);
        var body = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>().Render("Another thought on the matter.");
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var threads = Enumerable.Range(0, 4).Select(i => new CommentThread
        {
            SiteId = siteId, Key = $"u:https://blog.example/pell-{i}", Url = $"https://blog.example/pell-{i}", Title = $"Page {i}", CreatedAt = now,
        }).ToList();
        db.Threads.AddRange(threads);
        await db.SaveChangesAsync();

        var member = new CommentAuthor { Kind = AuthorKind.Member, UserId = userId, Name = "Prolific Pell", Key = key };
        var neighbour = new CommentAuthor { Kind = AuthorKind.Guest, Name = "Neighbour", Key = "neighbour" };
        var own = new List<Comment>();
        var answered = new List<Comment>();
        var neighbours = new List<Comment>();
        Comment? previous = null;
        for (var i = 0; i < 2 * AccountDeletion.PerTurn + 30; i++)
        {
            var thread = threads[i * threads.Count / (2 * AccountDeletion.PerTurn + 30)];
            var parent = i % 10 == 6 && previous?.ThreadId == thread.Id ? previous : null;
            var ipHash = i == 0 ? "hash-of-the-oldest" : i == 2 * AccountDeletion.PerTurn + 29 ? "hash-of-the-newest" : null;
            var comment = Comment.Create(thread, parent, member, body, CommentStatus.Published, null, null, ipHash, now, 10);
            db.Comments.Add(comment);
            await db.SaveChangesAsync();
            own.Add(comment);
            if (i % 10 == 0)
            {
                answered.Add(comment);
                neighbours.Add(Comment.Create(thread, comment, neighbour, body, CommentStatus.Published, null, null, null, now, 10));
            }
            previous = comment;
        }
        for (var i = 0; neighbours.Count < AccountDeletion.PerTurn + 10 + answered.Count; i++)
        {
            neighbours.Add(Comment.Create(threads[i % threads.Count], null, neighbour, body, CommentStatus.Published, null, null, null, now, 10));
        }
        db.Comments.AddRange(neighbours);
        // Moderation's dealings with the oldest comment (the last turn's) and the newest (the first turn's).
        foreach (var (comment, hash) in new[] { (own[0], "hash-of-the-oldest"), (own[^1], "hash-of-the-newest") })
        {
            db.Bans.Add(new Hearth.Moderation.Ban { SiteId = siteId, Kind = Hearth.Moderation.Ban.Ip, Value = hash, Reason = "Turns", CreatedBy = "Mod", CreatedAt = now });
            db.AuditLog.Add(new Hearth.Moderation.AuditEntry
            {
                SiteId = siteId, ActorName = "Mod", Action = "edit", Target = Hearth.Moderation.AuditEntry.CommentTarget(comment.Id),
                Before = "quoll words before", After = "quoll words after", At = now,
            });
        }
        await db.SaveChangesAsync();
        var voted = neighbours.Where(n => n.ParentId is null).ToList();
        foreach (var comment in voted)
        {
            db.Votes.Add(new Vote { CommentId = comment.Id, VoterKey = "member:" + userId, Value = 1, CastAt = now });
            db.Votes.Add(new Vote { CommentId = comment.Id, VoterKey = "someone-else", Value = 1, CastAt = now });
            comment.ApplyVotes(2, 0);
        }
        await db.SaveChangesAsync();
        foreach (var thread in threads)
        {
            var count = await db.Comments.CountAsync(c => c.ThreadId == thread.Id);
            await db.Threads.Where(t => t.Id == thread.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.CommentCount, count));
        }
        Assert.Equal(AccountDeletion.PerTurn + 10, voted.Count);
        return new([.. threads.Select(t => t.Id)], [.. own.Select(c => c.Id)], [.. answered.Select(c => c.Id)], [.. voted.Select(c => c.Id)]);
    }
}
