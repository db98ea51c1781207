using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Moderation;
using Hearth.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>The shipped per-author and per-thread limits; the address limit stays out of the way (every post here
/// comes from its own address, as a crowd's would).</summary>
public class ShippedPostingLimitsApp : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:RateLimits:CommentsPerAuthorPerMinute"] = "6",
        ["Hearth:RateLimits:CommentsPerThreadPerMinute"] = "60",
        ["Hearth:RateLimits:CommentsPerAddressOnThreadPerMinute"] = "5",
    };
}

/// <summary>
/// A realistic morning on a site with the usual settings: ordinary comments and replies, a spam run across pages,
/// link drops, a pharmacy advert, a banned word, a suspect word, a shadow-banned troll and one person flooding.
/// Every item is checked for where it lands, and then the public thread and the moderators' queues are checked whole.
/// </summary>
public class MixedStreamTests(ShippedPostingLimitsApp app) : IClassFixture<ShippedPostingLimitsApp>
{
    readonly HttpClient _client = app.CreateClient();
    int _address;

    sealed record Landing(HttpStatusCode Status, string? Shown, CommentStatus? Stored, string? Reason, long? Id);

    async Task<Landing> PostAsync(string site, string url, string body, string name, string? email = null, long? parentId = null, string? from = null)
    {
        from ??= $"198.51.100.{Interlocked.Increment(ref _address) % 250 + 1}";
        using var response = await _client.PostCommentAsync(site, new { url, parentId, body, author = new { name, email } }, from: from);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return new Landing(response.StatusCode, null, null, json.TryGetProperty("code", out var code) ? code.GetString() : null, null);
        }
        var id = json.Id();
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == id));
        return new Landing(response.StatusCode, json.GetProperty("status").GetString(), stored.Status, stored.ModerationReason, id);
    }

    [Fact]
    public async Task EachKindOfCommentLandsWhereItBelongs()
    {
        var (site, token) = await app.SiteWithModeratorAsync();
        await app.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            entity.MaxLinks = 2;
            entity.BannedWords = ["scumbag"];
            entity.SuspectWords = ["cheap"];
            var siteId = entity.Id;
            db.Bans.Add(new Ban { SiteId = siteId, Kind = Ban.Email, Value = "troll@mail.example", Reason = "Baiting", Shadow = true, CreatedBy = "Mo", CreatedAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<SiteDirectory>().Forget(site);
        var article = ApiCalls.NewPageUrl();
        var pages = Enumerable.Range(0, 3).Select(_ => ApiCalls.NewPageUrl()).ToList();

        // Ordinary conversation, with a reply and a legitimate link.
        var opening = await PostAsync(site, article, "The restored lock gates look wonderful, well done to the volunteers.", "Ada");
        var question = await PostAsync(site, article, "Does anyone know when the towpath reopens after the works?", "Ben");
        var answer = await PostAsync(site, article, "The notice says the end of March: https://canals.example/notices/towpath", "Cleo", parentId: question.Id);
        var disagreement = await PostAsync(site, article, "I preferred the old wooden railings, to be honest. These feel too shiny.", "Dev");
        foreach (var ham in new[] { opening, question, answer, disagreement })
        {
            Assert.Equal((HttpStatusCode.Created, "published", CommentStatus.Published), (ham.Status, ham.Shown, ham.Stored));
        }

        // A spam run: the same words on page after page, under new names; the third is held.
        const string run = "Amazing content, I learned so much from this post, thanks for writing it";
        var runs = new List<Landing>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await PostAsync(site, pages[i], run, $"Fan{i}"));
        }
        Assert.Equal([CommentStatus.Published, CommentStatus.Published, CommentStatus.Pending], runs.Select(r => r.Stored));
        Assert.Equal("duplicate", runs[2].Reason);

        // Link drops: too many links, and little besides links.
        var linkDrop = await PostAsync(site, article, "Great! https://a.example/1 https://b.example/2 https://c.example/3", "Linker");
        var linkOnly = await PostAsync(site, article, "https://shop.example/deal", "Linker2");
        Assert.Equal((CommentStatus.Pending, "too_many_links"), (linkDrop.Stored, linkDrop.Reason));
        Assert.Equal((CommentStatus.Pending, "link_only"), (linkOnly.Stored, linkOnly.Reason));

        // An advert the spam filter knows on sight, a banned word, a suspect word.
        var pills = await PostAsync(site, article, "Buy viagra and cialis online, no prescription, discreet shipping https://pills-now.example/order", "Pharma", "rx@mail.example");
        var insult = await PostAsync(site, article, "Only a scumbag would paint railings that colour.", "Rude");
        var suspect = await PostAsync(site, article, "Parking was cheap enough on the weekday we went.", "Frugal");
        Assert.Equal(("pending", CommentStatus.Pending), (linkDrop.Shown, linkDrop.Stored));
        Assert.Equal(("pending", CommentStatus.Spam, "spam_score"), (pills.Shown, pills.Stored, pills.Reason));
        Assert.Equal(("pending", CommentStatus.Rejected, "banned_word"), (insult.Shown, insult.Stored, insult.Reason));
        Assert.Equal(("pending", CommentStatus.Pending, "suspect_word"), (suspect.Shown, suspect.Stored, suspect.Reason));

        // The shadow-banned troll is told "published"; nobody will see it.
        var troll = await PostAsync(site, article, "Nobody cares about your little canal.", "Troll", "troll@mail.example");
        Assert.Equal(("published", CommentStatus.Rejected, "shadow_ban"), (troll.Shown, troll.Stored, troll.Reason));

        // One person flooding from many addresses: six a minute get through, the rest are refused and not stored.
        var flood = new List<Landing>();
        for (var i = 0; i < 10; i++)
        {
            flood.Add(await PostAsync(site, pages[0], $"Flood message number {i} about nothing in particular", "Flooder", "flood@mail.example"));
        }
        Assert.Equal(6, flood.Count(f => f.Status == HttpStatusCode.Created));
        Assert.All(flood.Skip(6), f => Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (f.Status, f.Reason)));
        var stored = await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.Name == "Flooder"));
        Assert.Equal(6, stored);

        // The public thread shows the conversation and nothing else.
        var shown = (await _client.ThreadAsync(site, article)).GetProperty("comments").EnumerateArray()
            .Select(c => c.GetProperty("author").GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["Ada", "Ben", "Cleo", "Dev"], shown);

        // The moderators find each held comment in its queue, with its reason.
        async Task<List<(string? Name, string? Reason)>> QueueAsync(string status)
        {
            using var response = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/queue?status={status}");
            return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
                .Select(i => (i.GetProperty("author").GetProperty("name").GetString(), i.GetProperty("reason").GetString()))
                .OrderBy(i => i.Item1, StringComparer.Ordinal)];
        }
        Assert.Equal([("Fan2", "duplicate"), ("Frugal", "suspect_word"), ("Linker", "too_many_links"), ("Linker2", "link_only")], await QueueAsync("pending"));
        Assert.Equal([("Pharma", "spam_score")], await QueueAsync("spam"));
        Assert.Equal([("Rude", "banned_word"), ("Troll", "shadow_ban")], await QueueAsync("rejected"));
    }
}
