using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// An import on SQLite notices a writer beside it (a post between two of its turns) and keeps a small page cache while
/// others write, which each of their writes would empty; alone it keeps its large one.
/// </summary>
public class ImportPacingTests(HearthApp app) : IClassFixture<HearthApp>
{
    [SqliteFact("the pacing and the cache are about SQLite's one write lock; on PostgreSQL they do nothing")]
    public async Task APostBetweenTwoTurnsOfAnImportShrinksItsCacheAndTurnsAloneKeepItLarge()
    {
        var site = await app.CreateSiteAsync();
        var client = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var before = await ImportConnection.OpenAsync(db, CancellationToken.None);
        try
        {
            var pacing = new ImportPacing(db);
            var large = await CacheAsync(db);
            for (var turn = 0; turn < 2; turn++)
            {
                await pacing.TurnStartsAsync(CancellationToken.None);
                await pacing.TurnEndedAsync(CancellationToken.None);
            }
            Assert.Equal(large, await CacheAsync(db));

            await client.CommentAsync(site, "https://blog.example/paced", "Written between two turns of an import", name: "Pat");
            await pacing.TurnStartsAsync(CancellationToken.None);
            await pacing.TurnEndedAsync(CancellationToken.None);

            var small = await CacheAsync(db);
            Assert.True(small > large, $"the cache stayed at {large} with a writer beside the import");
            Assert.True(small < 0, "the cache is sized in kibibytes");
        }
        finally
        {
            await ImportConnection.CloseAsync(db, before);
        }
    }

    /// <summary>SQLite's cache setting on the import's connection: negative, in kibibytes (-8192 is smaller than -32768).</summary>
    static Task<long> CacheAsync(HearthDb db) =>
        db.Database.SqlQueryRaw<long>("""SELECT "cache_size" AS "Value" FROM pragma_cache_size()""").SingleAsync();
}
