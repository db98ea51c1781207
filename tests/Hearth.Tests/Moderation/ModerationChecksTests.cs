using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>Each check of the moderation pipeline, through the API a page's script uses.</summary>
public class ModerationChecksTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<string> SiteAsync(Action<Site> settings)
    {
        var site = await app.CreateSiteAsync();
        await app.InDatabaseAsync(async db =>
        {
            var entity = await db.Sites.SingleAsync(s => s.Name == site);
            settings(entity);
            return await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<SiteDirectory>().Forget(site);
        return site;
    }

    /// <summary>Posts as a guest; returns the answer's status and, for a stored comment, where moderation put it.</summary>
    async Task<(HttpStatusCode Status, string? Shown, string? Stored, string? Reason, JsonElement Body)> PostAsync(
        string site, string url, string body, string name = "Guest", string? email = null)
    {
        using var response = await _client.PostCommentAsync(site, new { url, body, author = new { name, email } });
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null, null, null, json);
        }
        var id = json.GetProperty("id").GetInt64();
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == id));
        return (response.StatusCode, json.GetProperty("status").GetString(), stored.Status.ToWire(), stored.ModerationReason, json);
    }

    async Task<int> VisibleAsync(string site, string url) =>
        (await _client.ThreadAsync(site, url)).GetProperty("comments").GetArrayLength();

    [Fact]
    public async Task InFirstModeAPersonsFirstCommentWaitsAndLaterOnesPublishOnceItIsApproved()
    {
        var site = await SiteAsync(s => s.Moderation = ModerationMode.First);
        var url = ApiCalls.NewPageUrl();

        var first = await PostAsync(site, url, "Hello, first time here.", "Newcomer", "new@mail.example");
        Assert.Equal(("pending", "pending", "first_comment"), (first.Shown, first.Stored, first.Reason));
        var stillNew = await PostAsync(site, url, "Anyone there?", "Newcomer", "new@mail.example");
        Assert.Equal("first_comment", stillNew.Reason);
        Assert.Equal(0, await VisibleAsync(site, url));

        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == first.Body.Id())
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Published)));
        var later = await PostAsync(site, url, "Back again.", "Newcomer", "new@mail.example");
        var someoneElse = await PostAsync(site, url, "Me too.", "Other Person");

        Assert.Equal(("published", null), (later.Stored, later.Reason));
        Assert.Equal("first_comment", someoneElse.Reason);
    }

    [Fact]
    public async Task InPreModeEveryCommentWaits()
    {
        var site = await SiteAsync(s => s.Moderation = ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var posted = await PostAsync(site, url, "Ordinary words.");
        Assert.Equal(("pending", "pre_moderation"), (posted.Stored, posted.Reason));
        Assert.Equal(0, (await _client.ThreadAsync(site, url)).GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Theory]
    [InlineData("This is Ｓｐａｍ, pure and simple.", "spam")]
    [InlineData("SPAM in capitals", "spam")]
    [InlineData("Please BUY   now while it lasts", "buy now")]
    public async Task ABannedWordInAnyWidthOrCaseKeepsTheCommentFromBeingShownWhileTheWriterSeesItAwaitModeration(string body, string word)
    {
        var site = await SiteAsync(s => s.BannedWords = ["spam", "buy now"]);
        var url = ApiCalls.NewPageUrl();

        var posted = await PostAsync(site, url, body);

        Assert.Equal(("pending", "rejected", "banned_word"), (posted.Shown, posted.Stored, posted.Reason));
        Assert.Contains(word, await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == posted.Body.Id()).Select(c => c.ModerationDetail!).SingleAsync()));
        Assert.Equal(0, await VisibleAsync(site, url));
        // Whole words only: "spamming" and "buying now" are other words.
        var innocent = await PostAsync(site, url, "Stop spamming, I was buying nowhere.");
        Assert.Equal("published", innocent.Stored);
    }

    [Fact]
    public async Task ASuspectWordMakesTheCommentWaitForAPerson()
    {
        var site = await SiteAsync(s => s.SuspectWords = ["casino"]);
        var url = ApiCalls.NewPageUrl();
        var posted = await PostAsync(site, url, "The old CaSiNo by the river is a museum now.");
        Assert.Equal(("pending", "pending", "suspect_word"), (posted.Shown, posted.Stored, posted.Reason));
    }

    [Fact]
    public async Task TooManyLinksOrLittleButLinksWaitWhileAnOrdinaryLinkPublishes()
    {
        var site = await SiteAsync(s => s.MaxLinks = 2);
        var url = ApiCalls.NewPageUrl();

        var heavy = await PostAsync(site, url, "See https://a.example and https://b.example and https://c.example for more on the weir.");
        var only = await PostAsync(site, url, "https://cheap.example/offer");
        var fine = await PostAsync(site, url, "The lock keeper wrote about the flood last year: https://locks.example/flood");
        var unlimited = await SiteAsync(_ => { });
        var elsewhere = await PostAsync(unlimited, url, "https://a.example https://b.example https://c.example https://d.example");

        Assert.Equal(("published", null), (elsewhere.Stored, elsewhere.Reason)); // a site that sets no limit does not look
        Assert.Equal("too_many_links", heavy.Reason);
        Assert.Equal("link_only", only.Reason);
        Assert.Equal(("published", null), (fine.Stored, fine.Reason));
    }

    [Fact]
    public async Task OnASiteThatRequiresSignInGuestsAreAskedToSignInAndMembersPost()
    {
        var site = await SiteAsync(s => s.RequireSignIn = true);
        var url = ApiCalls.NewPageUrl();

        var guest = await PostAsync(site, url, "May I?");
        Assert.Equal(HttpStatusCode.Unauthorized, guest.Status);
        Assert.Equal("sign_in_required", guest.Body.GetProperty("code").GetString());

        var token = await _client.AccessTokenAsync(site, SsoTokens.Sign(await app.EnableSsoAsync(site), SsoTokens.Claims(app, site)));
        using var member = await _client.PostAsMemberAsync(site, token, new { url, body = "Signed in, so yes." });
        Assert.Equal(HttpStatusCode.Created, member.StatusCode);
        Assert.Equal(1, await VisibleAsync(site, url));
    }

    [Fact]
    public async Task AThreadClosesTheGivenNumberOfDaysAfterItBegan()
    {
        var site = await SiteAsync(s => s.CloseAfterDays = 7);
        var url = ApiCalls.NewPageUrl();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(site, url, "Opening the thread.")).Status);
        app.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(site, url, "Still open on day six.")).Status);
        app.Clock.Advance(TimeSpan.FromDays(1));

        var late = await PostAsync(site, url, "Too late?");

        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Equal("thread_locked", late.Body.GetProperty("code").GetString());
        Assert.Equal(2, await VisibleAsync(site, url));
    }

    [Fact]
    public async Task TheFirstCheckInTheOrderDecidesWhyACommentWaits()
    {
        var site = await SiteAsync(s =>
        {
            s.Moderation = ModerationMode.Pre;
            s.BannedWords = ["viagra"];
            s.SuspectWords = ["cheap"];
            s.MaxLinks = 1;
        });
        var url = ApiCalls.NewPageUrl();

        var banned = await PostAsync(site, url, "cheap viagra at https://a.example and https://b.example");
        var links = await PostAsync(site, url, "cheap tickets at https://a.example and https://b.example for the boat trip");
        var suspect = await PostAsync(site, url, "cheap tickets for the boat trip are gone");
        var mode = await PostAsync(site, url, "the boat trip was lovely");

        Assert.Equal(["banned_word", "too_many_links", "suspect_word", "pre_moderation"], new[] { banned.Reason!, links.Reason!, suspect.Reason!, mode.Reason! });
    }

    [Fact]
    public async Task OwnersChangeTheModerationSettingsThroughTheApiAndBadValuesChangeNothing()
    {
        var (site, token, _) = await app.SiteWithTeamMemberAsync("Owner", Hearth.Identity.SiteRole.Owner);
        Task<HttpResponseMessage> PatchAsync(object body) => _client.AsModeratorAsync(token, HttpMethod.Patch, $"/api/v1/sites/{site}/settings", body);

        using var changed = await PatchAsync(new { moderation = "first", requireSignIn = true, maxLinks = 5, bannedWords = new[] { "spam, scam", "Spam" }, suspectWords = new[] { "casino" }, closeAfterDays = 30 });
        var settings = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("first", settings.GetProperty("moderation").GetString());
        Assert.True(settings.GetProperty("requireSignIn").GetBoolean());
        Assert.Equal(5, settings.GetProperty("maxLinks").GetInt32());
        Assert.Equal(["spam", "scam"], settings.GetProperty("bannedWords").EnumerateArray().Select(w => w.GetString()!).ToArray());
        Assert.Equal(30, settings.GetProperty("closeAfterDays").GetInt32());

        foreach (var bad in new object[] { new { moderation = "sometimes" }, new { maxLinks = -2 }, new { closeAfterDays = -3 }, new { maxLinks = 2, moderation = "never" } })
        {
            using var refused = await PatchAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        var stored = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal((ModerationMode.First, (int?)5), (stored.Moderation, stored.MaxLinks));
    }

    [Fact]
    public async Task TheSameWordsAcrossPagesOrUnderManyNamesAreHeldAsARunWhileShortThanksAreNot()
    {
        var site = await SiteAsync(_ => { });
        const string pitch = "Earn money from home with this one simple trick today";

        var onPages = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            // Another page each time, and the words shuffled, shouted and spaced out.
            var body = i % 2 == 0 ? pitch : "TODAY, earn MONEY with this one simple trick -- from   home!";
            onPages.Add((await PostAsync(site, ApiCalls.NewPageUrl(), body, "Seller", "seller@mail.example")).Reason);
        }
        var url = ApiCalls.NewPageUrl();
        var names = new List<string?>();
        foreach (var name in new[] { "Ann", "Ben", "Cy", "Di" })
        {
            names.Add((await PostAsync(site, url, "Great article about the weir, I learned a lot today", name)).Reason);
        }
        var thanks = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            thanks.Add((await PostAsync(site, ApiCalls.NewPageUrl(), "Thank you so much!", $"Reader {i}")).Reason);
        }

        Assert.Equal([null, null, "duplicate", "duplicate"], onPages);
        Assert.Equal([null, null, "duplicate", "duplicate"], names);
        Assert.All(thanks, Assert.Null);
    }

    [Fact]
    public async Task ARunWithSmallEditsIsHeldButDifferentCommentsOnTheSameSubjectAreNot()
    {
        var site = await SiteAsync(_ => { });
        var edited = new[]
        {
            "Check out my amazing new shop for the best deals on garden furniture this spring, free delivery on all orders",
            "Check out my amazing new store for the best deals on garden furniture this summer, free delivery on all orders",
            "Check out my amazing new shop for the best deals on garden furniture this autumn, free delivery on all orders!!",
        };
        var run = new List<string?>();
        for (var i = 0; i < edited.Length; i++)
        {
            run.Add((await PostAsync(site, ApiCalls.NewPageUrl(), edited[i], $"Shopper {i}")).Reason);
        }

        var topic = new[]
        {
            "We bought garden furniture this spring and the delivery took six weeks, which was a bit much",
            "Is anyone else finding that garden furniture prices have gone up a lot since last spring",
            "The best garden furniture we ever had was a bench my grandfather built from an old oak door",
            "Free delivery on garden furniture sounds great until you see what they charge for assembly",
        };
        var ordinary = new List<string?>();
        for (var i = 0; i < topic.Length; i++)
        {
            ordinary.Add((await PostAsync(site, ApiCalls.NewPageUrl(), topic[i], $"Gardener {i}")).Reason);
        }

        Assert.Equal([null, null, "duplicate"], run);
        Assert.All(ordinary, Assert.Null);

        // A day later the run is forgotten: the same words start afresh.
        app.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Null((await PostAsync(site, ApiCalls.NewPageUrl(), edited[0], "Shopper 9")).Reason);
    }

    async Task<(HttpStatusCode Status, string? Shown, CommentStatus Stored, string? Reason)> EditAsync(string site, JsonElement posted, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{posted.Id()}") { Content = JsonContent.Create(new { body }) };
        request.Headers.Add("X-Edit-Token", posted.GetProperty("editToken").GetString());
        using var response = await _client.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == posted.Id()));
        return (response.StatusCode, json.TryGetProperty("status", out var shown) ? shown.GetString() : null, stored.Status, stored.ModerationReason);
    }

    [Fact]
    public async Task AnEditPassesTheChecksAboutWordsAgain()
    {
        var site = await SiteAsync(s =>
        {
            s.BannedWords = ["scumbag"];
            s.MaxLinks = 1;
        });
        var url = ApiCalls.NewPageUrl();
        var harmless = (await PostAsync(site, url, "Lovely walk along the canal today.", "Walker")).Body;
        var other = (await PostAsync(site, url, "The heron was back on the weir.", "Birder")).Body;

        var fine = await EditAsync(site, harmless, "Lovely walk along the canal today, and the sun came out.");
        Assert.Equal((HttpStatusCode.OK, "published", CommentStatus.Published), (fine.Status, fine.Shown, fine.Stored));

        var dropped = await EditAsync(site, harmless, "Great walk! https://a.example/1 https://b.example/2 https://c.example/3");
        Assert.Equal((HttpStatusCode.OK, "pending", CommentStatus.Pending, "too_many_links"), (dropped.Status, dropped.Shown, dropped.Stored, dropped.Reason));
        var rude = await EditAsync(site, other, "Only a scumbag would disturb the heron.");
        Assert.Equal(("pending", CommentStatus.Rejected, "banned_word"), (rude.Shown, rude.Stored, rude.Reason));

        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal(0, thread.GetProperty("comments").GetArrayLength());
        Assert.Equal(0, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
    }

    [Fact]
    public async Task OnAPreModeratedSiteAnApprovedCommentThatIsEditedWaitsAgain()
    {
        var site = await SiteAsync(s => s.Moderation = ModerationMode.Pre);
        var url = ApiCalls.NewPageUrl();
        var posted = (await PostAsync(site, url, "First version of my thoughts on the lock.", "Editor")).Body;
        await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == posted.Id()).ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, CommentStatus.Published)));

        var edited = await EditAsync(site, posted, "Second version, now with an advert for my shop.");
        Assert.Equal(("pending", CommentStatus.Pending, "pre_moderation"), (edited.Shown, edited.Stored, edited.Reason));
    }
}
