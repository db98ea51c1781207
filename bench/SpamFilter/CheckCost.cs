using System.Diagnostics;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Moderation.SpamFilter;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Tests.Moderation.SpamFilter;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Bench.SpamFilter;

/// <summary>Timings in microseconds: the median, the 90th and the 99th percentile.</summary>
public sealed record Timing(double Median, double P90, double P99, int Samples)
{
    public static Timing Of(List<double> micros)
    {
        micros.Sort();
        double At(double q) => micros[Math.Min(micros.Count - 1, (int)(q * micros.Count))];
        return new Timing(At(0.5), At(0.9), At(0.99), micros.Count);
    }
}

public sealed record CostResult(Timing Check, Timing InMemory, Timing Learning, int OtherRows);

/// <summary>
/// What the check costs a post, measured on Hearth's own storage set-up (SQLite file, WAL, pooled contexts): a
/// site that learned the training comments one decision at a time, in a table that also holds other sites' rows.
/// </summary>
public static class CheckCost
{
    const int OtherSites = 9;
    const int RowsPerOtherSite = 20_000;
    const int Passes = 10;

    public static async Task<CostResult> MeasureAsync(IReadOnlyList<LabelledComment> corpus)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hearth-spam-bench-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .Configure<IdentityOptions>(IdentitySetup.ConfigureStores)
            .AddHearthStorage()
            .AddScoped<SpamModels>()
            .AddScoped<SpamScoreCheck>();
        services.AddOptions<HearthOptions>().Configure(o => o.DataDirectory = folder);
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);
            var renderer = new MarkdownRenderer();
            var (train, heldOut) = SpamCorpus.Split(corpus);
            var site = await CreateSitesAsync(provider);
            var learning = await LearnAsync(provider, site.Id, train, renderer);

            var drafts = heldOut.Select(c => new CommentDraft(site, null, "u:https://shop.example/held-out", c.Author, null, renderer.Render(c.Body), "", DateTime.UtcNow)).ToList();
            var check = new List<double>();
            var inMemory = new List<double>();
            for (var pass = -3; pass < Passes; pass++) // three passes of warm-up
            {
                await using var scope = provider.CreateAsyncScope();
                var spamCheck = scope.ServiceProvider.GetRequiredService<SpamScoreCheck>();
                // A post runs its checks inside its transaction, on a connection that is already open.
                await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
                foreach (var draft in drafts)
                {
                    var started = Stopwatch.GetTimestamp();
                    await spamCheck.RunAsync(draft, CancellationToken.None);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    if (pass >= 0)
                    {
                        check.Add(elapsed);
                    }
                }
            }
            var model = await LoadWholeModelAsync(provider, site.Id);
            for (var pass = -3; pass < Passes; pass++)
            {
                foreach (var draft in drafts)
                {
                    var started = Stopwatch.GetTimestamp();
                    model.Score(SpamFeatures.Of(draft.Body.Html, draft.Author));
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    if (pass >= 0)
                    {
                        inMemory.Add(elapsed);
                    }
                }
            }
            return new CostResult(Timing.Of(check), Timing.Of(inMemory), learning, OtherSites * RowsPerOtherSite);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The measured site, and other sites whose rows share the table with it.</summary>
    static async Task<Site> CreateSitesAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var sites = Enumerable.Range(0, OtherSites + 1).Select(i => new Site { Name = $"site-{i}", CreatedAt = DateTime.UtcNow }).ToList();
        db.Sites.AddRange(sites);
        await db.SaveChangesAsync();
        foreach (var other in sites.Skip(1))
        {
            await db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {RowsPerOtherSite})
                INSERT INTO SpamTokens (SiteId, Token, Spam, Ham) SELECT {other.Id}, 'word' || i, i % 7, i % 5 FROM n
                """);
        }
        return sites[0];
    }

    /// <summary>Teaches the site the training comments one decision at a time, as moderators would, timing each.</summary>
    static async Task<Timing> LearnAsync(IServiceProvider provider, long siteId, IEnumerable<LabelledComment> train, MarkdownRenderer renderer)
    {
        var micros = new List<double>();
        foreach (var comment in train)
        {
            var tokens = SpamFeatures.Of(renderer.Render(comment.Body).Html, comment.Author);
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var models = scope.ServiceProvider.GetRequiredService<SpamModels>();
            var started = Stopwatch.GetTimestamp();
            // A decision learns in its own transaction, as it does in the server.
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await models.LearnAsync(siteId, [new SpamLesson(tokens, comment.Spam, 1)], CancellationToken.None);
                await transaction.CommitAsync();
            }
            micros.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        return Timing.Of(micros);
    }

    static async Task<SpamModel> LoadWholeModelAsync(IServiceProvider provider, long siteId)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var totals = await db.Set<SpamTotals>().AsNoTracking().SingleAsync(t => t.SiteId == siteId);
        return new SpamModel(totals, await db.Set<SpamTokenCount>().AsNoTracking().Where(c => c.SiteId == siteId).ToListAsync());
    }
}
