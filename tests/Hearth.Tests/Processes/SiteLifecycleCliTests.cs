using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Hearth.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Processes;

/// <summary>hearth sites remove and rename, against a data folder that a running server filled the usual ways.</summary>
public class SiteLifecycleCliTests
{
    static readonly TimeSpan CacheDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RemovingASiteTakesEverythingOfItAndLeavesAnotherSiteAndPeoplesAccountsAsTheyWere()
    {
        await using var app = new HearthApp();
        var client = app.CreateClient();
        var doomed = await PopulatedSiteAsync(app, client);
        var kept = await PopulatedSiteAsync(app, client);
        var accountId = await AccountWithRolesAsync(app, doomed.Name, kept.Name);
        var doomedBefore = await RowsAsync(app, doomed.Id);
        var keptBefore = await RowsAsync(app, kept.Id);
        // Every table that belongs to sites holds rows of both, so a table that removal forgot shows below.
        Assert.All(doomedBefore, rows => Assert.True(rows.Value > 0, $"The test's site has no rows in {rows.Key}: fill it in PopulatedSiteAsync."));

        var run = await HearthCommand.RunAsync("sites", "remove", doomed.Name, "--yes", "--data", app.DataDirectory);

        Assert.True(run.ExitCode == 0, run.ToString());
        var removed = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(doomed.Name, removed.GetProperty("removed").GetString());
        Assert.Equal(doomedBefore["Threads"], removed.GetProperty("threads").GetInt32());
        Assert.Equal(doomedBefore["Comments"], removed.GetProperty("comments").GetInt32());
        Assert.Equal(doomedBefore["Votes (by comment)"], removed.GetProperty("votes").GetInt32());
        Assert.Equal(doomedBefore["Reports"], removed.GetProperty("reports").GetInt32());
        Assert.Equal(doomedBefore["Bans"], removed.GetProperty("bans").GetInt32());
        Assert.Equal(doomedBefore["AuditLog"], removed.GetProperty("auditEntries").GetInt32());
        Assert.Equal(2, removed.GetProperty("singleSignOnPeople").GetInt32());
        // The account's role; the single sign-on people's roles, badges and sessions went with them.
        Assert.Equal(1, removed.GetProperty("roles").GetInt32());

        var doomedAfter = await RowsAsync(app, doomed.Id);
        Assert.All(doomedAfter, rows => Assert.True(rows.Value == 0, $"{rows.Value} rows of the removed site are left in {rows.Key}."));
        Assert.Equal(keptBefore, await RowsAsync(app, kept.Id));
        Assert.True(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Id == accountId)), "An account made on Hearth must stay.");

        app.Services.GetRequiredService<Hearth.Sites.SiteDirectory>().Forget(kept.Name);
        var thread = await client.ThreadAsync(kept.Name, kept.Url);
        Assert.Equal(kept.Comments, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        app.Services.GetRequiredService<Hearth.Sites.SiteDirectory>().Forget(doomed.Name);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/sites/{doomed.Name}/thread?url={Uri.EscapeDataString(doomed.Url)}")).StatusCode);
    }

    [Fact]
    public async Task BadRemovesAndRenamesSayWhatIsWrongExitWithOneAndChangeNothing()
    {
        using var data = new DataFolder();
        foreach (var name in new[] { "blog", "shop" })
        {
            var add = await HearthCommand.RunAsync("sites", "add", name, "--origin", $"https://{name}.example", "--data", data.Path);
            Assert.True(add.ExitCode == 0, add.ToString());
        }
        var before = await ListAsync(data);

        foreach (var (args, message) in new (string[], string)[]
        {
            (["remove", "nowhere", "--yes"], "hearth: There is no site named 'nowhere'. See hearth sites list."),
            (["remove", "blog"], "hearth: Removing the site 'blog' cannot be undone, and there is no terminal to ask on: add --yes to remove it."),
            (["rename", "nowhere", "elsewhere"], "hearth: There is no site named 'nowhere'."),
            (["rename", "blog", "shop"], "hearth: A site named 'shop' already exists."),
            (["rename", "blog", "My Blog"], "hearth: 'My Blog' is not a valid site name: use 1-64 lower-case letters, digits and dashes."),
            (["rename", "blog", "-blog"], "hearth: '-blog' is not a valid site name"),
            (["rename", "blog", "blog"], "hearth: The site is already named 'blog'."),
        })
        {
            var run = await HearthCommand.RunAsync(["sites", .. args, "--data", data.Path], environment: null, input: "blog\n");
            Assert.True(run.ExitCode == 1, $"{string.Join(' ', args)}: {run}");
            Assert.Contains(message, run.Stderr);
            Assert.Equal("", run.Stdout);
            Assert.Equal(before, await ListAsync(data));
        }
    }

    [Fact]
    public async Task OnATerminalRemoveAsksForTheSiteNameAndRemovesOnlyWhenItIsTyped()
    {
        using var data = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());

        var refused = await OnATerminalAsync("blgo\n", "sites", "remove", "blog", "--data", data.Path);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("This removes the site 'blog' for good, with its 0 threads and 0 comments", refused.Stdout);
        Assert.Contains("Nothing was removed", refused.Stdout);
        Assert.Contains("\"blog\"", await ListAsync(data));

        var confirmed = await OnATerminalAsync("blog\n", "sites", "remove", "blog", "--data", data.Path);
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Contains("\"removed\": \"blog\"", confirmed.Stdout);
        Assert.Equal("[]", (await ListAsync(data)).Trim());
    }

    [Fact]
    public async Task ARenamedSiteKeepsItsThreadsAndARunningServerAnswersToTheNewNameOnly()
    {
        using var data = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", "old-name", "--origin", "https://blog.example", "--data", data.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        var id = JsonDocument.Parse(add.Stdout).RootElement.GetProperty("id").GetInt64();
        using var server = await HearthProcess.StartAsync(data.Path);
        var url = ApiCalls.NewPageUrl();
        await server.Client.CommentAsync("old-name", url, "Written before the site had its new name.");
        // Looked up before the rename, so the server has remembered the new name's absence and must notice by itself.
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(Thread("new-name", url))).StatusCode);

        var rename = await HearthCommand.RunAsync("sites", "rename", "old-name", "new-name", "--data", data.Path);

        Assert.True(rename.ExitCode == 0, rename.ToString());
        var site = JsonDocument.Parse(rename.Stdout).RootElement;
        Assert.Equal(id, site.GetProperty("id").GetInt64());
        Assert.Equal("new-name", site.GetProperty("name").GetString());
        var waiting = Stopwatch.StartNew();
        while (((await server.Client.GetAsync(Thread("new-name", url))).StatusCode != HttpStatusCode.OK
                || (await server.Client.GetAsync(Thread("old-name", url))).StatusCode != HttpStatusCode.NotFound)
               && waiting.Elapsed < CacheDeadline)
        {
            await Task.Delay(200);
        }
        var thread = await server.Client.ThreadAsync("new-name", url);
        Assert.Equal(1, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(Thread("old-name", url))).StatusCode);
    }

    [Fact]
    public async Task AFolderWhoseLastSiteWasRemovedDoesNotGetTheDemoAgain()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "only", "--origin", "https://only.example", "--data", data.Path)).ExitCode);
        var remove = await HearthCommand.RunAsync("sites", "remove", "only", "--yes", "--data", data.Path);
        Assert.True(remove.ExitCode == 0, remove.ToString());

        using (var server = await HearthProcess.StartAsync(data.Path))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(Thread("demo", "http://localhost:8080/demo"))).StatusCode);
        }
        Assert.Equal("[]", (await ListAsync(data)).Trim());
    }

    /// <summary>A site with a bit of everything: guests' and single sign-on members' comments and replies, votes,
    /// reports, a ban, a spam decision (which trains the filter), an idempotent post, a moderator with an API token, a guest who
    /// asked for replies by e-mail.</summary>
    static async Task<(string Name, long Id, string Url, int Comments)> PopulatedSiteAsync(HearthApp app, HttpClient client)
    {
        var (site, moderator, secret) = await app.SiteWithTeamMemberAsync("Mo", SiteRole.Moderator);
        var url = ApiCalls.NewPageUrl();
        using (var first = await client.PostCommentAsync(site, new
        {
            url, body = "Planting garlic before the first frost gives the cloves time to root properly", author = new { name = "Gus" },
        }, idempotencyKey: Guid.NewGuid().ToString()))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }
        var top = (await client.ThreadAsync(site, url)).GetProperty("comments")[0].Id();
        var reply = await client.CommentAsync(site, url, "I agree, though a mild winter can fool the cloves into sprouting early", top, name: "Spammy");
        var reader = await client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "reader-1", name: "Rae")));
        long raes;
        using (var member = await client.PostAsMemberAsync(site, reader, new { url, parentId = top, body = "Mine went in late and still came up fine." }))
        {
            Assert.Equal(HttpStatusCode.Created, member.StatusCode);
            raes = (await member.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Id();
        }
        // Rae follows the conversation she wrote in, and a reply to her is in her inbox.
        await client.CommentAsync(site, url, "Late planting worked for me too, with a thick mulch", raes, name: "Mulcher");
        // A guest asks for replies by e-mail.
        using (var asked = await client.PostCommentAsync(site, new
        {
            url, parentId = top, body = "Do you water them in autumn?", author = new { name = "Ivy", email = $"ivy-{Guid.NewGuid():N}@mail.example" }, notifyReplies = true,
        }))
        {
            Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        }
        using (var vote = await client.PostAsJsonAsync($"/api/v1/sites/{site}/comments/{top}/vote", new { value = 1 }))
        {
            Assert.True(vote.IsSuccessStatusCode, await vote.Content.ReadAsStringAsync());
        }
        var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{reply.Id()}/report") { Content = JsonContent.Create(new { reason = "spam" }) };
        report.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using (var reported = await client.SendAsync(report))
        {
            Assert.True(reported.IsSuccessStatusCode, await reported.Content.ReadAsStringAsync());
        }
        using (var ban = await client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
            new { kind = "email", value = "spammy@mail.example", reason = "selling pills", days = 7 }))
        {
            Assert.True(ban.IsSuccessStatusCode, await ban.Content.ReadAsStringAsync());
        }
        using (var spam = await client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{reply.Id()}/spam"))
        {
            Assert.True(spam.IsSuccessStatusCode, await spam.Content.ReadAsStringAsync());
        }
        // A reader opened the page in the widget: a page view, and the origin it was opened from.
        var view = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}&view=1");
        view.Headers.Add("Origin", "https://blog.example");
        using (var viewed = await client.SendAsync(view))
        {
            Assert.True(viewed.IsSuccessStatusCode);
        }
        await app.Services.GetRequiredService<Hearth.Analytics.ViewCounter>().FlushAsync(CancellationToken.None);
        var id = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        // Someone following a person of the site, and a comment of theirs being handed out to followers.
        await app.InDatabaseAsync(async db =>
        {
            var person = await db.People.Where(p => p.SiteId == id).OrderBy(p => p.Id).FirstAsync();
            var comment = await db.Comments.Where(c => c.SiteId == id).OrderBy(c => c.Id).FirstAsync();
            var follower = new HearthUser { UserName = "f" + Guid.NewGuid().ToString("N"), DisplayName = "Fern", SecurityStamp = "x" };
            db.Users.Add(follower);
            await db.SaveChangesAsync();
            db.Add(new Hearth.Notifications.PersonFollow { UserId = follower.Id, PersonId = person.Id, SiteId = id, State = "following" });
            db.Add(new Hearth.Notifications.PersonFanout { CommentId = comment.Id, SiteId = id, ThreadId = comment.ThreadId, PersonId = person.Id, EventId = 1 });
            // A member of the site's team who has read its comments in the team inbox.
            db.Add(new Hearth.Notifications.TeamReadMark { UserId = follower.Id, SiteId = id, ReadThrough = comment.CreatedAt });
            // An invitation to join the team, not yet accepted.
            db.Add(new Hearth.Sites.TeamInvite { SiteId = id, Email = "invited@blog.example", Role = SiteRole.Moderator, TokenHash = Guid.NewGuid().ToString("N"),
                InvitedByUserId = follower.Id, CreatedAt = comment.CreatedAt, ExpiresAt = comment.CreatedAt.AddDays(7) });
            // An import its owner ran from the settings page.
            db.Add(new Hearth.Portability.ImportJob { SiteId = id, Format = "disqus", FileName = "old.xml", StartedByUserId = follower.Id,
                StartedAt = comment.CreatedAt, UpdatedAt = comment.CreatedAt });
            return await db.SaveChangesAsync();
        });
        return (site, id, url, 4);
    }

    /// <summary>Someone who made an account on Hearth (an address and a password) and owns both sites.</summary>
    static Task<long> AccountWithRolesAsync(HearthApp app, params string[] sites) => app.InDatabaseAsync(async db =>
    {
        var user = new HearthUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N"), Email = "owner@blog.example", NormalizedEmail = "OWNER@BLOG.EXAMPLE", EmailConfirmed = true,
            PasswordHash = "not a real hash", DisplayName = "Olga", SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        foreach (var name in sites)
        {
            var siteId = await db.Sites.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
            db.SiteMembers.Add(new SiteMember { SiteId = siteId, UserId = user.Id, Role = SiteRole.Owner });
        }
        await db.SaveChangesAsync();
        return user.Id;
    });

    /// <summary>The site's rows in every table of the model that has a SiteId, and in those tied to it another way.</summary>
    static Task<Dictionary<string, int>> RowsAsync(HearthApp app, long siteId) => app.InDatabaseAsync(async db =>
    {
        var rows = new Dictionary<string, int>();
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.FindProperty("SiteId") is not null && e.GetTableName() is not null))
        {
            // Table names come from the model, not from input.
#pragma warning disable EF1002
            rows[entity.GetTableName()!] = await db.Database
                .SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{entity.GetTableName()}\" WHERE \"SiteId\" = {{0}}", siteId).SingleAsync();
