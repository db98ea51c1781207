using System.Text.Json;
using Hearth.Conversations;
using Hearth.Tests.Processes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Portability;

/// <summary>
/// What hearth export --format disqus is for: another instance (or Hearth itself) reads it back. An export imported into
/// an empty instance gives the same threads, the same trees and the same statuses, comparing the two instances' own
/// JSON exports. Comments waiting or rejected are left out of a Disqus export (docs/export.md), so they are not expected
/// there; Hearth's own JSON export keeps them, and a locked thread, too.
/// </summary>
public sealed class DisqusRoundTripTests
{
    [Fact]
    public async Task ADisqusExportImportedIntoAnEmptyInstanceHasTheSameThreadsTreesAndStatuses()
    {
        await using var app = new HearthApp();
        await WriteConversationsAsync(app);
        var (before, after) = await RoundTripAsync(app, "disqus", "disqus");
        Assert.Equal(before.Threads, after.Threads);
        Assert.Equal(before.Comments.Where(c => c.Status is not ("pending" or "rejected")), after.Comments);
    }

    /// <summary>Hearth's own export keeps every status, a locked thread and the tree: moving a site loses nothing moderators decided.</summary>
    [Fact]
    public async Task AHearthExportImportedIntoAnEmptyInstanceHasTheSameThreadsTreesAndEveryStatus()
    {
        await using var app = new HearthApp();
        var (locked, rejected) = await WriteConversationsAsync(app);
        await app.InDatabaseAsync(async db =>
        {
            (await db.Threads.SingleAsync(t => t.Url == locked)).Locked = true;
            (await db.Comments.FindAsync(rejected))!.Decide(CommentStatus.Rejected);
            return await db.SaveChangesAsync();
        });
        var (before, after) = await RoundTripAsync(app, "json", "hearth");
        Assert.Contains(before.Comments, c => c.Status == "rejected");
        Assert.Contains(before.Comments, c => c.Status == "pending");
        Assert.Contains(before.Threads, t => t.Locked);
        Assert.Equal(before.Threads, after.Threads);
        Assert.Equal(before.Comments, after.Comments);
    }

    /// <summary>Two threads with a tree, a tombstone with an answer, spam and a held comment; returns the second thread and a comment to turn down.</summary>
    static async Task<(string Second, long Published)> WriteConversationsAsync(HearthApp app)
    {
        await app.CreateSiteAsync("blog");
        var client = app.CreateClient();
        var first = ApiCalls.NewPageUrl();
        var second = ApiCalls.NewPageUrl();
        // A minute between comments: the Disqus format keeps seconds, and the comparison below tells comments apart by time.
        async Task<long> Post(string url, string body, long? parent = null, string name = "Guest")
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            return (await client.CommentAsync("blog", url, body, parent, name)).Id();
        }
        var a = await Post(first, "Top of the first thread", name: "Ann");
        var b = await Post(first, "A reply", a, "Bob");
        await Post(first, "A reply to the reply", b, "Cy");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var gone = await client.PostCommentAsync("blog", new { url = first, body = "Taken back", author = new { name = "Eve" } });
        var goneComment = JsonDocument.Parse(await gone.Content.ReadAsStringAsync()).RootElement;
        await Post(first, "An answer to what was taken back", goneComment.Id(), "Fay");
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/blog/comments/{goneComment.Id()}");
        delete.Headers.Add("X-Edit-Token", goneComment.GetProperty("editToken").GetString());
        Assert.True((await client.SendAsync(delete)).IsSuccessStatusCode);
        var spam = await Post(second, "Cheap watches", name: "Hal");
        var held = await Post(second, "Waiting", name: "Gus");
        var top = await Post(second, "Second thread, top", name: "Ida");
        await Post(second, "Turned down later", top, "Jo");
        await app.InDatabaseAsync(async db =>
        {
            (await db.Comments.FindAsync(spam))!.Decide(CommentStatus.Spam);
            (await db.Comments.FindAsync(held))!.Decide(CommentStatus.Pending);
            return await db.SaveChangesAsync();
        });
        return (second, await app.InDatabaseAsync(db => db.Comments.Where(c => c.Author.Name == "Jo").Select(c => c.Id).SingleAsync()));
    }

    /// <summary>The site exported in one format, imported into an empty instance; both instances' own JSON exports, reduced to their shape.</summary>
    static async Task<((List<ThreadShape> Threads, List<CommentShape> Comments) Before, (List<ThreadShape> Threads, List<CommentShape> Comments) After)>
        RoundTripAsync(HearthApp app, string exportFormat, string importFormat)
    {
        using var files = new DataFolder();
        Directory.CreateDirectory(files.Path);
        var file = Path.Combine(files.Path, "export." + exportFormat);
        var export = await HearthCommand.RunAsync("export", "--site", "blog", "--format", exportFormat, "--data", app.DataDirectory);
        Assert.True(export.ExitCode == 0, export.ToString());
        await File.WriteAllTextAsync(file, export.Stdout);

        using var empty = new DataFolder();
        var add = await HearthCommand.RunAsync("sites", "add", "blog", "--origin", "https://blog.example", "--data", empty.Path);
        Assert.True(add.ExitCode == 0, add.ToString());
        var import = await HearthCommand.RunAsync("import", importFormat, file, "--site", "blog", "--data", empty.Path);
        Assert.True(import.ExitCode == 0, import.ToString());
        // Again: nothing twice.
        var again = await HearthCommand.RunAsync("import", importFormat, file, "--site", "blog", "--data", empty.Path);
        Assert.True(again.ExitCode == 0, again.ToString());

        return (await ShapeAsync(app.DataDirectory), await ShapeAsync(empty.Path));
    }

    /// <summary>A thread as another instance would have it: its address and title, nothing local such as ids.</summary>
    sealed record ThreadShape(string Url, string? Identifier, string? Title, bool Locked);

    /// <summary>A comment by its thread and time, with the time of the comment it answers standing for its place in the tree.</summary>
    sealed record CommentShape(string ThreadUrl, DateTime CreatedAt, DateTime? ParentCreatedAt, string Status, string Name);

    static async Task<(List<ThreadShape> Threads, List<CommentShape> Comments)> ShapeAsync(string dataFolder)
    {
        var export = await HearthCommand.RunAsync("export", "--site", "blog", "--format", "json", "--data", dataFolder);
        Assert.True(export.ExitCode == 0, export.ToString());
        var root = JsonDocument.Parse(export.Stdout).RootElement;
        var threads = root.GetProperty("threads").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt64());
        var comments = root.GetProperty("comments").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetInt64());
        static DateTime Second(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return (
            threads.Values.Select(t => new ThreadShape(t.GetProperty("url").GetString()!, t.GetProperty("identifier").GetString(),
                t.GetProperty("title").GetString(), t.GetProperty("locked").GetBoolean())).OrderBy(t => t.Url, StringComparer.Ordinal).ToList(),
            comments.Values.Select(c => new CommentShape(
                threads[c.GetProperty("threadId").GetInt64()].GetProperty("url").GetString()!,
                Second(c.GetProperty("createdAt").GetDateTime()),
                c.GetProperty("parentId").ValueKind == JsonValueKind.Null ? null : Second(comments[c.GetProperty("parentId").GetInt64()].GetProperty("createdAt").GetDateTime()),
                c.GetProperty("status").GetString()!,
                c.GetProperty("author").GetProperty("name").GetString()!))
                .OrderBy(c => c.ThreadUrl, StringComparer.Ordinal).ThenBy(c => c.CreatedAt).ToList());
    }
}
