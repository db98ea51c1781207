using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// What docs/import.md says of what arrives, for the cases an export gets wrong: a reply whose parent is not in the file,
/// and an author's address or website that Hearth's own form would refuse.
/// </summary>
public class WhatArrivesTests(HearthApp app) : IClassFixture<HearthApp>
{
    static string Comment(string id, string author, string email, string url, string parent, string words) => $"""
            <wp:comment>
              <wp:comment_id>{id}</wp:comment_id>
              <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
              <wp:comment_author_email>{email}</wp:comment_author_email>
              <wp:comment_author_url>{url}</wp:comment_author_url>
              <wp:comment_date_gmt>2021-03-04 10:0{id}:00</wp:comment_date_gmt>
              <wp:comment_content><![CDATA[{words}]]></wp:comment_content>
              <wp:comment_approved>1</wp:comment_approved>
              <wp:comment_type></wp:comment_type>
              <wp:comment_parent>{parent}</wp:comment_parent>
            </wp:comment>
        """;

    static readonly string File = $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
          <item>
            <title>Odd cases</title>
            <link>https://blog.example/odd/</link>
            <wp:post_id>7</wp:post_id>
            <wp:post_type>post</wp:post_type>
            <wp:status>publish</wp:status>
            {Comment("1", "Root Rita", "rita@mail.example", "https://rita.example/", "0", "The first word.")}
            {Comment("2", "Reply Ray", "ray@mail.example", "https://ray.example/", "1", "An answer to Rita.")}
            {Comment("3", "Lost Lou", "lou@mail.example", "https://lou.example/", "99", "An answer to a comment the export lost.")}
            {Comment("4", "Odd Otto", "not an address", "javascript:alert(1)", "0", "Otto's words stay, his address and website do not.")}
          </item>
        </channel>
        </rss>
        """;

    [Fact]
    public async Task AReplyToACommentNotInTheFileIsTopLevelAndARefusedAddressOrWebsiteIsDroppedNotTheComment()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);

        var summary = await app.ImportAsync(site, File, format: "wordpress");

        Assert.Equal(4, summary.CommentsImported);
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().Where(c => c.ImportSource == "wordpress" && c.ImportId != null
            && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)).ToDictionaryAsync(c => c.ImportId!));
        Assert.Equal((stored["1"].Id, 1), (stored["2"].ParentId!.Value, stored["2"].Depth));
        Assert.Equal((null, 0, CommentStatus.Published), (stored["3"].ParentId, stored["3"].Depth, stored["3"].Status));
        Assert.Null(stored["3"].ReplyToId);
        var otto = stored["4"];
        Assert.Equal(("Odd Otto", CommentStatus.Published), (otto.Author.Name, otto.Status));
        Assert.Contains("Otto's words stay", otto.Html);
        Assert.Equal((null, null), (otto.Author.Email, otto.Author.Website));
        Assert.Equal(("ray@mail.example", "https://ray.example/"), (stored["2"].Author.Email, stored["2"].Author.Website));
    }

    /// <summary>Another instance's export: its accounts are not this instance's, and its settings are its own.</summary>
    const string HearthExport = """
        {"format":"hearth-export","version":1,"exportedAt":"2026-12-03T23:00:00Z",
         "site":{"name":"elsewhere","origins":["https://blog.example"],"settings":{"bannedWords":["imported","words"],"maxLinks":0}},
         "threads":[{"id":1,"key":"u:https://blog.example/moved","url":"https://blog.example/moved","identifier":null,"title":"Moved","locked":false,"commentCount":1,"createdAt":"2026-01-02T08:00:00Z"}],
         "comments":[
          {"id":10,"threadId":1,"parentId":null,"status":"published","author":{"kind":"member","userId":1,"name":"Ann Member","website":"https://ann.example/","email":"ann@example.org","badges":"staff"},"html":"<p>Said as a member there.</p>","createdAt":"2026-01-02T08:00:00Z"}
         ],
         "people":[{"id":4,"kind":"member","name":"Someone Only In People","userId":1}]}
        """;

    [Fact]
    public async Task AHearthExportsMemberComesInAsAGuestAndTheExportsSettingsAndPeopleAreNotRead()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        await app.InDatabaseAsync(async db =>
        {
            var target = await db.Sites.SingleAsync(s => s.Name == site);
            target.BannedWords = ["local"];
            return await db.SaveChangesAsync();
        });

        var summary = await app.ImportAsync(site, HearthExport, format: "hearth");

        Assert.Equal(1, summary.CommentsImported);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Hearth.Storage.HearthDb>();
        var keys = scope.ServiceProvider.GetRequiredService<Hearth.Storage.InstanceKey>();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        var ann = await db.Comments.AsNoTracking().SingleAsync(c => c.SiteId == siteId && c.ImportSource == "hearth");
        Assert.Equal((AuthorKind.Guest, (long?)null, (string?)null), (ann.Author.Kind, ann.Author.UserId, ann.Author.Badges));
        Assert.Equal(("Ann Member", "ann@example.org"), (ann.Author.Name, ann.Author.Email));
        Assert.Equal(PostComment.GuestKey(keys, "Ann Member", "ann@example.org"), ann.Author.Key);
        Assert.Equal(["local"], await db.Sites.Where(s => s.Id == siteId).Select(s => s.BannedWords).SingleAsync());
        Assert.Equal(["Ann Member"], await db.People.Where(p => p.SiteId == siteId).Select(p => p.Name).ToListAsync());
    }

    /// <summary>
    /// An owner's export file whose one comment opens 70,000 quotes, each written as if it closed itself (the parser
    /// ignores that "/"), fits the field's limit. Parsed and written back out, it would take the server's stack; it
    /// arrives as its words, and the import goes on.
    /// </summary>
    [Fact]
    public async Task ACommentThatWouldNestSeventyThousandQuotesArrivesAsItsWordsAndTheImportGoesOn()
    {
        var site = await app.CreateSiteAsync(origins: ["https://blog.example"]);
        var quotes = string.Concat(Enumerable.Repeat("<blockquote/>", 70_000));
        var file = File.Replace("Otto's words stay, his address and website do not.", quotes + "Otto's words stay.");

        var summary = await app.ImportAsync(site, file, format: "wordpress");

        Assert.Equal(4, summary.CommentsImported);
        var otto = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.ImportId == "4"
            && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)));
        Assert.Equal(("<p>Otto's words stay.</p>", "Otto's words stay."), (otto.Html, otto.Source));
    }
}
