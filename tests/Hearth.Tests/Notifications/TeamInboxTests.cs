using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Tests.Accounts;
using Hearth.Tests.Live;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Notifications;

/// <summary>
/// The team inbox: a community manager reads and answers what is said on every site they run, from one page, and
/// nothing of a site they do not run.
/// </summary>
public partial class TeamInboxTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>Someone with an account who is on the team of these sites (as moderator), signed in on Hearth's pages.</summary>
    async Task<(Browser Browser, string Email)> ManagerAsync(string name, params string[] sites)
    {
        var (browser, email) = await App.SignedInAsync(name, Password);
        foreach (var site in sites)
        {
            await App.GrantAsync(email, site, SiteRole.Moderator);
        }
        return (browser, email);
    }

    async Task<long> SayAsync(string site, string url, string body, string name, long? parentId = null)
    {
        var id = (await _client.CommentAsync(site, url, body, parentId, name)).Id();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        return id;
    }

    [GeneratedRegex("<li id=\"c(\\d+)\" class=\"(unread|read)\"")]
    private static partial Regex ItemPattern();

    /// <summary>The comments the page lists, in its order, and whether each is new.</summary>
    static List<(long Id, bool New)> Items(string page) =>
        [.. ItemPattern().Matches(page).Select(m => (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value == "unread"))];

    [Fact]
    public async Task EveryCommentOnTheSitesTheyRunArrivesNewestFirstAndNothingFromOtherSites()
    {
        var shop = await App.CreateSiteAsync();
        var blog = await App.CreateSiteAsync();
        var elsewhere = await App.CreateSiteAsync();
        var (mo, moEmail) = await ManagerAsync("Mo Manager", shop, blog);
        var page = ApiCalls.NewPageUrl();
        var question = await SayAsync(shop, page, "Does the kettle whistle when it boils?", "Quinn");
        var answer = await SayAsync(shop, page, "It does, quite loudly.", "Rae", question);
        var onBlog = await SayAsync(blog, ApiCalls.NewPageUrl(), "Lovely piece on **canal boats**.", "Sol <b>Bold</b>");
        var hidden = await SayAsync(elsewhere, ApiCalls.NewPageUrl(), "A words-only-for-elsewhere comment.", "Tam");

        var html = await mo.GetAsync("/account/inbox/team");
        Assert.Equal([(onBlog, true), (answer, true), (question, true)], Items(html));
        Assert.Contains("3 new comments.", html);
        Assert.Contains("replied to <strong>Quinn</strong>", html);
        Assert.Contains("Sol &lt;b&gt;Bold&lt;/b&gt;", html);
        Assert.Contains("<strong>canal boats</strong>", html);
        Assert.DoesNotContain("words-only-for-elsewhere", html);
        Assert.DoesNotContain(elsewhere, html);
        Assert.Contains($">{shop} <span class=\"badge\">2 new</span>", html);
        Assert.Contains($">{blog} <span class=\"badge\">1 new</span>", html);

        // One site only.
        Assert.Equal([answer, question], Items(await mo.GetAsync($"/account/inbox/team?site={shop}")).Select(i => i.Id));
        // A site they do not run, and one that does not exist, are the same: not theirs.
        foreach (var other in new[] { elsewhere, "no-such-site" })
        {
            using var refused = await mo.Client.GetAsync($"/account/inbox/team?site={other}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("words-only-for-elsewhere", await refused.Content.ReadAsStringAsync());
        }

        // Marking one site read leaves the other's news; marking all clears it. What comes after is new again.
        using (var marked = await mo.SubmitAsync($"/account/inbox/team?site={shop}", "/account/inbox/team/read", ("site", shop)))
        {
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        }
        Assert.Equal([(onBlog, true), (answer, false), (question, false)], Items(await mo.GetAsync("/account/inbox/team")));
        using (var all = await mo.SubmitAsync("/account/inbox/team", "/account/inbox/team/read"))
        {
            Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        }
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        html = await mo.GetAsync("/account/inbox/team");
        Assert.Contains("No new comments.", html);
        Assert.All(Items(html), i => Assert.False(i.New));
        var later = await SayAsync(blog, ApiCalls.NewPageUrl(), "Back again with a question about locks.", "Uma");
        html = await mo.GetAsync("/account/inbox/team");
        Assert.Equal((later, true), Items(html)[0]);
        Assert.Contains("1 new comment.", html);

        // Marking read marks what the page showed: a comment that arrived after it was drawn stays new.
        var shown = await mo.GetAsync("/account/inbox/team");
        var csrf = WebUtility.HtmlDecode(Regex.Match(shown, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value);
        var through = Regex.Match(shown, "name=\"through\" value=\"(\\d+)\"").Groups[1].Value;
        Assert.NotEqual("", through);
        var meanwhile = await SayAsync(blog, ApiCalls.NewPageUrl(), "Written while the page was open.", "Vera");
        using (var marked = await mo.PostAsync("/account/inbox/team/read", ("csrf", csrf), ("through", through)))
        {
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        }
        html = await mo.GetAsync("/account/inbox/team");
        Assert.Equal([(meanwhile, true), (later, false)], Items(html).Take(2));
        Assert.Contains("1 new comment.", html);

        // The manager's own comments are theirs, not news.
        var own = await PostAsMemberAsync(blog, await WidgetTokenAsync(mo, blog), ApiCalls.NewPageUrl(), "A note from the team about opening hours.");
        Assert.DoesNotContain(own, Items(await mo.GetAsync("/account/inbox/team")).Select(i => i.Id));

        // A role taken away closes the site at once.
        await App.InDatabaseAsync(async db =>
        {
            var userId = await db.Users.Where(u => u.Email == moEmail).Select(u => u.Id).SingleAsync();
            var blogId = await db.Sites.Where(s => s.Name == blog).Select(s => s.Id).SingleAsync();
            return await db.SiteMembers.Where(m => m.UserId == userId && m.SiteId == blogId).ExecuteDeleteAsync();
        });
        html = await mo.GetAsync("/account/inbox/team");
        Assert.Equal([answer, question], Items(html).Select(i => i.Id));
        using (var gone = await mo.Client.GetAsync($"/account/inbox/team?site={blog}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [Fact]
    public async Task NobodyButTheTeamReadsIt()
    {
        var site = await App.CreateSiteAsync();
        await SayAsync(site, ApiCalls.NewPageUrl(), "Only the team should see this list.", "Vic");
        var stranger = App.NewBrowser();
        using (var anonymous = await stranger.Client.GetAsync("/account/inbox/team"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        }
        foreach (var path in new[] { "/account/inbox/team/latest", "/account/inbox/team/live" })
        {
            using var refused = await stranger.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("sign_in_required", (await refused.ProblemAsync()).GetProperty("code").GetString());
        }

        // A person with an account who runs no site sees no comment of anyone's, and the page says why.
        var (member, _) = await App.SignedInAsync("Wren Member", Password);
        var html = await member.GetAsync("/account/inbox/team");
        Assert.Contains("You run no site here.", html);
        Assert.DoesNotContain("Only the team", html);
        var latest = JsonDocument.Parse(await member.GetAsync("/account/inbox/team/latest")).RootElement;
        Assert.Empty(latest.GetProperty("items").EnumerateArray());
        Assert.DoesNotContain("/account/inbox/team", await member.GetAsync("/account/inbox"));
        using (var noStream = await member.Client.GetAsync("/account/inbox/team/live", HttpCompletionOption.ResponseHeadersRead))
        {
            // Not even an empty stream: it would hold one of the node's places for nothing.
            Assert.Equal(HttpStatusCode.Forbidden, noStream.StatusCode);
            await noStream.ProblemAsync();
        }

        // Without the form's anti-forgery token nothing is marked.
        var (mo, _) = await ManagerAsync("Mo Forged", site);
        using var forged = await mo.PostAsync("/account/inbox/team/read");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("1 new comment.", await mo.GetAsync("/account/inbox/team"));
        Assert.Contains("href=\"/account/inbox/team\"", await mo.GetAsync("/account/inbox"));
    }

    [Fact]
    public async Task OnlyPublicWordsAreShownAndWaitingForAnAnswerMeansNobodyAnsweredYet()
    {
        var (site, moderatorToken) = await App.SiteWithModeratorAsync();
        var (mo, _) = await ManagerAsync("Mo Waiting", site);
        var page = ApiCalls.NewPageUrl();
        var answered = await SayAsync(site, page, "When does the ferry leave on Sundays?", "Xan");
        var reply = await SayAsync(site, page, "At nine, and again at four.", "Yas", answered);
        var open = await SayAsync(site, page, "Is there parking near the pier?", "Zed");
        var rejected = await SayAsync(site, page, "Cheap watches at my shop, words to take down.", "Spammer");
        using (var taken = await _client.AsModeratorAsync(moderatorToken, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{rejected}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        }

        var html = await mo.GetAsync("/account/inbox/team");
        Assert.Equal([open, reply, answered], Items(html).Select(i => i.Id));
        Assert.DoesNotContain("words to take down", html);
        // The reply has no answer either; the question it answered has one.
        Assert.Equal([open, reply], Items(await mo.GetAsync("/account/inbox/team?waiting=true")).Select(i => i.Id));
    }

    [Fact]
    public async Task OlderPagesFollowOnWithoutRepeatsAcrossSites()
    {
        var one = await App.CreateSiteAsync();
        var two = await App.CreateSiteAsync();
        var (mo, _) = await ManagerAsync("Mo Pages", one, two);
        var said = new List<long>();
        for (var i = 0; i < TeamInbox.PageSize + 5; i++)
        {
            said.Add(await SayAsync(i % 3 == 0 ? one : two, ApiCalls.NewPageUrl(), $"Comment number {i} about the allotment's {i * 7} bean rows.", $"Grower {i}"));
        }
        said.Reverse();
        var first = await mo.GetAsync("/account/inbox/team");
        var next = Regex.Match(first, "href=\"/account/inbox/team\\?before=(\\d+)\">Older").Groups[1].Value;
        var second = await mo.GetAsync($"/account/inbox/team?before={next}");
        Assert.Equal(said, Items(first).Concat(Items(second)).Select(i => i.Id));
        Assert.DoesNotContain(">Older<", second);
        // A cursor from a site they do not run starts from the top instead of reading that site's dates.
        var stranger = await App.CreateSiteAsync();
        var foreign = await SayAsync(stranger, ApiCalls.NewPageUrl(), "A comment somewhere else entirely.", "Outsider");
        Assert.Equal(Items(first).Select(i => i.Id), Items(await mo.GetAsync($"/account/inbox/team?before={foreign}")).Select(i => i.Id));
    }

    [Fact]
    public async Task AReplyFromTheTeamInboxIsPostedAsTheManagerWithTheirBadge()
    {
        var site = await App.CreateSiteAsync();
        var (mo, _) = await ManagerAsync("Mo Replies", site);
        var page = ApiCalls.NewPageUrl();
        var question = await SayAsync(site, page, "Can I return a cracked mug?", "Abe");

        using (var sent = await mo.SubmitAsync("/account/inbox/team", "/account/inbox/team/reply",
                   ("comment", question.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("body", "Yes, within 30 days: write to us.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            var location = sent.Headers.Location!.OriginalString;
            Assert.StartsWith("/account/inbox/team?replied=", location);
            Assert.Contains("Your reply is published.", await mo.GetAsync(location));
        }
        var thread = await _client.ThreadAsync(site, page);
        var replies = thread.GetProperty("comments").EnumerateArray().Where(c => c.TryGetProperty("parentId", out var p) && p.ValueKind == JsonValueKind.Number && p.GetInt64() == question).ToList();
        var reply = Assert.Single(replies);
        Assert.Equal("Mo Replies", reply.GetProperty("author").GetProperty("name").GetString());
        Assert.Contains("moderator", reply.GetProperty("author").GetProperty("badges").EnumerateArray().Select(b => b.GetString()));

        // An empty reply is refused with the page again; nothing is stored.
        var other = await App.CreateSiteAsync();
        var foreign = await SayAsync(other, ApiCalls.NewPageUrl(), "Somebody else's customer asks about delivery.", "Bea");
        var before = await App.InDatabaseAsync(db => db.Comments.CountAsync());
        using (var empty = await mo.SubmitAsync("/account/inbox/team", "/account/inbox/team/reply",
                   ("comment", question.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("body", "   ")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("Your reply was not sent", await empty.Content.ReadAsStringAsync());
        }
        // A comment of a site they do not run cannot be answered from here, whatever id is sent.
        using (var refused = await mo.SubmitAsync("/account/inbox/team", "/account/inbox/team/reply",
                   ("comment", foreign.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("body", "Answering where I have no role.")))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.Contains("not on a site you run", text);
            Assert.Contains("Answering where I have no role.", text);
        }
        Assert.Equal(before, await App.InDatabaseAsync(db => db.Comments.CountAsync()));
    }

    [Fact]
    public async Task TheOpenPageHearsOfNewCommentsOnItsSitesOnly()
    {
        var site = await App.CreateSiteAsync();
        var other = await App.CreateSiteAsync();
        var (mo, _) = await ManagerAsync("Mo Live", site);
        var response = await mo.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/account/inbox/team/live"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var _ = response;
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync(Generous)).Type);

        // Another site's comment wakes nothing; the page's own site's does, carrying no words.
        var next = reader.NextAsync(Generous);
        // The clock stands still meanwhile, so no keep-alive is due.
        await _client.CommentAsync(other, ApiCalls.NewPageUrl(), "Elsewhere, the market opens at dawn.", name: "Cal");
        await Task.Delay(200);
        Assert.False(next.IsCompleted);
        var id = (await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "Is the market open on holidays?", name: "Dee")).Id();
        var moved = await next;
        Assert.Equal("moved", moved.Type);
        Assert.Equal("{}", moved.Data);

        // Whatever moves in the next few seconds (a vote, a second comment) is told once, after a pause.
        var again = reader.NextAsync(Generous);
        await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "And on Sundays, is it open then?", name: "Dee");
        await Task.Delay(200);
        Assert.False(again.IsCompleted);
        App.Clock.Advance(Hearth.Live.InboxStreamResult.TeamPause);
        Assert.Equal("moved", (await again).Type);

        var latest = JsonDocument.Parse(await mo.GetAsync("/account/inbox/team/latest")).RootElement;
        Assert.Equal("2 new comments.", latest.GetProperty("unreadText").GetString());
        Assert.Equal(2, latest.GetProperty("items").GetArrayLength());
        latest = latest.GetProperty("items")[1];
        Assert.Equal(id, latest.GetProperty("id").GetInt64());
        Assert.Contains("Is the market open on holidays?", latest.GetProperty("html").GetString());
        Assert.Contains("action=\"/account/inbox/team/reply\"", latest.GetProperty("html").GetString());
    }

    [Fact]
    public async Task SomeoneRunningMoreSitesThanOnePageReadsOpensTheRestByName()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sites = new List<string>();
        for (var i = 0; i < TeamInbox.MaxSites + 2; i++)
        {
            sites.Add(await App.CreateSiteAsync($"t{tag}-{i:D2}"));
        }
        var (mo, _) = await ManagerAsync("Mo Many", [.. sites]);
        var last = sites[^1];
        var far = await SayAsync(last, ApiCalls.NewPageUrl(), "A question on the last site of the list.", "Faraway Fen");
        var near = await SayAsync(sites[0], ApiCalls.NewPageUrl(), "A question on the first site of the list.", "Nearby Nell");

        var html = await mo.GetAsync("/account/inbox/team");
        Assert.Contains($"You run more than {TeamInbox.MaxSites} sites", html);
        Assert.Equal([near], Items(html).Select(i => i.Id));
        Assert.DoesNotContain($">{last}<", html);
        Assert.Equal([far], Items(await mo.GetAsync($"/account/inbox/team?site={last}")).Select(i => i.Id));
    }
}
