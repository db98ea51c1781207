using System.Net;
using System.Text.Json;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Community;

/// <summary>Hearth with trust levels a small hand-made community reaches in a few comments.</summary>
public sealed class SmallCommunityApp : HearthApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:Trust:BasicApproved"] = "1",
        ["Hearth:Trust:BasicDaysActive"] = "1",
        ["Hearth:Trust:RegularApproved"] = "3",
        ["Hearth:Trust:RegularDaysActive"] = "2",
        ["Hearth:Trust:RegularRepliesReceived"] = "1",
    };
}

/// <summary>
/// A site's community page over a community of eight people written out day by day, every list worked out by hand, and
/// Explore over three sites, one of which did not opt in.
/// </summary>
public class CommunityPageTests(SmallCommunityApp app) : IClassFixture<SmallCommunityApp>
{
    readonly HttpClient _client = app.CreateClient();
    int _said;

    static readonly string[] Sayings =
    [
        "The old mill race still turns the wheel in spring.", "Has anyone walked the towpath since the flood?",
        "My grandmother ground flour there until the sixties.", "The weir is loud after rain, you hear it from the bridge.",
        "Which trail leads to the upper pond?", "Thank you for the photographs of the sluice gates.",
        "I counted eleven herons along the bank on Sunday.", "Is the footbridge open again after the repairs?",
        "We picnicked by the millpond every summer as children.", "The miller's cottage has a new roof, finally.",
        "Eels used to climb the ladder beside the wheel.", "Someone painted the lock keeper's hut bright blue.",
        "The archive holds the mill's ledgers from 1890 onwards.", "Frost on the paddles made the whole wheel sparkle.",
        "Could the society publish a map of the old leats?", "Otters are back below the second weir, I am told.",
        "The sound of the wheel is how I know I am home.", "Does the bakery still buy stone-ground flour from here?",
        "A kingfisher sat on the railing for a full minute.", "I would volunteer for the spring clean of the race.",
    ];

