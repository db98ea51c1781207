using System.Text.RegularExpressions;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Storage;

/// <summary>
/// An account's comments are found through their own index, on both engines, for the queries Hearth really sends (an
/// account's export and deletion, its comments on a site when a site's sign-in is linked to it): without it each read
/// every comment of the instance.
/// </summary>
public sealed partial class CommentsByAccountIndexTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task AnAccountsCommentsAreReadThroughTheAccountIndex()
    {
        var plans = await app.InDatabaseAsync(async db =>
        {
            long userId = 42, siteId = 7;
            return new[]
            {
                await PlanAsync(db, db.Comments.Where(c => c.Author.UserId == userId).Select(c => c.Id)),
                await PlanAsync(db, db.Comments.Where(c => c.Author.UserId == userId && c.SiteId == siteId).OrderBy(c => c.Id)),
            };
        });
        Assert.All(plans, plan => Assert.Contains("IX_Comments_Author_UserId", plan));
    }

    /// <summary>The engine's plan for the statement EF sends for <paramref name="query"/>, its parameters written in.</summary>
    static async Task<string> PlanAsync<T>(HearthDb db, IQueryable<T> query)
    {
        var lines = query.ToQueryString().Split('\n');
        var values = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            // SQLite's form: ".param set @userId 42"; PostgreSQL's: "-- @userId='42' (Nullable = true)".
            if (ParameterLine().Match(line) is { Success: true } m)
            {
                values[m.Groups["name"].Value] = m.Groups["value"].Value.Trim('\'');
            }
        }
        var sql = string.Join('\n', lines.Where(l => !ParameterLine().IsMatch(l)));
        foreach (var (name, value) in values.OrderByDescending(v => v.Key.Length))
        {
            sql = sql.Replace(name, value, StringComparison.Ordinal);
        }
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // A table of a few rows is read whole by PostgreSQL's planner whatever its indexes: asked not to, it shows
            // whether an index could serve the statement at all.
            command.CommandText = postgres ? "SET enable_seqscan = off; EXPLAIN " + sql : "EXPLAIN QUERY PLAN " + sql;
            await using var reader = await command.ExecuteReaderAsync();
            var plan = new List<string>();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(postgres ? 0 : 3));
            }
            return string.Join('\n', plan);
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("RESET enable_seqscan");
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    [GeneratedRegex(@"^(\.param set |-- )(?<name>@\w+)[ =](?<value>'[^']*'|\S+)")]
    private static partial Regex ParameterLine();
}
