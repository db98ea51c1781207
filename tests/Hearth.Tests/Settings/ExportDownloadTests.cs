using System.Net;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Settings;

/// <summary>A site's export downloaded from its settings page: the files of <c>hearth export</c>, for owners only, logged.</summary>
public class ExportDownloadTests(AccountsAppThatMeets app) : IClassFixture<AccountsAppThatMeets>
{
    const string Password = "a lantern by the lock";

    async Task<(Browser Browser, string Site)> OnTeamAsync(SiteRole role, string? site = null)
    {
        var (browser, email) = await app.SignedInAsync($"Owen {Guid.NewGuid().ToString("N")[..6]}", Password);
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

    Task<List<string>> ExportsLoggedAsync(string site) => app.InDatabaseAsync(db => db.AuditLog
        .Where(a => a.Action == "export" && db.Sites.Any(s => s.Id == a.SiteId && s.Name == site)).Select(a => a.After!).ToListAsync());

    [Fact]
    public async Task AnOwnerDownloadsTheSitesJsonAndDisqusFilesAndEachIsLogged()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        using (var posted = await client.PostCommentAsync(site, new { url, body = "The tide tables were right to the minute", author = new { name = "Tess", email = "tess@guest.example" } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        var rejected = await client.CommentAsync(site, url, "Buy cheap watches at my shop", name: "Pedlar");
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == rejected.Id())
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, Hearth.Conversations.CommentStatus.Rejected)));

        Assert.Contains($"/account/moderate/{site}/export/hearth.json", await owner.GetAsync($"/account/moderate/{site}/settings"));
        using (var json = await owner.Client.GetAsync($"/account/moderate/{site}/export/hearth.json"))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            Assert.Equal("attachment", json.Content.Headers.ContentDisposition?.DispositionType);
            Assert.EndsWith("-hearth.json", json.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var text = await json.Content.ReadAsStringAsync();
            using var parsed = JsonDocument.Parse(text);
            Assert.Contains("The tide tables were right to the minute", text);
            Assert.Contains("tess@guest.example", text);
            Assert.Contains("Buy cheap watches", text);
        }
        using (var disqus = await owner.Client.GetAsync($"/account/moderate/{site}/export/disqus.xml"))
        {
            Assert.Equal(HttpStatusCode.OK, disqus.StatusCode);
            var xml = await disqus.Content.ReadAsStringAsync();
            Assert.StartsWith("<?xml", xml);
            Assert.Contains("The tide tables were right to the minute", xml);
            Assert.DoesNotContain("Buy cheap watches", xml);
        }
        using (var all = await owner.Client.GetAsync($"/account/moderate/{site}/export/disqus-all.xml"))
        {
            Assert.Contains("Buy cheap watches", await all.Content.ReadAsStringAsync());
        }
        Assert.Equal(["hearth.json", "disqus.xml", "disqus-all.xml"], await ExportsLoggedAsync(site));

