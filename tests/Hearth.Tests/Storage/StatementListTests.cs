using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Storage;

/// <summary>
/// Statements that run as one command each keep their own placeholders: the second statement's {0} is its own first
/// value, whatever came before it, also when the same statement is added again and when numbers reach two digits.
/// A brace doubled is the brace itself, as in string.Format, and a value is never read as SQL.
/// </summary>
public class StatementListTests(HearthApp app) : IClassFixture<HearthApp>
{
    [Fact]
    public async Task EachStatementBindsItsOwnValuesWhereverItStandsInTheList()
    {
        var name = "statement-list-" + Guid.NewGuid().ToString("N");
        var wide = string.Join(", ", Enumerable.Range(0, 11).Select(i => $"{{{i}}}"));
        await app.InDatabaseAsync(async db =>
        {
            var list = new StatementList();
            list.Add("""INSERT INTO "InstanceSettings" ("Name", "Value") VALUES ({0}, {1})""", name + "-a", "first");
            list.Add("""INSERT INTO "InstanceSettings" ("Name", "Value") VALUES ({0}, {1})""", name + "-b", "second");
            // {1} twice and {10}: renumbered as a whole number, not digit by digit.
            list.Add($$"""INSERT INTO "InstanceSettings" ("Name", "Value") SELECT {1} || '-c', {10} WHERE {0} IN ({{wide}})""",
                [.. new object?[] { "x", name }, .. Enumerable.Range(2, 8).Select(i => (object?)$"v{i}"), "third"]);
            await list.RunAsync(db, CancellationToken.None);
            var stored = await db.InstanceSettings.AsNoTracking().Where(s => s.Name.StartsWith(name))
                .OrderBy(s => s.Name).Select(s => s.Name + "=" + s.Value).ToListAsync();
            Assert.Equal([name + "-a=first", name + "-b=second", name + "-c=third"], stored);
            return 0;
        });
    }

    [Fact]
    public async Task DoubledBracesAreBracesAndValuesStayValues()
    {
        var name = "statement-braces-" + Guid.NewGuid().ToString("N");
        await app.InDatabaseAsync(async db =>
        {
            var list = new StatementList();
            // {{0}} is the text "{0}", not a placeholder; the value holds what would be a placeholder and SQL in text.
            list.Add("""INSERT INTO "InstanceSettings" ("Name", "Value") VALUES ({0}, '{{' || {1} || '}} {{0}}')""", name, "{0}'); DROP TABLE \"Sites\"; --");
            await list.RunAsync(db, CancellationToken.None);
            var stored = await db.InstanceSettings.AsNoTracking().SingleAsync(s => s.Name == name);
            Assert.Equal("{{0}'); DROP TABLE \"Sites\"; --} {0}", stored.Value);
            // The table is still there: reading it does not fail.
            Assert.True(await db.Sites.CountAsync() >= 0);
            return 0;
        });
    }
}
