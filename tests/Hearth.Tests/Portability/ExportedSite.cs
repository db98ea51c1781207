using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Storage;
using Hearth.Tests.Processes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// A site with every kind of comment an export must carry: a reply chain, an edit, a pin, votes, a tombstone with
/// its reply, comments waiting, spam and rejected, a guest's e-mail address, a single sign-on secret, and a thread of
/// more comments than an export reads at once. Another site beside it must stay out of the site's export.
/// </summary>
public sealed class ExportedSite : IAsyncLifetime
{
    public const string Site = "blog";
    public const string Email = "ann@private.example";
    public const int Bulk = 1_100;

    public HearthApp App { get; } = new();
    public string Url { get; } = ApiCalls.NewPageUrl();
    public string BulkUrl { get; } = ApiCalls.NewPageUrl();
    public Dictionary<string, long> Ids { get; } = [];
    public string SsoSecret { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await App.CreateSiteAsync(Site);
        await App.CreateSiteAsync("other");
        var client = App.CreateClient();
        var sso = await HearthCommand.RunAsync("sites", "sso", Site, "--data", App.DataDirectory);
        Assert.True(sso.ExitCode == 0, sso.ToString());
        SsoSecret = JsonDocument.Parse(sso.Stdout).RootElement.GetProperty("ssoSecret").GetString()!;

        var first = await client.PostCommentAsync(Site, new
        {
            url = Url, title = "Winter gardens", body = "The **first** word, déjà vu",
            author = new { name = "Ann", email = Email, website = "https://ann.example" },
        });
        Ids["A"] = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.Id();
        var b = await client.CommentAsync(Site, Url, "A reply", Ids["A"], name: "Bob");
        Ids["B"] = b.Id();
        Ids["C"] = (await client.CommentAsync(Site, Url, "A reply to the reply", Ids["B"], name: "Cy")).Id();
        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{Site}/comments/{Ids["B"]}") { Content = JsonContent.Create(new { body = "A reply, edited" }) };
        edit.Headers.Add("X-Edit-Token", b.GetProperty("editToken").GetString());
        Assert.True((await client.SendAsync(edit)).IsSuccessStatusCode);

        var gone = await client.CommentAsync(Site, Url, "Words that were taken back", name: "Eve");
        Ids["E"] = gone.Id();
        Ids["F"] = (await client.CommentAsync(Site, Url, "An answer to taken-back words", Ids["E"], name: "Fay")).Id();
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{Site}/comments/{Ids["E"]}");
        delete.Headers.Add("X-Edit-Token", gone.GetProperty("editToken").GetString());
        Assert.True((await client.SendAsync(delete)).IsSuccessStatusCode);

        Ids["G"] = (await client.CommentAsync(Site, Url, "Waiting for a moderator", name: "Gus")).Id();
        Ids["H"] = (await client.CommentAsync(Site, Url, "Cheap watches here", name: "Hal")).Id();
        Ids["I"] = (await client.CommentAsync(Site, Url, "Refused by the team", name: "Ivy")).Id();
        await client.CommentAsync("other", ApiCalls.NewPageUrl(), "Words of another site", name: "Olga");

        await App.InDatabaseAsync(async db =>
        {
            var comments = await db.Comments.Where(c => Ids.Values.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            comments[Ids["A"]].Pinned = true;
            comments[Ids["A"]].Featured = true;
            comments[Ids["A"]].ApplyVotes(3, 1);
            comments[Ids["G"]].Decide(CommentStatus.Pending);
            comments[Ids["H"]].Decide(CommentStatus.Spam);
            comments[Ids["I"]].Decide(CommentStatus.Rejected);
            return await db.SaveChangesAsync();
        });

        // More comments than a page of the export, written straight in: the post path is not what is tested here.
        await client.CommentAsync(Site, BulkUrl, "Bulk 0", name: "Bulk");
        await using var scope = App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var markdown = scope.ServiceProvider.GetRequiredService<MarkdownRenderer>();
        var thread = await store.Threads.SingleAsync(t => t.Url == BulkUrl);
        var now = App.Clock.GetUtcNow().UtcDateTime;
        for (var i = 1; i < Bulk; i++)
        {
            store.Comments.Add(Comment.Create(thread, null, new CommentAuthor { Name = $"Reader {i}", Key = $"bulk-{i}" },
                markdown.Render($"Bulk {i}"), CommentStatus.Published, null, null, null, now, 10));
        }
        // HTML that holds the end of a CDATA section, as a code sample can (written straight in: Markdown escapes it).
        var page = await store.Threads.SingleAsync(t => t.Url == Url);
        var brackets = Comment.Create(page, null, new CommentAuthor { Name = "Jo", Key = "jo" },
            new RenderedMarkdown("a ]]> b", CData, "cdata"), CommentStatus.Published, null, null, null, now, 10);
        store.Comments.Add(brackets);
        await store.SaveChangesAsync();
        Ids["J"] = brackets.Id;
    }

    public const string CData = "<p>a ]]> b ]]>]]> c</p>";

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Task<CliResult> ExportAsync(params string[] more) =>
        HearthCommand.RunAsync(["export", "--site", Site, .. more, "--data", App.DataDirectory]);
}
