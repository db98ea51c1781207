using System.Text.Json;
using System.Xml.Linq;
using Hearth.Storage;
using Hearth.Tests.Processes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>hearth export as an operator runs it: the site's whole conversation on stdout, its secrets nowhere.</summary>
public sealed class ExportCliTests(ExportedSite site) : IClassFixture<ExportedSite>
{
    static readonly XNamespace Disqus = "http://disqus.com";
    static readonly XNamespace Dsq = "http://disqus.com/disqus-internals";

    [Fact]
    public async Task TheJsonExportHoldsTheThreadsTheTreeTheStatusesAndThePeople()
    {
        var export = await site.ExportAsync("--format", "json");

        Assert.True(export.ExitCode == 0, export.ToString());
        var root = JsonDocument.Parse(export.Stdout).RootElement;
        Assert.Equal("hearth-export", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(ExportedSite.Site, root.GetProperty("site").GetProperty("name").GetString());
        Assert.True(root.GetProperty("site").GetProperty("settings").GetProperty("singleSignOn").GetBoolean());
        var threads = root.GetProperty("threads").EnumerateArray().ToList();
        Assert.Equal([site.Url, site.BulkUrl], threads.Select(t => t.GetProperty("url").GetString()));
        Assert.Equal("Winter gardens", threads[0].GetProperty("title").GetString());

        var comments = root.GetProperty("comments").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt64());
        JsonElement Of(string name) => comments[site.Ids[name]];
        Assert.Equal(site.Ids["A"], Of("B").GetProperty("parentId").GetInt64());
        Assert.Equal(site.Ids["B"], Of("C").GetProperty("parentId").GetInt64());
        Assert.Equal(site.Ids["E"], Of("F").GetProperty("parentId").GetInt64());
        Assert.Equal(JsonValueKind.Null, Of("A").GetProperty("parentId").ValueKind);
        Assert.Equal(["published", "published", "published", "deleted", "published", "pending", "spam", "rejected"],
            new[] { "A", "B", "C", "E", "F", "G", "H", "I" }.Select(n => Of(n).GetProperty("status").GetString()));
        Assert.Equal("", Of("E").GetProperty("source").GetString());
        Assert.Equal("The **first** word, déjà vu", Of("A").GetProperty("source").GetString());
        Assert.Contains("déjà vu", export.Stdout);
        Assert.Contains("<strong>first</strong>", Of("A").GetProperty("html").GetString());
        Assert.True(Of("A").GetProperty("pinned").GetBoolean());
        Assert.True(Of("A").GetProperty("featured").GetBoolean());
        Assert.Equal(3, Of("A").GetProperty("upvotes").GetInt32());
        Assert.Equal(1, Of("A").GetProperty("downvotes").GetInt32());
        Assert.Equal("A reply, edited", Of("B").GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.String, Of("B").GetProperty("editedAt").ValueKind);
        var ann = Of("A").GetProperty("author");
        Assert.Equal(("guest", "Ann", "https://ann.example/", ExportedSite.Email),
            (ann.GetProperty("kind").GetString(), ann.GetProperty("name").GetString(), ann.GetProperty("website").GetString(), ann.GetProperty("email").GetString()));

        // The bulk thread spans several pages of the export: every comment once, in order.
        var bulk = comments.Values.Where(c => c.GetProperty("threadId").GetInt64() == threads[1].GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ExportedSite.Bulk, bulk.Count);
        Assert.Equal(comments.Count, root.GetProperty("comments").GetArrayLength());
        Assert.DoesNotContain("Words of another site", export.Stdout);

        var people = root.GetProperty("people").EnumerateArray().ToList();
        Assert.Contains(people, p => p.GetProperty("name").GetString() == "Cy" && p.GetProperty("comments").GetInt32() == 1);
        Assert.All(people, p => Assert.False(p.TryGetProperty("key", out _)));
    }

