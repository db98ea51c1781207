using Hearth.Conversations;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// An import from the site's settings page, as its script sends it: the file as the body, the page's anti-forgery token
/// in a header; then the run followed until its summary, on the same rules as <c>hearth import</c>.
/// </summary>
public class ImportUploadTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    async Task<(Browser Browser, string Site)> OnTeamAsync(SiteRole role, string? site = null)
    {
        var (browser, email) = await app.SignedInAsync($"Ivy {Guid.NewGuid().ToString("N")[..6]}", Password);
        site ??= await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            db.SiteMembers.Add(new SiteMember { SiteId = siteId, UserId = userId, Role = role });
            return await db.SaveChangesAsync();
        });
        return (browser, site);
    }

    /// <summary>Sends the file as the settings page's script does, with the token of a page this browser opened.</summary>
    static async Task<HttpResponseMessage> UploadAsync(Browser browser, string site, string file, string query, bool withToken = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/account/moderate/{site}/imports?{query}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(file)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        if (withToken)
        {
            request.Headers.Add("X-CSRF", await browser.AntiforgeryTokenAsync());
        }
        return await browser.Client.SendAsync(request);
    }

    /// <summary>Follows the run the way the page does, until it is no longer running.</summary>
    static async Task<JsonElement> FollowAsync(Browser browser, HttpResponseMessage accepted)
    {
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"{(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        var location = accepted.Headers.Location!.OriginalString;
        for (var i = 0; i < 1200; i++)
        {
            var job = await browser.Client.GetFromJsonAsync<JsonElement>(location);
            if (job.GetProperty("status").GetString() != "running")
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The import at {location} was still running after two minutes.");
    }

    static List<string> Summary(JsonElement job) => [.. job.GetProperty("summary").EnumerateArray().Select(l => l.GetString()!)];

    [SqliteFact("the command is pointed at this server's data folder, whose database is the SQLite file in it")]
    public async Task AHearthImportCommandsRunIsListedOnTheSettingsPageWithItsFileAndSummary()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var file = Path.Combine(app.DataDirectory, "from-the-shell.xml");
        await File.WriteAllTextAsync(file, DisqusFiles.Everything);

        var exit = await Hearth.Cli.HearthCli.Run(["import", "disqus", file, "--site", site, "--map", "https://old.example/=https://blog.example/",
            "--data", app.DataDirectory], _ => Task.FromResult(2));

        Assert.Equal(0, exit);
        var page = await owner.GetAsync($"/account/moderate/{site}/settings");
        Assert.Contains("from-the-shell.xml", page);
        Assert.Contains("Comments imported: 7 (of which tombstones: 1)", page);
    }

    [Fact]
    public async Task AnOwnerUploadsADisqusFileFollowsItToItsSummaryAndTheSameFileAgainAddsNothing()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var query = "format=disqus&name=oldblog.xml&map=" + Uri.EscapeDataString("https://old.example/=https://blog.example/");
        using var first = await UploadAsync(owner, site, DisqusFiles.Everything, query);
        var job = await FollowAsync(owner, first);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal("oldblog.xml", job.GetProperty("fileName").GetString());
        var summary = Summary(job);
        Assert.Equal("Import finished.", summary[0]);
        Assert.Contains("Threads created: 2", summary);
        Assert.Contains("Comments imported: 7 (of which tombstones: 1)", summary);
        Assert.Contains("Skipped (deleted thread): 1", summary);

        // The comments are there for readers, at the page's new address.
        var thread = await app.CreateClient().ThreadAsync(site, "https://blog.example/posts/one?page=2");
        Assert.Equal(3, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        // The uploaded file is gone from the server's disk once the run ended.
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")));

        using var again = await UploadAsync(owner, site, DisqusFiles.Everything, query);
        var second = Summary(await FollowAsync(owner, again));
        Assert.Contains("Comments imported: 0 (of which tombstones: 0)", second);
        Assert.Contains("Comments already present: 7", second);

        // The settings page keeps the runs, newest first, and the site's log says who imported what.
        var page = await owner.GetAsync($"/account/moderate/{site}/settings");
        Assert.Contains("Comments already present: 7", page);
        Assert.Equal(2, await app.InDatabaseAsync(db => db.AuditLog.CountAsync(a => a.Action == "import" && db.Sites.Any(s => s.Id == a.SiteId && s.Name == site))));
    }

    [Fact]
    public async Task ADryRunTellsWhatWouldHappenAndWritesNothing()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        using var accepted = await UploadAsync(owner, site, DisqusFiles.Many("dry", 2, 3), "format=disqus&dryRun=true&name=try.xml");
        var summary = Summary(await FollowAsync(owner, accepted));
        Assert.Equal("Dry run: nothing was written.", summary[0]);
        Assert.Contains("Comments would be imported: 6 (of which tombstones: 0)", summary);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))));
    }

    [Fact]
    public async Task AHearthExportUploadedFromTheConsoleKeepsWhatModeratorsDecidedAndACutOneImportsNothing()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var page = "https://blog.example/moved-" + Guid.NewGuid().ToString("N");
        var export = "{\"format\":\"hearth-export\",\"version\":1,\"threads\":[{\"id\":1,\"url\":\"" + page + "\",\"locked\":false}],\"comments\":["
            + "{\"id\":1,\"threadId\":1,\"status\":\"published\",\"author\":{\"name\":\"Ann\"},\"html\":\"<p>Kept</p>\",\"createdAt\":\"2025-01-01T10:00:00Z\"},"
            + "{\"id\":2,\"threadId\":1,\"parentId\":1,\"status\":\"rejected\",\"author\":{\"name\":\"Bo\"},\"html\":\"<p>Turned down</p>\",\"createdAt\":\"2025-01-01T11:00:00Z\"},"
            // Dated in the future: taken as written at the import.
            + "{\"id\":3,\"threadId\":1,\"status\":\"published\",\"author\":{\"name\":\"Cy\"},\"html\":\"<p>Tomorrow</p>\",\"createdAt\":\"2999-01-01T00:00:00Z\"}]}";
        using (var cut = await UploadAsync(owner, site, export[..^20], "format=hearth&name=cut.json"))
        {
            var failed = await FollowAsync(owner, cut);
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Matches("line [0-9]+, position [0-9]+", failed.GetProperty("error").GetString()!);
        }
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))));

        using var accepted = await UploadAsync(owner, site, export, "format=hearth&name=blog.json");
        Assert.Equal("done", (await FollowAsync(owner, accepted)).GetProperty("status").GetString());
        var statuses = await app.InDatabaseAsync(db => db.Comments.Where(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))
            .OrderBy(c => c.CreatedAt).Select(c => new { c.Author.Name, c.Status, c.ParentId, c.CreatedAt }).ToListAsync());
        Assert.Equal([("Ann", CommentStatus.Published), ("Bo", CommentStatus.Rejected), ("Cy", CommentStatus.Published)], statuses.Select(c => (c.Name, c.Status)));
        Assert.NotNull(statuses[1].ParentId);
        Assert.True(statuses[2].CreatedAt <= app.Clock.GetUtcNow().UtcDateTime, $"{statuses[2].CreatedAt:O}");
        Assert.True(await app.InDatabaseAsync(db => db.Threads.AnyAsync(t => t.Url == page && t.LastCommentAt <= app.Clock.GetUtcNow().UtcDateTime)));
    }

    [Fact]
    public async Task ATruncatedFileFailsWithItsLineAndImportsNothing()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        using var accepted = await UploadAsync(owner, site, DisqusFiles.Truncated, "format=disqus&name=cut.xml");
        var job = await FollowAsync(owner, accepted);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("error").GetString()!;
        Assert.Matches("line [0-9]+, position [0-9]+", error);
        Assert.EndsWith("Nothing was imported.", error);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))));
        Assert.Contains("Nothing was imported.", await owner.GetAsync($"/account/moderate/{site}/settings"));
    }

    [Fact]
    public async Task WrongRequestsAreRefusedBeforeAnythingIsKept()
    {
        var (moderator, site) = await OnTeamAsync(SiteRole.Moderator);
        var (owner, _) = await OnTeamAsync(SiteRole.Owner, site);
        var (otherOwner, _) = await OnTeamAsync(SiteRole.Owner);
        var file = DisqusFiles.Many("no", 1, 2);
        foreach (var (who, browser, query, withToken, status) in new[]
        {
            ("a moderator", moderator, "format=disqus", true, HttpStatusCode.Forbidden),
            ("another site's owner", otherOwner, "format=disqus", true, HttpStatusCode.NotFound),
            ("someone signed out", app.NewBrowser(), "format=disqus", false, HttpStatusCode.BadRequest),
            ("the owner without the page's token", owner, "format=disqus", false, HttpStatusCode.BadRequest),
            ("the owner naming no format Hearth reads", owner, "format=livefyre", true, HttpStatusCode.BadRequest),
            ("the owner with a map that is not one", owner, "format=disqus&map=nothing-to-map", true, HttpStatusCode.BadRequest),
        })
        {
            using var refused = await UploadAsync(browser, site, file, query, withToken);
            Assert.True(refused.StatusCode == status, $"{who}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }
        using (var empty = await UploadAsync(owner, site, "", "format=disqus"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("empty", await empty.Content.ReadAsStringAsync());
        }
        // This server receives two files at once; a third sender waits.
        var runner = app.Services.GetRequiredService<Hearth.Portability.ImportRunner>();
        await runner.Uploads.WaitAsync();
        await runner.Uploads.WaitAsync();
        try
        {
            using var busy = await UploadAsync(owner, site, file, "format=disqus");
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        }
        finally
        {
            runner.Uploads.Release(2);
        }
        Assert.Equal(0, await app.InDatabaseAsync(db => db.ImportJobs.CountAsync(j => db.Sites.Any(s => s.Id == j.SiteId && s.Name == site))));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))));
        Assert.Empty(Directory.Exists(Path.Combine(app.DataDirectory, "imports")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")) : []);

        // A run going on for this site (on whichever server) keeps the next one out; one whose server went silent is told stopped.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var running = await app.InDatabaseAsync(async db =>
        {
            var job = new Hearth.Portability.ImportJob
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), Format = "disqus", FileName = "big.xml",
                StartedAt = now, UpdatedAt = now,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            return job.Id;
        });
        using (var conflict = await UploadAsync(owner, site, file, "format=disqus"))
        {
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("import_running", await conflict.Content.ReadAsStringAsync());
        }
        Assert.Equal("running", (await owner.Client.GetFromJsonAsync<JsonElement>($"/account/moderate/{site}/imports/{running}")).GetProperty("status").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var silent = await owner.Client.GetFromJsonAsync<JsonElement>($"/account/moderate/{site}/imports/{running}");
        Assert.Equal("stopped", silent.GetProperty("status").GetString());
        Assert.Contains("Import the same file again", silent.GetProperty("error").GetString());
        using (var other = await otherOwner.Client.GetAsync($"/account/moderate/{site}/imports/{running}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
        // The silent run no longer holds the site: the next import goes ahead, and the silent one is failed for good.
        using (var next = await UploadAsync(owner, site, file, "format=disqus"))
        {
            Assert.Equal("done", (await FollowAsync(owner, next)).GetProperty("status").GetString());
        }
        Assert.Equal("failed", await app.InDatabaseAsync(db => db.ImportJobs.Where(j => j.Id == running).Select(j => j.Status).SingleAsync()));
        Assert.Empty(Directory.Exists(Path.Combine(app.DataDirectory, "imports")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")) : []);
    }

    [Fact]
    public async Task AnImportWaitsForTheOneBeforeItOnThisServerAndItsFileNameStaysText()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var runner = app.Services.GetRequiredService<Hearth.Portability.ImportRunner>();
        await runner.RunSlot.WaitAsync();
        string location;
        try
        {
            using var accepted = await UploadAsync(owner, site, DisqusFiles.Many("wait", 1, 2), "format=disqus&name=" + Uri.EscapeDataString("<img src=x onerror=alert(1)>.xml"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            location = accepted.Headers.Location!.OriginalString;
            var waiting = await owner.Client.GetFromJsonAsync<JsonElement>(location);
            Assert.Equal(("running", "waiting for another import on this server"), (waiting.GetProperty("status").GetString(), waiting.GetProperty("phase").GetString()));
            Assert.Contains("data-going=", await owner.GetAsync($"/account/moderate/{site}/settings"));
        }
        finally
        {
            runner.RunSlot.Release();
        }
        using var again = new HttpResponseMessage(HttpStatusCode.Accepted) { Headers = { Location = new Uri(location, UriKind.Relative) } };
        Assert.Equal("done", (await FollowAsync(owner, again)).GetProperty("status").GetString());
        var page = await owner.GetAsync($"/account/moderate/{site}/settings");
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("&lt;img src", page);
    }

    [Fact]
    public async Task WhatARunWhoseServerDiedHadStagedIsSweptAndTheRunSaysItFailed()
    {
        var (_, site) = await OnTeamAsync(SiteRole.Owner);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var runId = await app.InDatabaseAsync(async db =>
        {
            var job = new Hearth.Portability.ImportJob
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), Format = "disqus", FileName = "died.xml",
                StartedAt = now.AddMinutes(-10), UpdatedAt = now.AddMinutes(-5),
            };
            db.ImportJobs.Add(job);
            for (var i = 0; i < 3; i++)
            {
                db.ImportRows.Add(new Hearth.Portability.ImportRow { RunId = job.RunId, Kind = "C", SourceId = $"s{i}" });
            }
            await db.SaveChangesAsync();
            return job.RunId;
        });
        // On SQLite a run stages into a file of its own: the dead run's goes, a run still beating keeps its own.
        var folder = Path.Combine(app.DataDirectory, "imports");
        Directory.CreateDirectory(folder);
        var busy = await app.CreateSiteAsync();
        var living = await app.InDatabaseAsync(async db =>
        {
            var job = new Hearth.Portability.ImportJob
            {
                SiteId = await db.Sites.Where(s => s.Name == busy).Select(s => s.Id).SingleAsync(), Format = "disqus", FileName = "alive.xml",
                StartedAt = now.AddMinutes(-1), UpdatedAt = now, Status = Hearth.Portability.ImportJob.Running,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            return job.RunId;
        });
        var dead = Hearth.Portability.StagingArea.PathFor(folder, runId);
        var alive = Hearth.Portability.StagingArea.PathFor(folder, living);
        await File.WriteAllTextAsync(dead, "staged");
        await File.WriteAllTextAsync(alive, "staged");

        var removed = await app.InDatabaseAsync(db => Hearth.Portability.StoppedImportCleanup.SweepAsync(db, now, CancellationToken.None, folder));
        Assert.True(removed >= (TestDatabase.IsPostgres ? 3 : 4));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.ImportRows.CountAsync(r => r.RunId == runId)));
        Assert.Equal("failed", await app.InDatabaseAsync(db => db.ImportJobs.Where(j => j.RunId == runId).Select(j => j.Status).SingleAsync()));
        Assert.Equal(TestDatabase.IsPostgres, File.Exists(dead));
        Assert.True(File.Exists(alive));
        File.Delete(dead);
        File.Delete(alive);
    }

    /// <summary>
    /// A file that sends its first bytes (and as many bytes of blank space after them as asked, in 64 KB writes, each
    /// taken by the server before the next), says so, then nothing more until the test lets it go, and then its rest.
    /// </summary>
    sealed class StalledFile(TaskCompletionSource release, long padding = 0, string head = "<?xml version=\"1.0\"?><disqus>", string rest = "",
        TaskCompletionSource? sent = null) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
            var blank = Encoding.UTF8.GetBytes(new string(' ', 1 << 16));
            for (var left = padding; left > 0; left -= blank.Length)
            {
                await stream.WriteAsync(blank.AsMemory(0, (int)Math.Min(left, blank.Length)));
                await stream.FlushAsync();
            }
            await stream.FlushAsync();
            sent?.TrySetResult();
            await release.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task AFileThatStopsArrivingGivesUpItsPlaceAfterHalfAnHourAndLeavesNothing()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        // 61 MB first: at the slowest pace allowed that is 32 minutes' worth, so only the half hour can stop it.
        var problem = await GivenUpAsync(owner, site, "slow.xml", Hearth.Portability.ImportUploads.UploadTime + TimeSpan.FromSeconds(30), padding: 61L << 20);
        Assert.Contains("upload_too_slow", problem);
    }

    [Fact]
    public async Task AFileTricklingInSlowerThanTheSlowestPaceGivesUpItsPlaceAfterAMinuteNotHalfAnHour()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        // Some thirty bytes in the first minute and a second: far below the slowest average a file may arrive at.
        var problem = await GivenUpAsync(owner, site, "trickle.xml", Hearth.Portability.ImportUploads.UploadGrace + TimeSpan.FromSeconds(1));
        Assert.Contains("upload_too_slow", problem);
        Assert.Contains("32 KB a second", problem);
    }

    /// <summary>
    /// Sends a file as the page does that stops arriving after its first part, moves the clock on by
    /// <paramref name="silence"/> once the run is written and that part taken, and returns the problem the upload was
    /// answered with, having checked it was a 408, that neither the run nor its file is left, and that the place is free.
    /// </summary>
    async Task<string> GivenUpAsync(Browser owner, string site, string name, TimeSpan silence, long padding = 0)
    {
        var release = new TaskCompletionSource();
        var sent = new TaskCompletionSource();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/account/moderate/{site}/imports?format=disqus&name={name}")
        {
            Content = new StalledFile(release, padding, sent: sent),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-CSRF", await owner.AntiforgeryTokenAsync());
        var sending = owner.Client.SendAsync(request);
        string problem;
        try
        {
            for (var i = 0; i < 300 && !await app.InDatabaseAsync(db => db.ImportJobs.AnyAsync(j => j.FileName == name && j.Status == "uploading")); i++)
            {
                await Task.Delay(50);
            }
            Assert.True(await app.InDatabaseAsync(db => db.ImportJobs.AnyAsync(j => j.FileName == name)), "the upload never began");
            await sent.Task.WaitAsync(TimeSpan.FromMinutes(2));
            app.Clock.Advance(silence);
            using var response = await sending.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
            problem = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            release.TrySetResult();
        }
        Assert.False(await app.InDatabaseAsync(db => db.ImportJobs.AnyAsync(j => j.FileName == name)));
        Assert.Empty(Directory.Exists(Path.Combine(app.DataDirectory, "imports")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")) : []);
        using var next = await UploadAsync(owner, site, DisqusFiles.Many($"after-{name}", 1, 1), "format=disqus");
        Assert.Equal("done", (await FollowAsync(owner, next)).GetProperty("status").GetString());
        return problem;
    }

    [Fact]
    public async Task AFileArrivingFasterThanTheSlowestPaceMayTakeLongerThanAMinute()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var release = new TaskCompletionSource();
        var sent = new TaskCompletionSource();
        var file = DisqusFiles.Many("steady", 1, 2);
        var split = file.IndexOf('>', file.IndexOf("<disqus", StringComparison.Ordinal)) + 1;
        // 4 MB in the first minute and a half: more than twice the slowest pace, so the file may go on arriving.
        var request = new HttpRequestMessage(HttpMethod.Post, $"/account/moderate/{site}/imports?format=disqus&name=steady.xml")
        {
            Content = new StalledFile(release, padding: 4L << 20, head: file[..split], rest: file[split..], sent: sent),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-CSRF", await owner.AntiforgeryTokenAsync());
        var sending = owner.Client.SendAsync(request);
        await sent.Task.WaitAsync(TimeSpan.FromMinutes(2));
        app.Clock.Advance(TimeSpan.FromSeconds(90));
        release.TrySetResult();
        using var response = await sending.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("done", (await FollowAsync(owner, response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStartingServerRemovesTheFilesOfStoppedRunsAndKeepsThoseStillGoing()
    {
        var (_, site) = await OnTeamAsync(SiteRole.Owner);
        var runner = app.Services.GetRequiredService<Hearth.Portability.ImportRunner>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var going = await app.InDatabaseAsync(async db =>
        {
            var job = new Hearth.Portability.ImportJob
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), Format = "disqus", FileName = "going.xml",
                StartedAt = now, UpdatedAt = now,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            return job;
        });
        // One run still going (on another node sharing the data folder, say), one whose run is long gone.
        var kept = runner.PathFor(going);
        var left = Path.Combine(runner.Folder, $"{Guid.NewGuid()}.upload");
        await File.WriteAllTextAsync(kept, "<disqus/>");
        await File.WriteAllTextAsync(left, "<disqus/>");
        await runner.StartAsync(CancellationToken.None);
        Assert.True(File.Exists(kept));
        Assert.False(File.Exists(left));
        File.Delete(kept);
        await app.InDatabaseAsync(db => db.ImportJobs.Where(j => j.Id == going.Id).ExecuteDeleteAsync());
    }
}

/// <summary>A server that takes small imports only.</summary>
public sealed class SmallImportsApp : AccountsApp
{
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Hearth:MaxImportBytes"] = "2048" };
}

public class ImportUploadLimitTests(SmallImportsApp app) : IClassFixture<SmallImportsApp>
{
    [Fact]
    public async Task AFileLargerThanTheServerTakesIsRefusedAndNothingIsKept()
    {
        var (owner, email) = await app.SignedInAsync($"Lia {Guid.NewGuid().ToString("N")[..6]}", "a lantern by the lock");
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            db.SiteMembers.Add(new SiteMember
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(),
                UserId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(), Role = SiteRole.Owner,
            });
            return await db.SaveChangesAsync();
        });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/account/moderate/{site}/imports?format=disqus")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(DisqusFiles.Many("big", 5, 10))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-CSRF", await owner.AntiforgeryTokenAsync());
        using var refused = await owner.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.ImportJobs.CountAsync()));
        Assert.Empty(Directory.Exists(Path.Combine(app.DataDirectory, "imports")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "imports")) : []);
    }
}
