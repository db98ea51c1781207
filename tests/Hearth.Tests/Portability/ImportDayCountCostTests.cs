using Hearth.Portability;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// After an import, each author's active days are counted again, a thousand authors at a time. Finding each thousand
/// must read that thousand's staged rows, not the whole run again: three times the authors cost about three times the
/// reading, never nine.
/// </summary>
public class ImportDayCountCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    async Task<long> CountDaysStepsAsync(int authors)
    {
        var site = await app.CreateSiteAsync();
        var run = Guid.NewGuid().ToString();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var at = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.ImportRows.AddRange(Enumerable.Range(0, authors).Select(i => new ImportRow
        {
            RunId = run, Kind = ImportRow.CommentKind, SourceId = $"c{i}", AuthorKey = $"author-{i:D6}", CreatedAt = at.AddHours(i),
        }));
        await db.SaveChangesAsync();

        app.Meter.Start();
        await ImportPeople.CountDaysAsync(db, scope.ServiceProvider.GetRequiredService<WriteGate>(), run, siteId, CancellationToken.None);
        var commands = app.Meter.Stop();
        return commands.Sum(c => c.Steps);
    }

    [SqliteFact("the steps of a query are SQLite's count; PostgreSQL has none")]
    public async Task ThreeTimesTheAuthorsReadAboutThreeTimesTheStagedRows()
    {
        var few = await CountDaysStepsAsync(2_000);
        var many = await CountDaysStepsAsync(6_000);

        Assert.True(few > 0);
        Assert.True(many < few * 4.5, $"{few} steps for 2,000 authors, {many} for 6,000");
    }
}