    [Fact]
    public async Task NoExportCarriesTheSecretsOfTheSiteOrOfItsAuthors()
    {
        var secrets = await site.App.InDatabaseAsync(async db =>
        {
            var stored = await db.Sites.Where(s => s.Name == ExportedSite.Site).Select(s => s.SsoSecret!).SingleAsync();
            var keys = await db.Comments.Where(c => c.Author.Key != "").Select(c => c.Author.Key).Distinct().Take(50).ToListAsync();
            var ips = await db.Comments.Where(c => c.IpHash != null).Select(c => c.IpHash!).Distinct().Take(50).ToListAsync();
            // The instance's key (other settings are flags and counters such as "true" or "7", found in any export).
            var instanceKey = await db.InstanceSettings.Where(s => s.Value.Length >= 16).Select(s => s.Value).ToListAsync();
            var protection = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            return new List<string>([stored, site.SsoSecret, .. keys, .. ips, .. instanceKey])
                .Concat(protection.Select(x => x.Length > 80 ? x[^80..] : x)).ToList();
        });

        foreach (var format in new[] { "json", "disqus" })
        {
            var export = await site.ExportAsync("--format", format);
            Assert.True(export.ExitCode == 0, export.ToString());
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, export.Stdout));
            Assert.DoesNotContain("ssoSecret", export.Stdout, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task TheDisqusExportIsWellFormedWithThreadsPostsParentsAndStates()
    {
        var export = await site.ExportAsync("--format", "disqus");

        Assert.True(export.ExitCode == 0, export.ToString());
        var root = XDocument.Parse(export.Stdout).Root!;
        Assert.Equal(Disqus + "disqus", root.Name);
        Assert.Single(root.Elements(Disqus + "category"));
        var threads = root.Elements(Disqus + "thread").ToList();
        Assert.Equal([site.Url, site.BulkUrl], threads.Select(t => t.Element(Disqus + "link")!.Value));
        Assert.All(threads, t => Assert.NotNull(t.Attribute(Dsq + "id")));
        Assert.Equal("false", threads[0].Element(Disqus + "isClosed")!.Value);
        var posts = root.Elements(Disqus + "post").ToDictionary(p => long.Parse(p.Attribute(Dsq + "id")!.Value));
        XElement Of(string name) => posts[site.Ids[name]];

        Assert.Equal(site.Ids["B"].ToString(), Of("C").Element(Disqus + "parent")!.Attribute(Dsq + "id")!.Value);
        Assert.Equal(threads[0].Attribute(Dsq + "id")!.Value, Of("C").Element(Disqus + "thread")!.Attribute(Dsq + "id")!.Value);
        Assert.Null(Of("A").Element(Disqus + "parent"));
        Assert.Contains("<strong>first</strong>", Of("A").Element(Disqus + "message")!.Value);
        Assert.Equal(ExportedSite.Email, Of("A").Element(Disqus + "author")!.Element(Disqus + "email")!.Value);
        Assert.Equal("true", Of("A").Element(Disqus + "author")!.Element(Disqus + "isAnonymous")!.Value);
        Assert.Equal("true", Of("E").Element(Disqus + "isDeleted")!.Value);
        Assert.Equal(site.Ids["E"].ToString(), Of("F").Element(Disqus + "parent")!.Attribute(Dsq + "id")!.Value);
        Assert.Equal("true", Of("H").Element(Disqus + "isSpam")!.Value);
        Assert.Equal("false", Of("A").Element(Disqus + "isSpam")!.Value);
        // Held and refused comments stay home unless asked for: a reader of the file would publish them.
        Assert.False(posts.ContainsKey(site.Ids["G"]));
        Assert.False(posts.ContainsKey(site.Ids["I"]));
        Assert.Equal(ExportedSite.CData, Of("J").Element(Disqus + "message")!.Value);
        Assert.Equal(ExportedSite.Bulk + 7, posts.Count);
    }

    [Fact]
    public async Task WithAllTheHeldAndRefusedCommentsComeAsSpam()
    {
        var export = await site.ExportAsync("--format", "disqus", "--all");

        Assert.True(export.ExitCode == 0, export.ToString());
        var posts = XDocument.Parse(export.Stdout).Root!.Elements(Disqus + "post").ToDictionary(p => long.Parse(p.Attribute(Dsq + "id")!.Value));
        Assert.Equal("true", posts[site.Ids["G"]].Element(Disqus + "isSpam")!.Value);
        Assert.Equal("true", posts[site.Ids["I"]].Element(Disqus + "isSpam")!.Value);
        Assert.Equal("false", posts[site.Ids["G"]].Element(Disqus + "isDeleted")!.Value);
    }

    [Fact]
    public async Task AnUnknownSiteOrFormatIsRefusedWithNothingOnStdout()
    {
        var unknown = await HearthCommand.RunAsync("export", "--site", "nope", "--format", "json", "--data", site.App.DataDirectory);
        Assert.True(unknown.ExitCode == 1, unknown.ToString());
        Assert.Contains("no site named 'nope'", unknown.Stderr);
        Assert.Equal("", unknown.Stdout);

        var format = await site.ExportAsync("--format", "csv");
        Assert.True(format.ExitCode == 2, format.ToString());
        Assert.Contains("csv", format.Stderr);
        Assert.Equal("", format.Stdout);

        var all = await site.ExportAsync("--format", "json", "--all");
        Assert.True(all.ExitCode == 1, all.ToString());
        Assert.Equal("", all.Stdout);
    }
}
