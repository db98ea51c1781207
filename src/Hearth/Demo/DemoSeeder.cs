using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Demo;

/// <summary>A first-run site and a thread with some life in it, so a newcomer sees a conversation at once.</summary>
public static class DemoSeeder
{
    public const string SiteName = "demo";
    public const string ThreadIdentifier = "hearth-demo";
    public const string PageUrl = "http://localhost:8080/demo";

    record Seed(string Name, string? Website, string Body, double HoursAgo, int? ReplyTo, int Up, int Down);

    static readonly Seed[] Conversation =
    [
        new("Marta Kowalczyk", null,
            "I moved my lemon tree into the stairwell last week and it has already dropped half its leaves. Is that the light or the draught from the door?",
            50, null, 6, 0),
        new("Jonas Brandt", "https://example.org/jonas",
            "Almost certainly the draught. Citrus sulk at **sudden** cold far more than at low light. Try a spot where the temperature stays steady, even if it is darker.",
            47, 0, 9, 0),
        new("Marta Kowalczyk", null,
            "That makes sense: the stairwell door is open all day when the post comes. I'll move it next to the bathroom window and report back.",
            45, 1, 2, 0),
        new("Priya Raman", null,
            "Counterpoint on the watering advice: my rosemary died of *thirst* on a radiator shelf, not of rot. Dry heat indoors changes everything.\n\n> water sparingly in winter\n\nworks outside, less so above a radiator.",
            30, null, 4, 1),
        new("Tomás Ferreira", null,
            "Has anyone tried a cheap clip-on grow light? I'm wondering whether it is worth it for a few herbs:\n\n- basil\n- parsley\n- chives",
            20, null, 3, 0),
        new("Jonas Brandt", "https://example.org/jonas",
            "Yes, for basil it is the difference between leggy and bushy. Keep it about 20 cm above the leaves and on a timer for 12 hours.",
            18, 4, 5, 0),
        new("Aiko Tanaka", null,
            "Lovely article. The bit about grouping pots to keep humidity up was new to me; my ferns look happier already.",
            3, null, 1, 0),
    ];

    public static async Task SeedAsync(HearthDb db, DateTime now, IServiceProvider services, CancellationToken ct)
    {
        var markdown = services.GetRequiredService<MarkdownRenderer>();
        var keys = services.GetRequiredService<InstanceKey>();
        var maxReplyDepth = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HearthOptions>>().Value.MaxReplyDepth;
        // The demo shows what a site can turn on: its community page, and its conversations on Explore.
        var site = new Site { Name = SiteName, Origins = ["http://localhost:8080"], CreatedAt = now, CommunityPage = true, ListOnExplore = true };
        db.Sites.Add(site);
        await db.SaveChangesAsync(ct);

        var thread = new CommentThread
        {
            SiteId = site.Id,
            Key = new ThreadAddress(PageUrl, ThreadIdentifier).Key,
            Url = PageUrl,
            Identifier = ThreadIdentifier,
            Title = DemoPage.Title,
            CreatedAt = now.AddHours(-Conversation.Max(s => s.HoursAgo)),
        };
        db.Threads.Add(thread);
        await db.SaveChangesAsync(ct);

        var written = new List<Comment>();
        foreach (var seed in Conversation)
        {
            var author = new CommentAuthor
            {
                Kind = AuthorKind.Guest,
                Name = seed.Name,
                Website = seed.Website,
                Key = keys.Hash("author", "guest\n" + seed.Name.ToLowerInvariant() + "\n"),
            };
            var parent = seed.ReplyTo is { } index ? written[index] : null;
            var comment = Comment.Create(thread, parent, author, markdown.Render(seed.Body), CommentStatus.Published, reason: null, detail: null, ipHash: null,
                now.AddHours(-seed.HoursAgo), maxReplyDepth);
            comment.ApplyVotes(seed.Up, seed.Down);
            db.Comments.Add(comment);
            await db.SaveChangesAsync(ct);
            await ThreadLog.AppendAsync(db, comment, ThreadEvent.Created, null, author.Key, comment.CreatedAt, ct);
            written.Add(comment);
        }
        thread.CommentCount = written.Count;
        thread.LastCommentAt = written.Max(c => c.CreatedAt);
        await db.SaveChangesAsync(ct);
    }
}