#pragma warning restore EF1002
        }
        rows["Sites"] = await db.Sites.CountAsync(s => s.Id == siteId);
        rows["Votes (by comment)"] = await db.Votes.CountAsync(v => db.Comments.Any(c => c.Id == v.CommentId && c.SiteId == siteId));
        var provider = SignInWithSso.LoginProvider(siteId);
        rows["Users (single sign-on)"] = await db.Users.CountAsync(u => db.UserLogins.Any(l => l.UserId == u.Id && l.LoginProvider == provider));
        rows["UserLogins"] = await db.UserLogins.CountAsync(l => l.LoginProvider == provider);
        return rows;
    });

    static string Thread(string site, string url) => $"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}";

    static async Task<string> ListAsync(DataFolder data)
    {
        var list = await HearthCommand.RunAsync("sites", "list", "--data", data.Path);
        Assert.True(list.ExitCode == 0, list.ToString());
        return list.Stdout;
    }

    /// <summary>
    /// The command under a pseudo-terminal (util-linux script), as a person at a keyboard runs it: what it prints and
    /// what is typed come back together on stdout.
    /// </summary>
    static async Task<CliResult> OnATerminalAsync(string typed, params string[] args)
    {
        var info = HearthProcess.StartInfo(args);
        var command = string.Join(' ', new[] { info.FileName }.Concat(info.ArgumentList).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var terminal = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            terminal.ArgumentList.Add(arg);
        }
        terminal.Environment.Clear();
        foreach (var (key, value) in info.Environment)
        {
            terminal.Environment[key] = value;
        }
        using var process = Process.Start(terminal)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(typed);
        await process.StandardInput.FlushAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        process.StandardInput.Close();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
