using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Moderation.SpamFilter;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>The learned spam filter through the API: what a new site holds, and how moderators' decisions teach it.</summary>
public class SpamFilterTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>Ordinary comments of many kinds, some with the words and links spam is made of.</summary>
    static readonly string[] Ordinary =
    [
        "Thank you so much!",
        "lol this is exactly my Monday",
        "I don't agree at all. The bridge was finished in 1894, two years later than the article says.",
        "Does anyone know whether the market is on this Saturday?",
        "We paid $300 for the same repair last year and the garage was great about it.",
        "Here's the MDN page on it: https://developer.mozilla.org/en-US/docs/Web/API/fetch",
        "You can do it with `git rebase -i HEAD~3`, see https://git-scm.com/docs/git-rebase",
        "My grandfather worked at the old casino on the pier until it closed.",
        "Working from home suits me, but I miss the walk to the station.",
        "Free entry for children on Sundays, according to the museum.",
        "Click the cog, then Settings, then Notifications, and untick the e-mail box.",
        "Merci pour l'article, très intéressant !",
        "Congrats on ten years of the blog, it's been a pleasure reading along.",
        "The report is here if anyone wants the numbers: https://www.ons.gov.uk/economy/inflationandpriceindices",
        "I lost money on crypto in 2022, so I'm wary of anything that promises quick returns.",
        "Great post, very helpful for a beginner like me.",
        "My doctor says the new prescription should help within a couple of weeks.",
        "We ordered the tent online and it arrived in two days.",
        "I wrote more about our allotment on my blog: https://muddy-boots.net/2024/spring",
        "Honestly the second half of the book dragged for me, but the ending made up for it.",
    ];

    Task<(string Site, string Token)> SiteWithModeratorAsync() => app.SiteWithModeratorAsync();

    /// <summary>Posts as a guest on a page of its own; returns the comment's id, the status the writer saw, and where it was stored.</summary>
    async Task<(long Id, string Shown, CommentStatus Stored, string? Reason, string? Detail)> PostAsync(string site, string body, string name = "Guest")
    {
        using var response = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name, email = $"{name.ToLowerInvariant()}@mail.example" } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        var id = json.Id();
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == id));
        return (id, json.GetProperty("status").GetString()!, stored.Status, stored.ModerationReason, stored.ModerationDetail);
    }

    async Task DecideAsync(string site, string token, long id, string action)
    {
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{id}/{action}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ANewSitePublishesOrdinaryCommentsAndSendsObviousSpamToTheSpamQueue()
    {
        var site = await app.CreateSiteAsync();

        foreach (var body in Ordinary)
        {
            var posted = await PostAsync(site, body);
            Assert.True(posted.Stored == CommentStatus.Published, $"Held: {body} ({posted.Detail})");
        }
        var spam = await PostAsync(site, "Buy cheap viagra online, no prescription needed, discreet shipping https://pills-now.com/order", "Pills");

        Assert.Equal(("pending", CommentStatus.Spam, "spam_score"), (spam.Shown, spam.Stored, spam.Reason));
        Assert.StartsWith("Spam score 0.99", spam.Detail);
    }

    [Fact]
    public async Task SpamMarkedByModeratorsIsLearnedSoTheNextLikeItIsHeldAndNotSpamTakesItBack()
    {
        var (site, token) = await SiteWithModeratorAsync();
        var other = await app.CreateSiteAsync();
        // Different words each time, so it is the filter and not the near-duplicate check that learns them.
        string[] pitches =
        [
            "Loving the recipes here. Garden furniture clearance deals at https://patio-bargains.com/sale",
            "Nice photos! Patio furniture clearance this week only: https://patio-bargains.com/offers",
            "So true. Huge garden furniture bargains, clearance prices: https://patio-bargains.com",
            "Thanks for sharing. Patio bargains and furniture deals, see https://patio-bargains.com/new",
        ];
        const string next = "Great read. Garden furniture deals and clearance bargains at https://patio-bargains.com/today";

        var taught = new List<long>();
        foreach (var (pitch, i) in pitches.Select((p, i) => (p, i)))
        {
            var posted = await PostAsync(site, pitch, $"Seller{i}");
            Assert.Equal(CommentStatus.Published, posted.Stored); // nothing in the built-in prior knows these words
            taught.Add(posted.Id);
        }
        foreach (var id in taught)
        {
            await DecideAsync(site, token, id, "spam");
        }

        var held = await PostAsync(site, next, "Seller9");
        Assert.Equal(("pending", CommentStatus.Spam, "spam_score"), (held.Shown, held.Stored, held.Reason));
        Assert.Contains("patio-bargains.com", held.Detail);
        var elsewhere = await PostAsync(other, next, "Seller9");
        Assert.Equal(CommentStatus.Published, elsewhere.Stored); // another site's filter learned nothing

        foreach (var id in taught.Append(held.Id))
        {
            await DecideAsync(site, token, id, "notspam");
        }
        var published = await PostAsync(site, next.Replace("Great read", "Good read", StringComparison.Ordinal), "Seller10");
        Assert.Equal(CommentStatus.Published, published.Stored);

        var totals = await app.InDatabaseAsync(db => db.Set<SpamTotals>().AsNoTracking().SingleAsync(t => t.SiteId == db.Sites.Single(s => s.Name == site).Id));
        Assert.Equal((0, 5, 0L), (totals.SpamComments, totals.HamComments, totals.SpamTokens)); // the spam was taken back, token by token
    }

    [Fact]
    public async Task RejectingTeachesNotSpamAndConfirmingAHeldSpamTeachesSpam()
    {
        var (site, token) = await SiteWithModeratorAsync();
        var rude = await PostAsync(site, "This is the stupidest thing I have read all year.");
        var spam = await PostAsync(site, "Best online casino, 300 free spins, play now at https://spin-win.xyz/bonus");
        Assert.Equal(CommentStatus.Spam, spam.Stored);

        await DecideAsync(site, token, rude.Id, "reject");
        await DecideAsync(site, token, spam.Id, "spam"); // already in the spam queue: the decision still teaches

        var labels = await app.InDatabaseAsync(db => db.Set<SpamLabel>().AsNoTracking()
            .Where(l => l.CommentId == rude.Id || l.CommentId == spam.Id).OrderBy(l => l.CommentId).Select(l => l.Spam).ToListAsync());
        Assert.Equal([false, true], labels);
    }

    [Fact]
    public async Task WhatTheFilterLearnedOfACommentGoesWhenTheCommentBecomesATombstoneOrGoesWhole()
    {
        var (site, token) = await SiteWithModeratorAsync();
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var url = ApiCalls.NewPageUrl();
        var answered = await _client.CommentAsync(site, url, "A comment about quillworts someone answered, later taken down");
        await _client.CommentAsync(site, url, "The answer", parentId: answered.Id());
        var alone = await _client.CommentAsync(site, url, "Sundews in the bog, nobody answered");
        await DecideAsync(site, token, answered.Id(), "approve");
        await DecideAsync(site, token, alone.Id(), "approve");
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Set<SpamLabel>().CountAsync(l => l.CommentId == answered.Id())));
        Task<List<string>> LearnedAsync() => app.InDatabaseAsync(db => db.Set<SpamTokenCount>()
            .Where(c => c.SiteId == siteId && (c.Token.Contains("quillwort") || c.Token.Contains("sundew"))).Select(c => c.Token).ToListAsync());
        Assert.Contains(await LearnedAsync(), t => t.Contains("quillwort", StringComparison.Ordinal));
        Assert.Contains(await LearnedAsync(), t => t.Contains("sundew", StringComparison.Ordinal));
        var hamBefore = await app.InDatabaseAsync(db => db.Set<SpamTotals>().Where(t => t.SiteId == siteId).Select(t => t.HamComments).SingleAsync());

        foreach (var id in new[] { answered.Id(), alone.Id() })
        {
            using var deleted = await _client.AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{id}");
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }

        // One stays as a tombstone (it was answered), the other is gone; neither's words stay in what the filter counts.
        Assert.Equal(CommentStatus.Deleted, await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == answered.Id()).Select(c => c.Status).SingleAsync()));
        Assert.False(await app.InDatabaseAsync(db => db.Comments.AnyAsync(c => c.Id == alone.Id())));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Set<SpamLabel>().CountAsync(l => l.CommentId == answered.Id() || l.CommentId == alone.Id())));
        Assert.Empty(await LearnedAsync());
        Assert.Equal(hamBefore - 2, await app.InDatabaseAsync(db => db.Set<SpamTotals>().Where(t => t.SiteId == siteId).Select(t => t.HamComments).SingleAsync()));
    }

    [Fact]
    public async Task WhatAModeratorTaughtAsSpamStaysLearnedWhenTheCommentGoes()
    {
        var (site, token) = await SiteWithModeratorAsync();
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var spam = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "Order zanzibarpills today, zanzibarpills ship free");
        await DecideAsync(site, token, spam.Id(), "spam");
        Task<int> CountedAsSpamAsync() => app.InDatabaseAsync(db => db.Set<SpamTokenCount>()
            .Where(c => c.SiteId == siteId && c.Token.Contains("zanzibarpills")).Select(c => c.Spam).SumAsync());
        var before = await CountedAsSpamAsync();
        Assert.True(before > 0);

        using var deleted = await _client.AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/comments/{spam.Id()}");
        Assert.True(deleted.IsSuccessStatusCode);

        // Its copy of the words goes with it; the lesson stays, or deleting spam would teach the filter to let it back in.
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Set<SpamLabel>().CountAsync(l => l.CommentId == spam.Id())));
        Assert.Equal(before, await CountedAsSpamAsync());
    }

    [Fact]
    public async Task TheSitesOwnModeratorsAreNotFiltered()
    {
        var (site, token) = await SiteWithModeratorAsync();
        using var response = await _client.PostAsMemberAsync(site, token,
            new { url = ApiCalls.NewPageUrl(), body = "Buy cheap viagra online, no prescription needed, discreet shipping https://pills-now.com/order" });
        var posted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("published", posted.GetProperty("status").GetString());
    }
}
