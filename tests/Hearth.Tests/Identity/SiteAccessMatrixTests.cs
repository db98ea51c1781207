using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.People;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Identity;

/// <summary>Every endpoint that acts on a site, tried by everyone who must not and by those who may.</summary>
public class SiteAccessMatrixTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>
    /// The endpoints that run a site (their route, then a path to call with {comment} standing for a comment of the
    /// site), and the least role each needs.
    /// </summary>
    public static readonly (string Method, string Route, string Path, object? Body, SiteRole Least)[] Endpoints =
    [
        ("GET", "/settings", "/settings", null, SiteRole.Moderator),
        ("PATCH", "/settings", "/settings", new { moderation = "pre" }, SiteRole.Owner),
        ("GET", "/team", "/team", null, SiteRole.Moderator),
        ("PUT", "/team/{userId:long}", "/team/{member}", new { role = "owner" }, SiteRole.Owner),
        ("DELETE", "/team/{userId:long}", "/team/{member}", null, SiteRole.Owner),
        ("GET", "/team/invites", "/team/invites", null, SiteRole.Owner),
        ("POST", "/team/invites", "/team/invites", new { email = "newcomer@team.example", role = "moderator" }, SiteRole.Owner),
        ("DELETE", "/team/invites/{id:long}", "/team/invites/{invite}", null, SiteRole.Owner),
        ("GET", "/moderation/queue", "/moderation/queue", null, SiteRole.Moderator),
        ("POST", "/moderation/comments/{id:long}/{action}", "/moderation/comments/{comment}/reject", null, SiteRole.Moderator),
        ("POST", "/moderation/bulk", "/moderation/bulk", new { ids = new[] { 0L }, action = "spam" }, SiteRole.Moderator),
        ("GET", "/moderation/audit", "/moderation/audit", null, SiteRole.Moderator),
        ("GET", "/moderation/bans", "/moderation/bans", null, SiteRole.Moderator),
        ("POST", "/moderation/bans", "/moderation/bans", new { kind = "email", value = "nuisance@mail.example", reason = "Flooding" }, SiteRole.Moderator),
        ("DELETE", "/moderation/bans/{id:long}", "/moderation/bans/{ban}", null, SiteRole.Moderator),
        ("POST", "/moderation/threads/{id:long}/{action}", "/moderation/threads/{thread}/lock", null, SiteRole.Moderator),
        ("PATCH", "/moderation/comments/{id:long}", "/moderation/comments/{comment}", new { body = "Edited by someone who may not" }, SiteRole.Moderator),
        ("DELETE", "/moderation/comments/{id:long}", "/moderation/comments/{comment}", null, SiteRole.Moderator),
        ("GET", "/people", "/people", null, SiteRole.Moderator),
        ("GET", "/people/newcomers", "/people/newcomers", null, SiteRole.Moderator),
        ("POST", "/people/newcomers/{commentId:long}/reply", "/people/newcomers/{comment}/reply", new { body = "Welcome, and thank you for writing." }, SiteRole.Moderator),
        ("GET", "/people/{id:long}", "/people/{person}", null, SiteRole.Moderator),
        ("GET", "/analytics", "/analytics", null, SiteRole.Moderator),
        ("GET", "/analytics/{table}.csv", "/analytics/days.csv", null, SiteRole.Moderator),
    ];

    /// <summary>
    /// The endpoints anyone may read (tagged "Community"): the same answer whoever asks, with nothing of the team's (no
    /// people to welcome) and nothing private of anyone.
    /// </summary>
    public static readonly string[] PublicEndpoints = ["/api/v1/sites/{site}/community", "/api/v1/explore"];

    /// <summary>
    /// A person the site signs in, given a role, and an API token of theirs for the site, as the account page makes it
    /// (see AccountTests for the page itself). With widgetToken the comment sign-in's token is returned instead.
    /// </summary>
    async Task<string> TokenAsync(string site, string secret, string sub, SiteRole? role = null, bool admin = false, bool widgetToken = false)
    {
        var api = await app.ApiTokenAsync(site, secret, sub, "Person " + sub, role, admin);
        // The comment sign-in's own token, for the one case that must show it never runs a site.
        return widgetToken ? await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: sub, name: "Person " + sub))) : api;
    }

    async Task<HttpResponseMessage> CallAsync(string site, (string Method, string Route, string Path, object? Body, SiteRole Least) endpoint, string? token)
    {
        // A comment on a page of this very site (each site here has the origin https://a.example), so that an allowed
        // call has something to act on and a refused one something to protect.
        var comment = await _client.CommentAsync(site, $"https://a.example/posts/{Guid.NewGuid():N}", "Something to moderate");
        var ban = await app.InDatabaseAsync(async db =>
        {
            var entity = new Hearth.Moderation.Ban
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(),
                Kind = Hearth.Moderation.Ban.Email, Value = $"b-{Guid.NewGuid():N}@mail.example", Reason = "Test", CreatedBy = "Test",
            };
            db.Bans.Add(entity);
            await db.SaveChangesAsync();
            return entity.Id;
        });
        // The site may be pre-moderated by now (an owner's call above changes its settings): a reply needs its comment public.
        if (endpoint.Path.EndsWith("/reply", StringComparison.Ordinal))
        {
            await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == comment.Id())
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, Hearth.Conversations.CommentStatus.Published)));
        }
        // The comment's author, as the post path counts them (see PostPathLedger), for the endpoint that reads one person.
        var person = 0L;
        if (endpoint.Path.Contains("{person}", StringComparison.Ordinal))
        {
            person = await app.InDatabaseAsync(db => db.People.Where(p => db.Comments.Any(c => c.Id == comment.Id() && c.Author.Key == p.Key && c.SiteId == p.SiteId))
                .Select(p => p.Id).SingleAsync());
        }
        // Someone on the site's team, and an invitation waiting, for the endpoints that change the team.
        var (member, invite) = (0L, 0L);
        if (endpoint.Path.Contains("/team/", StringComparison.Ordinal))
        {
            (member, invite) = await app.InDatabaseAsync(async db =>
            {
                var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
                var user = new HearthUser { UserName = "t" + Guid.NewGuid().ToString("N"), DisplayName = "Teammate " + Guid.NewGuid().ToString("N")[..6], SecurityStamp = "x" };
                db.Users.Add(user);
                await db.SaveChangesAsync();
                db.SiteMembers.Add(new SiteMember { SiteId = siteId, UserId = user.Id, Role = SiteRole.Moderator });
                var waiting = new Hearth.Sites.TeamInvite
                {
                    SiteId = siteId, Email = $"i-{Guid.NewGuid():N}@team.example", Role = SiteRole.Moderator, TokenHash = Guid.NewGuid().ToString("N"),
                    CreatedAt = app.Clock.GetUtcNow().UtcDateTime, ExpiresAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(7),
                };
                db.TeamInvites.Add(waiting);
                await db.SaveChangesAsync();
                return (user.Id, waiting.Id);
            });
        }
        var path = endpoint.Path.Replace("{member}", member.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{invite}", invite.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{person}", person.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{comment}", comment.Id().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ban}", ban.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{thread}", (await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == comment.Id()).Select(c => c.ThreadId).SingleAsync()))
                .ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), $"/api/v1/sites/{site}{path}");
        if (endpoint.Body is not null)
        {
            request.Content = JsonContent.Create(endpoint.Body);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return await _client.SendAsync(request);
    }

    [Fact]
    public void TheMatrixCoversEveryEndpointTaggedSiteAdministration()
    {
        _ = app.Server;
        var tagged = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Site administration") == true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order().ToList();
        Assert.NotEmpty(tagged);
        Assert.Equal(tagged, Endpoints.Select(e => $"{e.Method} /api/v1/sites/{{site}}{e.Route}").Order().ToList());
    }

    [Fact]
    public void TheMatrixCoversEveryPublicCommunityEndpoint()
    {
        _ = app.Server;
        var tagged = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Community") == true)
            .Select(e => e.RoutePattern.RawText!.TrimEnd('/')).Order().ToList();
        Assert.Equal(tagged, PublicEndpoints.Order().ToList());
    }

    [Fact]
    public async Task TheCommunityAndExploreAnswerEveryoneAlikeWithNothingOfTheTeamOrOfAnotherSite()
    {
        var site = await app.CreateSiteAsync(origins: ["https://a.example"]);
        var other = await app.CreateSiteAsync(origins: ["https://b.example"]);
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site || s.Name == other)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CommunityPage, true).SetProperty(x => x.ListOnExplore, true)));
        var secret = await app.EnableSsoAsync(site);
        var otherSecret = await app.EnableSsoAsync(other);
        var tag = Guid.NewGuid().ToString("N")[..8];
        using (var posted = await _client.PostCommentAsync(site, new { url = "https://a.example/first", title = "First words", body = "Hello from a newcomer here",
            author = new { name = "Newt Comer", email = "newt@private.example" } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        using (var posted = await _client.PostCommentAsync(other, new { url = "https://b.example/elsewhere", title = "Elsewhere", body = "A comment on the other site",
            author = new { name = "Bea Other", email = "bea@private.example" } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        var moderator = await TokenAsync(site, secret, "mod-" + tag, SiteRole.Moderator);
        var otherModerator = await TokenAsync(other, otherSecret, "othermod-" + tag, SiteRole.Moderator);
        var member = await TokenAsync(site, secret, "member-" + tag);

        foreach (var endpoint in PublicEndpoints)
        {
            var path = endpoint.Replace("{site}", site, StringComparison.Ordinal);
            string? first = null;
            foreach (var (who, token) in new[] { ("a guest", (string?)null), ("a member", member), ("the site's moderator", moderator), ("another site's moderator", otherModerator) })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (token is not null)
                {
                    request.Headers.Authorization = new("Bearer", token);
                }
                using var response = await _client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} as {who}: {(int)response.StatusCode} {body}");
                Assert.DoesNotContain("private.example", body);
                Assert.DoesNotContain("newcomers", body);
                Assert.DoesNotContain("Hello from a newcomer", body);
                if (endpoint.Contains("{site}", StringComparison.Ordinal))
                {
                    Assert.Contains("Newt Comer", body);
                    Assert.DoesNotContain("Bea Other", body);
                    Assert.DoesNotContain("Elsewhere", body);
                }
                first ??= body;
                Assert.Equal(first, body);
            }
        }
        // The people to welcome stay the team's: another site's moderator is refused them, as everyone else without a role.
        using var refused = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/people/newcomers")
        {
            Headers = { Authorization = new("Bearer", otherModerator) },
        });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var allowed = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/people/newcomers")
        {
            Headers = { Authorization = new("Bearer", moderator) },
        });
        Assert.Contains("Hello from a newcomer", await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GuestsMembersWithoutARoleAndModeratorsOfOtherSitesAreRefusedEverywhere()
    {
        var site = await app.CreateSiteAsync(origins: ["https://a.example"]);
        var other = await app.CreateSiteAsync(origins: ["https://b.example"]);
        var secret = await app.EnableSsoAsync(site);
        var otherSecret = await app.EnableSsoAsync(other);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var member = await TokenAsync(site, secret, "member-" + tag);
        var otherModerator = await TokenAsync(other, otherSecret, "othermod-" + tag, SiteRole.Moderator);
        // The other site's moderator, signed in on this site too, still has no role here.
        var otherModeratorHere = await TokenAsync(site, secret, "othermod2-" + tag);
        // The site's own owner, but with the token the comments signed them in with, which never runs a site.
        var ownerFromComments = await TokenAsync(site, secret, "ownerwidget-" + tag, SiteRole.Owner, widgetToken: true);
        await app.InDatabaseAsync(async db =>
        {
            var userId = await db.UserLogins.Where(l => l.ProviderKey == "othermod2-" + tag).Select(l => l.UserId).SingleAsync();
            var otherId = await db.Sites.Where(s => s.Name == other).Select(s => s.Id).SingleAsync();
            db.SiteMembers.Add(new SiteMember { SiteId = otherId, UserId = userId, Role = SiteRole.Owner });
            return await db.SaveChangesAsync();
        });

        foreach (var endpoint in Endpoints)
        {
            foreach (var (who, token, status) in new[]
            {
                ("a guest", (string?)null, HttpStatusCode.Unauthorized),
                ("a made-up token", "hat_nobody", HttpStatusCode.Unauthorized),
                ("a member without a role", member, HttpStatusCode.Forbidden),
                ("another site's moderator with that site's token", otherModerator, HttpStatusCode.Unauthorized),
                ("another site's owner signed in here", otherModeratorHere, HttpStatusCode.Forbidden),
                ("the owner with a comment sign-in token", ownerFromComments, HttpStatusCode.Forbidden),
            })
            {
                using var response = await CallAsync(site, endpoint, token);
                Assert.True(response.StatusCode == status, $"{endpoint.Method} {endpoint.Path} as {who}: {(int)response.StatusCode}, expected {(int)status}");
                var body = await response.Content.ReadAsStringAsync();
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("a.example", body);
                Assert.DoesNotContain("Person", body);
            }
        }
        var settings = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site));
        Assert.Equal(Sites.ModerationMode.Post, settings.Moderation);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c =>
            c.Status != Hearth.Conversations.CommentStatus.Published && db.Sites.Any(s => s.Id == c.SiteId && s.Name == site))));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Threads.CountAsync(t => t.Locked && db.Sites.Any(s => s.Id == t.SiteId && s.Name == site))));
    }

    /// <summary>
    /// The endpoints that are a signed-in person's own on a site (tagged "Inbox": their inbox, whom and what they follow
    /// or muted there, their e-mail choices, linking their sign-in): {person} stands for the key of someone else who
    /// commented on the site, {page} for that person's page. Own is what the person themselves is answered: linking,
    /// with an account token that is not one, is refused for them too, and only for them with that reason.
    /// </summary>
    public static readonly (string Method, string Route, string Path, object? Body, HttpStatusCode Own)[] PersonalEndpoints =
    [
        ("GET", "/people/{key}/follow", "/people/{person}/follow", null, HttpStatusCode.OK),
        ("PUT", "/people/{key}/follow", "/people/{person}/follow", new { state = "following" }, HttpStatusCode.OK),
        ("DELETE", "/people/{key}/follow", "/people/{person}/follow", null, HttpStatusCode.OK),
        ("GET", "/person-follows", "/person-follows", null, HttpStatusCode.OK),
        ("GET", "/inbox", "/inbox", null, HttpStatusCode.OK),
        ("GET", "/inbox/unread", "/inbox/unread", null, HttpStatusCode.OK),
        ("GET", "/inbox/conversations", "/inbox/conversations", null, HttpStatusCode.OK),
        ("GET", "/inbox/live", "/inbox/live", null, HttpStatusCode.OK),
        ("POST", "/inbox/read", "/inbox/read", new { all = true }, HttpStatusCode.OK),
        ("GET", "/inbox/preferences", "/inbox/preferences", null, HttpStatusCode.OK),
        ("PUT", "/inbox/preferences", "/inbox/preferences", new { held = "daily" }, HttpStatusCode.OK),
        ("GET", "/follow", "/follow?url={page}", null, HttpStatusCode.OK),
        ("PUT", "/follow", "/follow", new { url = "{page}", state = "muted" }, HttpStatusCode.OK),
        ("POST", "/sessions/link", "/sessions/link", new { accountToken = "hat_not-an-account" }, HttpStatusCode.Forbidden),
    ];

    [Fact]
    public void EveryEndpointOfAPersonsOwnIsInTheMatrix()
    {
        var tagged = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Inbox") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText?.TrimEnd('/')}"))
            .Order().ToList();
        Assert.Equal(tagged, PersonalEndpoints.Select(e => $"{e.Method} /api/v1/sites/{{site}}{e.Route}").Order().ToList());
    }

    [Fact]
    public async Task APersonsInboxFollowsAndChoicesAreTheirOwnNoSiteTokenNorAnotherSitesSignInReachesThem()
    {
        var site = await app.CreateSiteAsync(origins: ["https://a.example"]);
        var other = await app.CreateSiteAsync(origins: ["https://b.example"]);
        var secret = await app.EnableSsoAsync(site);
        var otherSecret = await app.EnableSsoAsync(other);
        var tag = Guid.NewGuid().ToString("N")[..8];
        // Someone to follow: a person the site signs in, who commented.
        var writer = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "writer-" + tag, name: "Writer " + tag)));
        using var written = await _client.PostAsMemberAsync(site, writer, new { url = $"https://a.example/posts/{tag}", body = "Something worth following." });
        var key = (await written.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("author").GetProperty("key").GetString()!;
        var reader = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "reader-" + tag, name: "Reader " + tag)));
        var readerElsewhere = await _client.AccessTokenAsync(other, SsoTokens.Sign(otherSecret, SsoTokens.Claims(app, other, sub: "reader-" + tag, name: "Reader " + tag)));
        var otherModerator = await TokenAsync(other, otherSecret, "othermod-" + tag, SiteRole.Moderator);
        var moderatorHere = await TokenAsync(site, secret, "mod-" + tag, SiteRole.Moderator);
        var ownerHere = await TokenAsync(site, secret, "owner-" + tag, SiteRole.Owner);

        var caller = 0;
        var pageOfTheWriter = $"https://a.example/posts/{tag}";
        foreach (var (method, _, template, body, own) in PersonalEndpoints)
        {
            var path = template.Replace("{person}", key, StringComparison.Ordinal).Replace("{page}", Uri.EscapeDataString(pageOfTheWriter), StringComparison.Ordinal);
            foreach (var (who, token, status) in new[]
            {
                ("a guest", (string?)null, HttpStatusCode.Unauthorized),
                ("a made-up token", "hat_nobody", HttpStatusCode.Unauthorized),
                ("the same person signed in on another site", readerElsewhere, HttpStatusCode.Unauthorized),
                ("another site's moderator with that site's token", otherModerator, HttpStatusCode.Unauthorized),
                ("this site's moderator with an API token", moderatorHere, HttpStatusCode.Forbidden),
                ("this site's owner with an API token", ownerHere, HttpStatusCode.Forbidden),
                ("the person themselves", reader, own),
            })
            {
                var json = body is null ? null : JsonSerializer.Serialize(body).Replace("{page}", pageOfTheWriter, StringComparison.Ordinal);
                var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/sites/{site}{path}")
                {
                    Content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
                };
                if (token is not null)
                {
                    request.Headers.Authorization = new("Bearer", token);
                }
                // Each from an address of its own: the writes' rate limit per client is not what this test is about.
                request.Headers.Add("X-Forwarded-For", $"203.0.113.{++caller}");
                // Headers only: the live inbox, once open, does not end by itself.
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.True(response.StatusCode == status, $"{method} {path} as {who}: {(int)response.StatusCode}, expected {(int)status}");
                if (status != HttpStatusCode.OK)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = await response.Content.ReadAsStringAsync();
                    Assert.DoesNotContain("Writer", problem);
                    // The person's own refusal (an account token that is not one) is theirs alone; nobody else gets that far.
                    Assert.Equal(status == own && token == reader, problem.Contains("account_token_invalid", StringComparison.Ordinal));
                }
            }
        }
        // The person's own PUT stored a follow and their own DELETE took it back; nobody else's call stored anything.
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Set<Hearth.Notifications.PersonFollow>()
            .CountAsync(f => db.Sites.Any(s => s.Id == f.SiteId && s.Name == site))));
    }

    [Fact]
    public async Task ModeratorsReadOwnersAndAdminsAlsoChange()
    {
        var site = await app.CreateSiteAsync(origins: ["https://a.example"]);
        var secret = await app.EnableSsoAsync(site);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var moderator = await TokenAsync(site, secret, "mod-" + tag, SiteRole.Moderator);
        var owner = await TokenAsync(site, secret, "owner-" + tag, SiteRole.Owner);
        var admin = await TokenAsync(site, secret, "admin-" + tag, admin: true);

        foreach (var endpoint in Endpoints)
        {
            foreach (var (who, token) in new[] { ("moderator", moderator), ("owner", owner), ("admin", admin) })
            {
                using var response = await CallAsync(site, endpoint, token);
                var allowed = who != "moderator" || endpoint.Least == SiteRole.Moderator;
                var ok = allowed ? response.IsSuccessStatusCode : response.StatusCode == HttpStatusCode.Forbidden;
                Assert.True(ok, $"{endpoint.Method} {endpoint.Path} as {who}: {(int)response.StatusCode}");
            }
        }

        using var team = await CallAsync(site, Endpoints.Single(e => e.Route == "/team"), moderator);
        var roles = (await team.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("role").GetString());
        Assert.Equal("moderator", roles["Person mod-" + tag]);
        Assert.Equal("owner", roles["Person owner-" + tag]);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/settings")
        {
            Content = JsonContent.Create(new { origins = new[] { "HTTPS://A.example:443", "https://b.example" }, listOnProfiles = false, communityPage = true }),
        };
        patch.Headers.Authorization = new("Bearer", owner);
        using var changed = await _client.SendAsync(patch);
        var settings = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["https://a.example", "https://b.example"], settings.GetProperty("origins").EnumerateArray().Select(o => o.GetString()!).ToArray());
        Assert.False(settings.GetProperty("listOnProfiles").GetBoolean());
        Assert.True(settings.GetProperty("communityPage").GetBoolean());
        Assert.False(settings.GetProperty("listOnExplore").GetBoolean());
        Assert.True(settings.GetProperty("singleSignOn").GetBoolean());

        var bad = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/settings") { Content = JsonContent.Create(new { origins = new[] { "ftp://x" }, moderation = "sometimes" }) };
        bad.Headers.Authorization = new("Bearer", owner);
        using var refused = await _client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["https://a.example", "https://b.example"], (await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == site))).Origins);
    }
}
