using System.Net;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Identity;

/// <summary>
/// Every page of the console that is about one site (its route names {site}), opened and sent to by everyone who must
/// not and by those who may: found from the server's own routes, so a page added later is in the matrix by itself.
/// </summary>
public partial class ConsoleAccessMatrixTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    /// <summary>The pages only owners (and admins) open; every other console page of a site is for its whole team.</summary>
    static readonly string[] OwnersOnly =
    [
        "/account/moderate/{site}/settings", "/account/moderate/{site}/export/{file}", "/account/moderate/{site}/imports/{id:long}",
    ];

    List<(string Method, string Route)> ConsoleRoutes()
    {
        _ = app.Server;
        return [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [], Route: e.RoutePattern.RawText!.TrimEnd('/')))
            .Where(e => (e.Route.StartsWith("/account/moderate/{site}", StringComparison.Ordinal) || e.Route.StartsWith("/account/sites/{site}", StringComparison.Ordinal))
                && !e.Route.EndsWith("/live", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => (m, e.Route)))
            .Distinct().OrderBy(e => e.Route, StringComparer.Ordinal)];
    }

    async Task<(Browser Browser, long UserId)> PersonAsync(string? site = null, SiteRole? role = null, bool admin = false)
    {
        var (browser, email) = await app.SignedInAsync($"Matt {Guid.NewGuid().ToString("N")[..6]}", Password);
        var userId = await app.InDatabaseAsync(async db =>
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, admin));
            if (site is not null && role is not null)
            {
                db.SiteMembers.Add(new SiteMember { SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), UserId = id, Role = role });
                await db.SaveChangesAsync();
            }
            return id;
        });
        return (browser, userId);
    }

    static string Fill(string route, string site, long userId, long importId) => Regex.Replace(route, "{([A-Za-z]+)(:[a-z]+)?}", m => m.Groups[1].Value switch
    {
        "site" => site,
        "table" => "days",
        "file" => "hearth.json",
        "id" => importId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "userId" => userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var other => throw new InvalidOperationException($"Teach this test a value for {{{other}}} in {route}"),
    });

    [Fact]
    public async Task NobodyOutsideTheSiteReachesAnyOfItsConsolePagesAndTheTeamReachesWhatItsRoleAllows()
    {
        var site = await app.CreateSiteAsync();
        var (outsider, outsiderId) = await PersonAsync();
        var (otherOwner, otherOwnerId) = await PersonAsync(await app.CreateSiteAsync(), SiteRole.Owner);
        var (moderator, moderatorId) = await PersonAsync(site, SiteRole.Moderator);
        var (owner, _) = await PersonAsync(site, SiteRole.Owner);
        var (admin, _) = await PersonAsync(admin: true);
        var importId = await app.InDatabaseAsync(async db =>
        {
            var job = new Hearth.Portability.ImportJob
            {
                SiteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync(), Format = "disqus", FileName = "old.xml",
                Status = Hearth.Portability.ImportJob.Succeeded, StartedAt = app.Clock.GetUtcNow().UtcDateTime, UpdatedAt = app.Clock.GetUtcNow().UtcDateTime,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            return job.Id;
        });
        await app.CreateClient().CommentAsync(site, ApiCalls.NewPageUrl(), "Something for the team to see", name: "Gil");
        var routes = ConsoleRoutes();
        Assert.Contains(("GET", "/account/moderate/{site}/team"), routes);
        Assert.Contains(("POST", "/account/moderate/{site}/imports"), routes);

        foreach (var (method, route) in routes)
        {
            // The moderator is the one taken off the team or given a role, where a route names a person.
            var path = Fill(route, site, moderatorId, importId);
            foreach (var (who, browser) in new[] { ("someone signed in with no role", outsider), ("another site's owner", otherOwner) })
            {
                using var response = method == "GET"
                    ? await browser.Client.GetAsync(path)
                    : await SendWithTokenAsync(browser, path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} as {who}: {(int)response.StatusCode}");
                Assert.DoesNotContain("Something for the team", await response.Content.ReadAsStringAsync());
            }
            using (var signedOut = method == "GET" ? await app.NewBrowser().Client.GetAsync(path) : await app.NewBrowser().PostAsync(path))
            {
                Assert.True(signedOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest,
                    $"{method} {path} signed out: {(int)signedOut.StatusCode}");
            }
            if (method != "GET")
            {
                continue;
            }
            var ownersOnly = OwnersOnly.Contains(route);
            foreach (var (who, browser, allowed) in new[] { ("the moderator", moderator, !ownersOnly), ("an owner", owner, true), ("an admin", admin, true) })
            {
                using var response = await browser.Client.GetAsync(path);
                var expected = allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                Assert.True(response.StatusCode == expected, $"GET {path} as {who}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        }
        Assert.Equal(SiteRole.Moderator, await app.InDatabaseAsync(db => db.SiteMembers.Where(m => m.UserId == moderatorId).Select(m => m.Role).SingleAsync()));
        // Nobody outside did anything the log would show; the exports the owner and the admin opened are there.
        Assert.Equal(0, await app.InDatabaseAsync(db => db.AuditLog.CountAsync(a => a.ActorUserId == outsiderId || a.ActorUserId == otherOwnerId)));
        Assert.Equal(2, await app.InDatabaseAsync(db => db.AuditLog.CountAsync(a => a.Action == "export" && db.Sites.Any(s => s.Id == a.SiteId && s.Name == site))));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.TeamInvites.CountAsync(i => i.Email == "someone@mail.example")));
    }

    /// <summary>A POST as the console's forms and script send it: the page's anti-forgery token in the form and the header.</summary>
    static async Task<HttpResponseMessage> SendWithTokenAsync(Browser browser, string path)
    {
        var token = await browser.AntiforgeryTokenAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("csrf", token), KeyValuePair.Create("role", "owner"),
                KeyValuePair.Create("email", "someone@mail.example"), KeyValuePair.Create("token", "x")]),
        };
        request.Headers.Add("X-CSRF", token);
        return await browser.Client.SendAsync(request);
    }
}
