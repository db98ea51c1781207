using Hearth.Tests.Portability;

namespace Hearth.Tests.Processes;

public class ImportCliTests
{
    [Fact]
    public async Task ImportDisqusPrintsTheSummaryAndASecondRunAddsNothing()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", data.Path)).ExitCode);
        var file = Path.Combine(data.Path, "export.xml");
        await File.WriteAllTextAsync(file, DisqusFiles.Everything);
        var map = Path.Combine(data.Path, "map.csv");
        await File.WriteAllTextAsync(map, "# old,new\nhttps://old.example/,https://blog.example/\n");

        var dry = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--dry-run", "--map-file", map, "--data", data.Path);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("Dry run: nothing was written.", dry.Stdout);
        Assert.Contains("Comments would be imported: 7 (of which tombstones: 1)", dry.Stdout);

        var first = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--map", "https://old.example/=https://blog.example/",
            "--data", data.Path);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Threads created: 2", first.Stdout);
        Assert.Contains("Comments imported: 7 (of which tombstones: 1)", first.Stdout);
        Assert.Contains("Skipped (deleted): 1", first.Stdout);
        // Progress goes to stderr (a pipe here, so plain lines), never mixed into the summary.
        Assert.Contains("hearth import: reading", first.Stderr);
        Assert.DoesNotContain("hearth import:", first.Stdout);

        var second = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--map-file", map, "--data", data.Path);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Comments imported: 0", second.Stdout);
        Assert.Contains("Comments already present: 7", second.Stdout);
        Assert.Contains("Threads matched to existing ones: 2", second.Stdout);
    }

    [Fact]
    public async Task ImportRefusesUnknownSitesBadMapsAndBrokenFilesWithAClearMessageAndWritesNothing()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", data.Path)).ExitCode);
        var good = Path.Combine(data.Path, "good.xml");
        await File.WriteAllTextAsync(good, DisqusFiles.Everything);
        var truncated = Path.Combine(data.Path, "truncated.xml");
        await File.WriteAllTextAsync(truncated, DisqusFiles.Truncated);
        var laughs = Path.Combine(data.Path, "laughs.xml");
        await File.WriteAllTextAsync(laughs, DisqusFiles.BillionLaughs);

        foreach (var (args, message) in new[]
        {
            (new[] { good, "--site", "nowhere" }, "There is no site named 'nowhere'"),
            (new[] { good, "--site", "blog", "--map", "no-equals-sign" }, "is not a map"),
            (new[] { Path.Combine(data.Path, "missing.xml"), "--site", "blog" }, "There is no file at"),
            (new[] { truncated, "--site", "blog" }, "truncated.xml: The file is not well-formed XML"),
            (new[] { laughs, "--site", "blog" }, "laughs.xml: The file declares a DTD"),
        })
        {
            var refused = await HearthCommand.RunAsync(["import", "disqus", .. args, "--data", data.Path]);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains(message, refused.Stderr);
            Assert.Equal("", refused.Stdout);
        }
        var broken = await HearthCommand.RunAsync("import", "disqus", truncated, "--site", "blog", "--data", data.Path);
        Assert.Matches(@"\(line \d+, position \d+\)\. Nothing was imported\.", broken.Stderr);
        var help = await HearthCommand.RunAsync("import", "--help");
        Assert.Contains("disqus", help.Stdout);
        var unknownFormat = await HearthCommand.RunAsync("import", "myspace", good, "--site", "blog", "--data", data.Path);
        Assert.NotEqual(0, unknownFormat.ExitCode);

        // Nothing the refused runs read reached the site.
        var after = await HearthCommand.RunAsync("import", "disqus", good, "--site", "blog", "--data", data.Path);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("Comments imported: 7", after.Stdout);
        Assert.Contains("Threads created: 2", after.Stdout);
    }

    [SqliteFact("reads the data folder's SQLite file for the staged rows; the import is the same code on PostgreSQL")]
    public async Task AFileCutShortNearItsEndAfterThousandsOfRecordsWritesNothingAndLeavesNothingStaged()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", data.Path)).ExitCode);
        // 3,000 comments, staged in batches of 2,000 records: the file breaks off in the last one, long after the first
        // batch was stored in the staging table.
        var whole = DisqusFiles.Many("cut", 5, 600);
        var file = Path.Combine(data.Path, "cut.xml");
        await File.WriteAllTextAsync(file, whole[..whole.LastIndexOf("<post ", StringComparison.Ordinal)] + "<post dsq:id=\"last\"><message>cut");

        var import = await HearthCommand.RunAsync("import", "disqus", file, "--site", "blog", "--data", data.Path);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("cut.xml: The file is not well-formed XML", import.Stderr);
        Assert.Contains("Nothing was imported.", import.Stderr);
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={data.DatabasePath};Pooling=False");
        db.Open();
        foreach (var table in new[] { "Comments", "Threads", "ImportRows", "People" })
        {
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            Assert.True(Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0, $"{table} holds rows");
        }
    }
}
