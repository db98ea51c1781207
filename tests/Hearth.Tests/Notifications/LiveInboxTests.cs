using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Live;
using Hearth.Notifications;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Live;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.Notifications;

/// <summary>An open inbox hears of what arrives for its person, at once, and of nothing that is someone else's.</summary>
public class LiveInboxTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>The account page's stream (through the browser's cookie), or a site's (through the widget's token); "ready" read.</summary>
    async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(HttpClient client, string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await reader.NextAsync(Generous)).Type);
        return (response, reader);
    }

    /// <summary>The id an event carries, which is all it carries: nothing of the notification's words or people.</summary>
    static long NotificationOf(SseEvent e)
    {
        Assert.Equal("notification", e.Type);
        var data = JsonDocument.Parse(e.Data).RootElement;
        Assert.Equal(["id"], data.EnumerateObject().Select(p => p.Name));
        return data.GetProperty("id").GetInt64();
    }

    Task<long> NotificationIdAsync(long commentId, string kind = Notification.Reply) =>
        App.InDatabaseAsync(db => db.Notifications.Where(n => n.CommentId == commentId && n.Kind == kind).Select(n => n.Id).SingleAsync());

    [Fact]
    public async Task AReplyReachesTheOpenInboxOfThePersonAnsweredAndNobodyElses()
    {
        var shop = await App.CreateSiteAsync();
        var blog = await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Live", shop, blog);
        var (eve, eveTokens) = await MemberAsync("Eve Live", shop);
        var shopPage = ApiCalls.NewPageUrl();
        var adaAsks = await PostAsMemberAsync(shop, adaTokens[shop], shopPage, "Is the green teapot dishwasher safe?");
        var eveAsks = await PostAsMemberAsync(shop, eveTokens[shop], shopPage, "And does it come in blue?");

        var (adaPageResponse, adaPage) = await OpenAsync(ada.Client, "/account/inbox/live");
        var (adaShopResponse, adaShop) = await OpenAsync(_client, $"/api/v1/sites/{shop}/inbox/live", adaTokens[shop]);
        var (eveResponse, evePage) = await OpenAsync(eve.Client, "/account/inbox/live");
        using (adaPageResponse)
        using (adaShopResponse)
        using (eveResponse)
        using (adaPage)
        using (adaShop)
        using (evePage)
        {
            var toAda = (await _client.CommentAsync(shop, shopPage, "Yes, on the top rack.", adaAsks, "Rosa Reply")).Id();
            var forAda = await NotificationIdAsync(toAda);
            Assert.Equal(forAda, NotificationOf(await adaPage.NextChangeAsync(Generous)));
            Assert.Equal(forAda, NotificationOf(await adaShop.NextChangeAsync(Generous)));

            // Eve's streams heard nothing of Ada's: the next thing they hear is Eve's own.
            var toEve = (await _client.CommentAsync(shop, shopPage, "Blue is sold out until May.", eveAsks, "Rosa Reply")).Id();
            Assert.Equal(await NotificationIdAsync(toEve), NotificationOf(await evePage.NextChangeAsync(Generous)));

            // A site's stream is that site's part of the inbox: a reply on the blog reaches the account page, not the shop's widget.
            var blogPage = ApiCalls.NewPageUrl();
            var onBlog = await PostAsMemberAsync(blog, adaTokens[blog], blogPage, "Which flour did you use?");
            var toAdaOnBlog = (await _client.CommentAsync(blog, blogPage, "Spelt, finely ground.", onBlog, "Cy Baker")).Id();
            Assert.Equal(await NotificationIdAsync(toAdaOnBlog), NotificationOf(await adaPage.NextChangeAsync(Generous)));
            var again = (await _client.CommentAsync(shop, shopPage, "It also survives the microwave.", adaAsks, "Rosa Reply")).Id();
            Assert.Equal(await NotificationIdAsync(again), NotificationOf(await adaShop.NextChangeAsync(Generous)));
            Assert.Equal(await NotificationIdAsync(again), NotificationOf(await adaPage.NextChangeAsync(Generous)));
        }
    }

    [Fact]
    public async Task AMentionAndAFollowedConversationsNewCommentArriveToo()
    {
        // The background hand-out of followed conversations has a place to start from.
        await HandedOutAsync();
        var site = await App.CreateSiteAsync();
        var (ada, adaTokens) = await MemberAsync("Ada Follows", site);
        var page = ApiCalls.NewPageUrl();
        await PostAsMemberAsync(site, adaTokens[site], page, "Who is bringing the ladder on Saturday?");
        var (response, stream) = await OpenAsync(ada.Client, "/account/inbox/live");
        using (response)
        using (stream)
        {
            var mention = (await _client.CommentAsync(site, page, "@AdaFollows I can bring mine.", name: "Mo Ladder")).Id();
            Assert.Equal(await NotificationIdAsync(mention, Notification.Mention), NotificationOf(await stream.NextChangeAsync(Generous)));

            // Written by the background hand-out, which moves no thread: the node's periodic look finds it. The test's
            // clock drives both.
            var beside = (await _client.CommentAsync(site, page, "I will bring the paint.", name: "Pia Paint")).Id();
            var next = stream.NextChangeAsync(Generous);
            while (!next.IsCompleted)
            {
                App.Clock.Advance(TimeSpan.FromSeconds(2));
                await Task.WhenAny(next, Task.Delay(25));
            }
            Assert.Equal(await NotificationIdAsync(beside, Notification.Followed), NotificationOf(await next));
        }
    }

    async Task HandedOutAsync()
    {
        var last = await App.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        await Node.UntilAsync(async () => await App.InDatabaseAsync(async db =>
                (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == FollowedThreadsNotifier.Cursor))?.Value is { } value
                && long.Parse(value) >= last),
            "the followed conversations' new comments handed out", () => App.Clock.Advance(Leases.Renewal));
    }

    [Fact]
    public async Task APersonHoldsAFewLiveInboxesAtOnceAndNoMore()
    {
        var site = await App.CreateSiteAsync();
        var other = await App.CreateSiteAsync();
        var (ada, tokens) = await MemberAsync("Ada Many Tabs", site, other);
        var open = new List<(HttpResponseMessage Response, SseReader Reader)>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                open.Add(await OpenAsync(ada.Client, "/account/inbox/live"));
            }
            using (var sixth = await ada.Client.GetAsync("/account/inbox/live", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
                Assert.Equal("too_many_streams", (await sixth.ProblemAsync()).GetProperty("code").GetString());
            }

            // Each part of the inbox counts alone: a site's scripts, which can use the person's token for that site,
            // holding all of its streams leave the person's other sites (and the page, above) their own.
            for (var i = 0; i < 5; i++)
            {
                open.Add(await OpenAsync(_client, $"/api/v1/sites/{site}/inbox/live", tokens[site]));
            }
            using (var sixth = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/inbox/live"))
            {
                sixth.Headers.Authorization = new("Bearer", tokens[site]);
                using var refused = await _client.SendAsync(sixth, HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            }
            open.Add(await OpenAsync(_client, $"/api/v1/sites/{other}/inbox/live", tokens[other]));

            // Closing one makes room for one.
            open[0].Reader.Dispose();
            open[0].Response.Dispose();
            open.RemoveAt(0);
            HttpResponseMessage? reopened = null;
            await Node.UntilAsync(async () =>
            {
                var tried = await ada.Client.GetAsync("/account/inbox/live", HttpCompletionOption.ResponseHeadersRead);
                if (tried.StatusCode == HttpStatusCode.OK)
                {
                    reopened = tried;
                    return true;
                }
                tried.Dispose();
                return false;
            }, "a closed stream making room");
            reopened!.Dispose();
        }
        finally
        {
            foreach (var (response, reader) in open)
            {
                reader.Dispose();
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task AQuietLiveInboxIsKeptAliveAndEndsAfterTheLongestAStreamLives()
    {
        var site = await App.CreateSiteAsync();
        var (ada, _) = await MemberAsync("Ada Quiet", site);
        var options = App.Services.GetRequiredService<IOptions<LiveOptions>>().Value;
        var (response, stream) = await OpenAsync(ada.Client, "/account/inbox/live");
        using (response)
        using (stream)
        {
            var ping = stream.NextAsync(Generous);
            while (!ping.IsCompleted)
            {
                App.Clock.Advance(options.CheckEvery);
                await Task.WhenAny(ping, Task.Delay(25));
            }
            Assert.Equal("ping", (await ping).Type);

            App.Clock.Advance(options.MaxStreamDuration);
            var ended = Task.Run(async () =>
            {
                while (true)
                {
                    await stream.NextAsync(Generous);
                }
            });
            while (!ended.IsCompleted)
            {
                App.Clock.Advance(options.CheckEvery);
                await Task.WhenAny(ended, Task.Delay(25));
            }
            await Assert.ThrowsAsync<EndOfStreamException>(() => ended);
        }
    }

    [Fact]
    public async Task LiveInboxesAndTheLatestItemsAreOnlyForTheSignedInPerson()
    {
        var site = await App.CreateSiteAsync();
        var stranger = App.NewBrowser();
        foreach (var path in new[] { "/account/inbox/live", "/account/inbox/latest" })
        {
            using var refused = await stranger.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("sign_in_required", (await refused.ProblemAsync()).GetProperty("code").GetString());
        }
        using (var anonymous = await _client.GetAsync($"/api/v1/sites/{site}/inbox/live", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            await anonymous.ProblemAsync();
        }

        // The latest items are drawn as the page draws them, the reply form included, with the count.
        var (ada, adaTokens) = await MemberAsync("Ada Latest", site);
        var page = ApiCalls.NewPageUrl();
        var question = await PostAsMemberAsync(site, adaTokens[site], page, "Where does the bus stop now?");
        var reply = (await _client.CommentAsync(site, page, "By the **library** <script>alert(1)</script>.", question, "Noor <i>Nearby</i>")).Id();
        var latest = JsonDocument.Parse(await ada.GetAsync("/account/inbox/latest")).RootElement;
        Assert.Equal(1, latest.GetProperty("unread").GetInt32());
        Assert.Equal("1 unread reply.", latest.GetProperty("unreadText").GetString());
        var item = Assert.Single(latest.GetProperty("items").EnumerateArray());
        Assert.Equal(await NotificationIdAsync(reply), item.GetProperty("id").GetInt64());
        var html = item.GetProperty("html").GetString()!;
        Assert.Contains("Noor &lt;i&gt;Nearby&lt;/i&gt;", html);
        Assert.Contains("<strong>library</strong>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("action=\"/account/inbox/reply\"", html);
        Assert.Contains("name=\"csrf\"", html);
    }
}