        // While another export is being written, the next one waits its turn rather than doubling the reading.
        var slot = app.Services.GetRequiredService<Hearth.Portability.ExportSlot>();
        await slot.Gate.WaitAsync();
        try
        {
            using var busy = await owner.Client.GetAsync($"/account/moderate/{site}/export/hearth.json");
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), busy.Headers.RetryAfter?.Delta);
        }
        finally
        {
            slot.Gate.Release();
        }
        // Nor while four are being sent: each is a file as large as the site's export on this server's disk.
        var taken = 0;
        while (slot.Sending.Wait(0))
        {
            taken++;
        }
        try
        {
            Assert.Equal(Hearth.Portability.ExportSlot.MostSent, taken);
            using var full = await owner.Client.GetAsync($"/account/moderate/{site}/export/disqus.xml");
            Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
            Assert.Contains("sending 4 exports", await full.Content.ReadAsStringAsync());
        }
        finally
        {
            slot.Sending.Release(taken);
        }
        Assert.Equal(3, (await ExportsLoggedAsync(site)).Count);
    }

    [Fact]
    public async Task AnExportIsReadAtTheDatabasesPaceSoABrowserThatDoesNotReadHoldsNoSnapshotOfTheDatabase()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var client = app.CreateClient();
        var url = ApiCalls.NewPageUrl();
        var first = await client.CommentAsync(site, url, "The lock keeper's log, page one", name: "Lyle");
        // Words enough that the file is larger than the test server takes in before its reader reads (64 KB): the
        // old download stopped mid-file, inside its transaction, until the browser read on.
        var words = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => $"w{i}"));
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == first.Id()).ExecuteUpdateAsync(c => c.SetProperty(x => x.Html, words)));

        using var response = await owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/account/moderate/{site}/export/hearth.json"),
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Nothing of the body read yet: a comment posted now, and the database holds no reader's snapshot from before it.
        await client.CommentAsync(site, url, "Posted while the download waits unread", name: "Late");
        await using (var probe = TestDatabase.Open(app.DataDirectory))
        {
            await probe.OpenAsync();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (await SnapshotsHeldAsync(probe) > 0)
            {
                Assert.True(DateTime.UtcNow < until, "A snapshot of the database was still held while the download waited to be read.");
                await Task.Delay(50);
            }
        }

        // The file being sent has no name another process could open it by, in a folder only Hearth's account may open,
        // and the same site's next download waits for this one; another site's does not.
        var exports = Path.Combine(app.DataDirectory, "exports");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.EnumerateFiles(exports));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(exports));
        }
        using (var second = await owner.Client.GetAsync($"/account/moderate/{site}/export/disqus.xml"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Contains("An export of this site is being sent", await second.Content.ReadAsStringAsync());
        }
        var (otherOwner, otherSite) = await OnTeamAsync(SiteRole.Owner);
        using (var another = await otherOwner.Client.GetAsync($"/account/moderate/{otherSite}/export/disqus.xml"))
        {
            Assert.Equal(HttpStatusCode.OK, another.StatusCode);
        }

        // The file is still the site as it was when the export began.
        var text = await response.Content.ReadAsStringAsync();
        using var parsed = JsonDocument.Parse(text);
        Assert.Contains("w19999", text);
        Assert.DoesNotContain("Posted while the download waits unread", text);

        // A download left half-way gives its places back.
        var slot = app.Services.GetRequiredService<Hearth.Portability.ExportSlot>();
        using (var left = await owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/account/moderate/{site}/export/hearth.json"),
            HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, left.StatusCode);
            await using var body = await left.Content.ReadAsStreamAsync();
            Assert.True(await body.ReadAsync(new byte[100]) > 0);
        }
        for (var until = DateTime.UtcNow.AddSeconds(30); slot.Sending.CurrentCount < Hearth.Portability.ExportSlot.MostSent || slot.Gate.CurrentCount < 1 || !slot.SitesSending.IsEmpty;)
        {
            Assert.True(DateTime.UtcNow < until, "The places of a download left half-way were not given back.");
            await Task.Delay(50);
        }
        using var again = await owner.Client.GetAsync($"/account/moderate/{site}/export/disqus.xml");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task ADownloadBeginsBeforeTheExportHasBeenReadToItsEnd()
    {
        var (owner, site) = await OnTeamAsync(SiteRole.Owner);
        var first = await app.CreateClient().CommentAsync(site, ApiCalls.NewPageUrl(), "The first page of the harbour log", name: "Hana");
        var words = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => $"h{i}"));
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == first.Id()).ExecuteUpdateAsync(c => c.SetProperty(x => x.Html, words)));

        // The export is held once it has read the site's people, after its comments: a large site's reading takes
        // minutes, and a proxy in front gives up on an answer whose first byte does not come.
        // (PostgreSQL's provider leaves the alias unquoted.)
        var (reached, release) = app.Hold.Arm(TestDatabase.IsPostgres ? "ORDER BY p.\"Id\"" : "ORDER BY \"p\".\"Id\"");
        try
        {
            using var response = await owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/account/moderate/{site}/export/hearth.json"),
                HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await using var body = await response.Content.ReadAsStreamAsync();
            var start = new byte[26];
            await body.ReadExactlyAsync(start).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("{\"format\":\"hearth-export\"", System.Text.Encoding.UTF8.GetString(start));
            Assert.False(release.Task.IsCompleted);

            release.TrySetResult();
            var rest = await new StreamReader(body).ReadToEndAsync();
            using var parsed = JsonDocument.Parse(System.Text.Encoding.UTF8.GetString(start) + rest);
            Assert.Contains("h19999", rest);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    /// <summary>
    /// SQLite: a log that cannot be checkpointed to its end has a reader on an older snapshot. PostgreSQL: a transaction
    /// left open between statements.
    /// </summary>
    static async Task<long> SnapshotsHeldAsync(System.Data.Common.DbConnection probe)
    {
        await using var command = probe.CreateCommand();
        command.CommandText = TestDatabase.IsPostgres
            ? "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
            : "PRAGMA wal_checkpoint(TRUNCATE)";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ModeratorsOtherSitesOwnersAndStrangersGetNoExport()
    {
        var (moderator, site) = await OnTeamAsync(SiteRole.Moderator);
        await app.CreateClient().CommentAsync(site, ApiCalls.NewPageUrl(), "Words only the site's owners may take away", name: "Wren");
        var (otherOwner, _) = await OnTeamAsync(SiteRole.Owner);
        var path = $"/account/moderate/{site}/export/hearth.json";
        foreach (var (who, client, status) in new[]
        {
            ("a moderator", moderator.Client, HttpStatusCode.Forbidden),
            ("another site's owner", otherOwner.Client, HttpStatusCode.NotFound),
            ("someone signed out", app.NewBrowser().Client, HttpStatusCode.Redirect),
        })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"{who}: {(int)response.StatusCode}");
            Assert.DoesNotContain("Words only the site", await response.Content.ReadAsStringAsync());
        }
        var (owner, _) = await OnTeamAsync(SiteRole.Owner, site);
        using (var unknown = await owner.Client.GetAsync($"/account/moderate/{site}/export/everything.zip"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        Assert.Empty(await ExportsLoggedAsync(site));
    }
}