    async Task<JsonElement> PostAsync(string site, string url, string name, string? title = null, long? parentId = null, string? email = null,
        string? body = null)
    {
        // Words of their own each time: the same words under several names would be held as a spam run.
        body ??= Sayings[_said++ % Sayings.Length];
        using var response = await _client.PostCommentAsync(site, new { url, title, parentId, body, author = new { name, email } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static string Page(string name) => $"https://blog.example/{name}-{Guid.NewGuid():N}";

    Task TurnOnAsync(string site, bool community = true, bool explore = true) => app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site)
        .ExecuteUpdateAsync(s => s.SetProperty(x => x.CommunityPage, community).SetProperty(x => x.ListOnExplore, explore)));

    async Task<JsonElement> CommunityAsync(string site)
    {
        using var response = await _client.GetAsync($"/api/v1/sites/{site}/community");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    static string[] Names(JsonElement community, string list) =>
        [.. community.GetProperty(list).EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];

    static string[] Titles(JsonElement list) => [.. list.EnumerateArray().Select(c => c.GetProperty("title").GetString()!)];

    /// <summary>
    /// Forty days of a site, oldest first. Day 0 is when the lists are read.
    /// day -40: Olga comments (too long ago for any list).
    /// day -12, -11: Rita comments on "Mills" twice; day -10: Rita on "Weirs", and Sam answers her there. Rita has 3
    /// public comments on 3 days and a reply received: a regular (3, 2 and 1 here).
    /// day -3: Ann, Ben and Cid each comment on "Lively" (3 people, 3 comments).
    /// day -2: Dan comments four times on "Busy" (1 person, 4 comments); Sid five times on "Spam", never shown or held.
    /// day -1: Ann and Ben on "Pair" (2 people, 2 comments).
    /// </summary>
    async Task<(string Site, string Moderator)> CommunityOfEightAsync()
    {
        var (site, moderator) = await app.SiteWithModeratorAsync();
        await TurnOnAsync(site);
        await PostAsync(site, Page("old"), "Olga", "Old times");
        app.Clock.Advance(TimeSpan.FromDays(28));
        var mills = Page("mills");
        await PostAsync(site, mills, "Rita", "Mills");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(site, mills, "Rita", "Mills");
        app.Clock.Advance(TimeSpan.FromDays(1));
        var weirs = Page("weirs");
        var rita = await PostAsync(site, weirs, "Rita", "Weirs");
        await PostAsync(site, weirs, "Sam", "Weirs", rita.Id());
        app.Clock.Advance(TimeSpan.FromDays(7));
        var lively = Page("lively");
        await PostAsync(site, lively, "Ann", "Lively", email: "ann@private.example");
        await PostAsync(site, lively, "Ben", "Lively");
        await PostAsync(site, lively, "Cid", "Lively");
        app.Clock.Advance(TimeSpan.FromDays(1));
        var busy = Page("busy");
        for (var i = 0; i < 4; i++)
        {
            await PostAsync(site, busy, "Dan", "Busy");
        }
        // Sid's words are banned (never shown) or suspect (held for a moderator): he is nowhere on the page.
        await app.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            entity.BannedWords = ["casino"];
            entity.SuspectWords = ["pills"];
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<Hearth.Sites.SiteDirectory>().Forget(site);
        var spam = Page("spam");
        for (var i = 0; i < 5; i++)
        {
            var sid = await PostAsync(site, spam, "Sid", "Spam", body: $"Visit the {(i % 2 == 0 ? "casino" : "pills")} shop now {Guid.NewGuid():N}");
            Assert.Equal("pending", sid.GetProperty("status").GetString());
        }
        app.Clock.Advance(TimeSpan.FromDays(1));
        var pair = Page("pair");
        await PostAsync(site, pair, "Ann", "Pair", email: "ann@private.example");
        await PostAsync(site, pair, "Ben", "Pair");
        app.Clock.Advance(TimeSpan.FromDays(1));
        return (site, moderator);
    }

    [Fact]
    public async Task TheCommunityPageListsLivelyConversationsTopContributorsNewcomersAndRegularsAsWorkedOutByHand()
    {
        var (site, _) = await CommunityOfEightAsync();

        var community = await CommunityAsync(site);

        // Within 7 days: Lively has 3 people, Pair 2, Busy 1 (with 4 comments); Weirs is 10 days old; Spam shows nowhere.
        Assert.Equal(["Lively", "Pair", "Busy"], Titles(community.GetProperty("active")));
        var first = community.GetProperty("active")[0];
        Assert.Equal(3, first.GetProperty("people").GetInt32());
        Assert.Equal(3, first.GetProperty("comments").GetInt32());
        Assert.StartsWith("https://blog.example/lively-", first.GetProperty("url").GetString());
        Assert.Equal(4, community.GetProperty("active")[2].GetProperty("comments").GetInt32());
        // Public comments in 30 days: Dan 4, Rita 3, Ann and Ben 2 (Ben wrote last), Cid and Sam 1 (Cid more recently).
        Assert.Equal(["Dan", "Rita", "Ben", "Ann", "Cid", "Sam"], Names(community, "topContributors"));
        Assert.Equal([4, 3, 2, 2, 1, 1], community.GetProperty("topContributors").EnumerateArray().Select(p => p.GetProperty("comments").GetInt32()));
        // First public comment within 30 days, newest first: Olga is too old, Sid has nothing public.
        Assert.Equal(["Dan", "Cid", "Ben", "Ann", "Sam", "Rita"], Names(community, "recentlyJoined"));
        Assert.Equal(["Rita"], Names(community, "regulars"));
        var regular = community.GetProperty("regulars")[0];
        Assert.Equal(["regular"], regular.GetProperty("badges").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(["newcomer"], community.GetProperty("recentlyJoined")[0].GetProperty("badges").EnumerateArray().Select(b => b.GetString()));
        // Guests are shown by the names their comments show, and nothing else of them.
        Assert.False(regular.TryGetProperty("profileUrl", out _));
        var text = community.GetRawText();
        Assert.DoesNotContain("private.example", text);
        Assert.DoesNotContain("Sid", text);
        Assert.DoesNotContain("Spam", text);
        Assert.DoesNotContain("newcomers", text);
        Assert.DoesNotContain("key", text);

        var page = await _client.GetStringAsync($"/sites/{site}/community");
        Assert.Contains($"<h1>The community of {site}</h1>", page);
        Assert.Contains(">Lively</a>", page);
        Assert.Contains("3 people, 3 comments", page);
        Assert.DoesNotContain("People to welcome", page);
        Assert.DoesNotContain("Sid", page);
    }

    [Fact]
    public async Task ACommentTakenDownLeavesTheListsOnceTheBriefCacheExpires()
    {
        var (site, moderator) = await CommunityOfEightAsync();
        Assert.Contains("Cid", Names(await CommunityAsync(site), "topContributors"));
        var cid = await app.InDatabaseAsync(db => db.Comments.Where(c => c.Author.Name == "Cid" && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))
            .Select(c => c.Id).SingleAsync());
        using (var rejected = await _client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{cid}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }
        app.Clock.Advance(Hearth.Community.CommunityCache.Freshness);

        var community = await CommunityAsync(site);
        Assert.DoesNotContain("Cid", community.GetRawText());
        // Lively now has Ann and Ben: 2 people, 2 comments, and Pair (the same, but more recent) goes first.
        Assert.Equal(["Pair", "Lively", "Busy"], Titles(community.GetProperty("active")));
    }

    [Fact]
    public async Task TheDemoSiteShowsItsCommunityPage()
    {
        _ = app.Server;
        var page = await _client.GetStringAsync("/sites/demo/community");
        Assert.Contains("<h1>The community of demo</h1>", page);
        Assert.Contains("href=\"/explore\"", await _client.GetStringAsync("/"));
    }

    [Fact]
    public async Task ASiteThatHasNotTurnedItsPageOnShowsNoCommunityPage()
    {
        var site = await app.CreateSiteAsync();
        await PostAsync(site, Page("quiet"), "Quinn", "Quiet");

        using var json = await _client.GetAsync($"/api/v1/sites/{site}/community");
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Equal("community_page_off", (await json.ProblemAsync()).GetProperty("code").GetString());
        using var html = await _client.GetAsync($"/sites/{site}/community");
        Assert.Equal(HttpStatusCode.NotFound, html.StatusCode);
        Assert.DoesNotContain("Quinn", await html.Content.ReadAsStringAsync());
        using var unknown = await _client.GetAsync("/sites/no-such-site/community");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ExploreRanksTheListedSitesConversationsTogetherAndLeavesOutASiteThatDidNotOptIn()
    {
        var (listed, _) = await CommunityOfEightAsync();
        var other = await app.CreateSiteAsync();
        await TurnOnAsync(other, community: false, explore: true);
        var hidden = await app.CreateSiteAsync();
        await TurnOnAsync(hidden, community: true, explore: false);
        // The busiest conversation of all, on the site that keeps off Explore: 5 people.
        var crowd = Page("crowd");
        foreach (var name in new[] { "Una", "Vic", "Wes", "Xan", "Yul" })
        {
            await PostAsync(hidden, crowd, name, "Crowded");
        }
        // 2 people and 5 comments: after Lively (3 people), before Pair (2 people, 2 comments).
        var chat = Page("chat");
        foreach (var name in new[] { "Zoe", "Abe", "Zoe", "Abe", "Zoe" })
        {
            await PostAsync(other, chat, name, "Chat");
        }

        using var response = await _client.GetAsync("/api/v1/explore");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explore = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var mine = explore.GetProperty("conversations").EnumerateArray()
            .Where(c => c.GetProperty("site").GetString() is { } s && (s == listed || s == other || s == hidden)).ToList();
        Assert.Equal(["Lively", "Chat", "Pair", "Busy"], mine.Select(c => c.GetProperty("title").GetString()));
        Assert.DoesNotContain("Crowded", explore.GetRawText());
        Assert.DoesNotContain(hidden, explore.GetRawText());

        var page = await _client.GetStringAsync("/explore");
        Assert.Contains(">Chat</a>", page);
        Assert.DoesNotContain("Crowded", page);
    }
}
