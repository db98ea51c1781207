using System.Globalization;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Tests.Live;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Storage;

/// <summary>
/// Event ids sent before the log was numbered per thread were global ids. After migrating, a reader that resumes with
/// one gets exactly what followed it in its thread, and the thread's log goes on after it.
/// </summary>
public sealed class ThreadLogPlacesMigrationTests : IAsyncDisposable
{
    const string BeforeTheChange = "20261203151535_WindowedDuplicateIndexes";
    readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-tests", Guid.NewGuid().ToString("N"));

    sealed class AppOn(string folder) : HearthApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Hearth:DataDirectory"] = folder };
    }

    SqliteHearthDb Open()
    {
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        return new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite($"Data Source={Path.Combine(_folder, "hearth.db")}")
            .UseApplicationServiceProvider(services).Options);
    }

    static long IdOf(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();

    [SqliteFact("it migrates a SQLite database back before the per-thread numbering and forward again")]
    public async Task AnEventIdSentBeforeTheChangeResumesExactly()
    {
        string site;
        var here = ApiCalls.NewPageUrl();
        var elsewhere = ApiCalls.NewPageUrl();
        var ours = new List<long>();
        await using (var before = new AppOn(_folder))
        {
            site = await before.CreateSiteAsync();
            var client = before.CreateClient();
            // Two threads written in turn, so the old global ids of one thread's events have holes.
            for (var i = 0; i < 3; i++)
            {
                ours.Add((await client.CommentAsync(site, here, $"here {i}")).Id());
                await client.CommentAsync(site, elsewhere, $"elsewhere {i}");
            }
        }
        SqliteConnection.ClearAllPools();

        long resumeAfter;
        await using (var db = Open())
        {
            // Back to the log as it was before (ids only), then forward again.
            await db.GetService<IMigrator>().MigrateAsync(BeforeTheChange);
            await db.Database.MigrateAsync();
            var events = await db.ThreadEvents.AsNoTracking().ToListAsync();
            Assert.All(events, e => Assert.Equal(e.Id, e.Seq));
            resumeAfter = events.Single(e => e.CommentId == ours[1]).Id;
            var last = events.Single(e => e.CommentId == ours[2]).Id;
            Assert.NotEqual(resumeAfter + 1, last);
            Assert.Equal(last, await db.Threads.Where(t => t.Url == here).Select(t => t.EventSeq).SingleAsync());
        }
        SqliteConnection.ClearAllPools();

        await using var after = new AppOn(_folder);
        var reader = after.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/live?url={Uri.EscapeDataString(here)}");
        request.Headers.Add("Last-Event-ID", resumeAfter.ToString(CultureInfo.InvariantCulture));
        using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync());
        var missed = await stream.NextChangeAsync();
        Assert.Equal(ours[2], IdOf(missed));
        var fresh = await reader.CommentAsync(site, here, "after the change");
        var next = await stream.NextChangeAsync();
        Assert.Equal(fresh.Id(), IdOf(next));
        Assert.Equal(long.Parse(missed.Id!, CultureInfo.InvariantCulture) + 1, long.Parse(next.Id!, CultureInfo.InvariantCulture));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
