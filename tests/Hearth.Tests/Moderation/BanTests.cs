using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

public class BanTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    Task<(string Site, string Token, string Secret)> SiteWithModeratorAsync() => app.SiteWithTeamMemberAsync("Moderator Mel", SiteRole.Moderator);

    Task<HttpResponseMessage> BanAsync(string site, string token, object body) =>
        _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans", body);

    Task<HttpResponseMessage> GuestPostAsync(string site, string url, string body, string email, string from = "203.0.113.10") =>
        _client.PostCommentAsync(site, new { url, body, author = new { name = "Someone", email } }, from: from);

    [Fact]
    public async Task AnEmailBanForAWeekRefusesThatPersonWithTheReasonAndEndsByItself()
    {
        var (site, token, _) = await SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        using var first = await GuestPostAsync(site, url, "Buy my stuff", "nuisance@mail.example");
        var commentId = (await first.Content.ReadFromJsonAsync<JsonElement>()).Id();

        using var banned = await BanAsync(site, token, new { kind = "email", commentId, reason = "Advertising", days = 7 });
        Assert.Equal(HttpStatusCode.Created, banned.StatusCode);

        using var refused = await GuestPostAsync(site, url, "Buy it again", "NUISANCE@mail.example");
        var problem = await refused.ProblemAsync();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("banned", problem.GetProperty("code").GetString());
        Assert.Contains("Advertising", problem.GetProperty("detail").GetString());
        using var other = await GuestPostAsync(site, url, "A real comment", "reader@mail.example");
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        app.Clock.Advance(TimeSpan.FromDays(8));
        using var later = await GuestPostAsync(site, url, "Back after a week, behaving", "nuisance@mail.example");
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task AnAddressBanByCommentBlocksThatAddressWhateverNameIsUsedAndUnbanningLiftsIt()
    {
        var (site, token, _) = await SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        using var first = await GuestPostAsync(site, url, "Flood one", "a@mail.example", from: "198.51.100.77");
        var commentId = (await first.Content.ReadFromJsonAsync<JsonElement>()).Id();
        using var banned = await BanAsync(site, token, new { kind = "ip", commentId, reason = "Flooding" });
        var banId = (await banned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.DoesNotContain("198.51.100.77", await banned.Content.ReadAsStringAsync());

        using var sameAddress = await GuestPostAsync(site, url, "Flood two", "b@mail.example", from: "198.51.100.77");
        using var otherAddress = await GuestPostAsync(site, url, "Hello", "c@mail.example", from: "198.51.100.78");
        Assert.Equal(HttpStatusCode.Forbidden, sameAddress.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherAddress.StatusCode);

        using var lifted = await _client.AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/bans/{banId}");
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        using var afterwards = await GuestPostAsync(site, url, "Flood three, sorry", "b@mail.example", from: "198.51.100.77");
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);

        var actions = await app.InDatabaseAsync(db => db.AuditLog.Where(a => a.ActorName == "Moderator Mel").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(["ban", "unban"], actions.TakeLast(2));
    }

    [Fact]
    public async Task AnAddressTypedIntoABanIsKeptOnlyAsItsHashAndBlocksThatAddressAndItsIPv6Block()
    {
        var (site, token, _) = await SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        foreach (var address in new[] { "198.51.100.90", "2001:db8:7:8::1" })
        {
            using var banned = await BanAsync(site, token, new { kind = "ip", value = address, reason = "Flooding from there" });
            Assert.Equal(HttpStatusCode.Created, banned.StatusCode);
            Assert.DoesNotContain(address, await banned.Content.ReadAsStringAsync());
        }
        Assert.False(await app.InDatabaseAsync(db => db.Bans.AnyAsync(b => b.Value.Contains("198.51.100") || b.Value.Contains("2001:db8"))));

        using var banned4 = await GuestPostAsync(site, url, "From the banned address", "d@mail.example", from: "198.51.100.90");
        using var sameBlock = await GuestPostAsync(site, url, "From the banned block", "e@mail.example", from: "2001:db8:7:8::99");
        using var otherBlock = await GuestPostAsync(site, url, "From elsewhere", "f@mail.example", from: "2001:db8:7:9::1");
        Assert.Equal(HttpStatusCode.Forbidden, banned4.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sameBlock.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherBlock.StatusCode);

        var before = await app.InDatabaseAsync(db => db.Bans.CountAsync());
        // Not an address, a range, and a form .NET would read as another host (010.0.0.1 as 8.0.0.1).
        foreach (var unfit in new[] { "somewhere.example", "198.51.100.0/24", "010.0.0.1", "10.1" })
        {
            using var refused = await BanAsync(site, token, new { kind = "ip", value = unfit, reason = "r" });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Bans.CountAsync()));
    }

    [Fact]
    public async Task TextStoredInAnIpBanByAnEarlierVersionIsHashedAtStartAndOnlyASingleAddressStartsToHold()
    {
        var (site, token, _) = await SiteWithModeratorAsync();
        var url = ApiCalls.NewPageUrl();
        // As the bans API stored them before it hashed what was typed in: the text itself, address or not.
        string[] typed = ["198.51.100.77", "2001:db8:aa:bb::5", "192.0.2.44:8080", "somewhere.example", "198.51.100.0/24", "010.0.0.1"];
        var ids = await app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            var bans = typed.Select(value => new Hearth.Moderation.Ban
            {
                SiteId = siteId, Kind = Hearth.Moderation.Ban.Ip, Value = value, Reason = "From before", CreatedBy = "Moderator Mel",
                CreatedAt = DateTime.UtcNow,
            }).ToList();
            db.Bans.AddRange(bans);
            await db.SaveChangesAsync();
            return bans.Select(b => b.Id).ToList();
        });
        using (var before = await GuestPostAsync(site, url, "Stored addresses match nobody", "g@mail.example", from: "198.51.100.77"))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        // What the server runs when it starts; a second start finds nothing to do.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Hearth.Storage.StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);
        }
        var again = await app.InDatabaseAsync(db =>
            Hearth.Moderation.IpBanRepair.RunAsync(db, app.Services.GetRequiredService<Hearth.Storage.InstanceKey>(), CancellationToken.None));
        Assert.Equal((0, 0), again);

        var values = await app.InDatabaseAsync(db => db.Bans.Where(b => ids.Contains(b.Id)).OrderBy(b => b.Id).Select(b => b.Value).ToListAsync());
        Assert.Equal(typed.Length, values.Count);
        Assert.All(values, v => Assert.DoesNotContain('.', v));
        Assert.All(values, v => Assert.DoesNotContain(':', v));
        // What names no single address is sealed as a deleted account's ban is, and keeps matching nobody.
        Assert.All(values[3..], v => Assert.StartsWith("#", v));
        using var listed = await _client.AsModeratorAsync(token, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/bans");
        var listing = await listed.Content.ReadAsStringAsync();
        Assert.All(typed, t => Assert.DoesNotContain(t, listing));

        using var banned4 = await GuestPostAsync(site, url, "From the banned address", "h@mail.example", from: "198.51.100.77");
        using var sameBlock = await GuestPostAsync(site, url, "From the banned block", "i@mail.example", from: "2001:db8:aa:bb::99");
        using var withPort = await GuestPostAsync(site, url, "From the address given with a port", "j@mail.example", from: "192.0.2.44");
        using var elsewhere = await GuestPostAsync(site, url, "From elsewhere", "k@mail.example", from: "198.51.100.78");
        using var readAsOctal = await GuestPostAsync(site, url, "From the host a leading zero would name", "l@mail.example", from: "8.0.0.1");
        Assert.Equal(HttpStatusCode.Forbidden, banned4.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sameBlock.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withPort.StatusCode);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Created, readAsOctal.StatusCode);
    }

    [Fact]
    public async Task AShadowBannedMemberIsToldTheirCommentWasPublishedButNobodySeesIt()
    {
        var (site, token, secret) = await SiteWithModeratorAsync();
        var troll = await _client.AccessTokenAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "troll-" + site, name: "Troll")));
        var url = ApiCalls.NewPageUrl();
        using var before = await _client.PostAsMemberAsync(site, troll, new { url, body = "Before the ban" });
        var commentId = (await before.Content.ReadFromJsonAsync<JsonElement>()).Id();
        using (await BanAsync(site, token, new { kind = "user", commentId, reason = "Baiting", shadow = true })) { }

        using var after = await _client.PostAsMemberAsync(site, troll, new { url, body = "After the ban" });

        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var answer = await after.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("published", answer.GetProperty("status").GetString());
        var shown = (await _client.ThreadAsync(site, url)).GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("html").GetString()).ToList();
        Assert.Single(shown);
        Assert.Equal("shadow_ban", await app.InDatabaseAsync(db => db.Comments.Where(c => c.Id == answer.Id()).Select(c => c.ModerationReason).SingleAsync()));
    }

    [Fact]
    public async Task BansThatMakeNoSenseAreRefusedAndStoreNothing()
    {
        var (site, token, _) = await SiteWithModeratorAsync();
        var other = await app.CreateSiteAsync();
        var foreign = await _client.CommentAsync(other, ApiCalls.NewPageUrl(), "Elsewhere");
        var before = await app.InDatabaseAsync(db => db.Bans.CountAsync());

        foreach (var (body, status) in new (object, HttpStatusCode)[]
        {
            (new { kind = "planet", value = "x", reason = "r" }, HttpStatusCode.BadRequest),
            (new { kind = "email", value = "x@mail.example", reason = "" }, HttpStatusCode.BadRequest),
            (new { kind = "email", reason = "No value" }, HttpStatusCode.BadRequest),
            (new { kind = "email", value = "x@mail.example", reason = "r", days = -1 }, HttpStatusCode.BadRequest),
            (new { kind = "email", commentId = foreign.Id(), reason = "Not ours" }, HttpStatusCode.NotFound),
        })
        {
            using var response = await BanAsync(site, token, body);
            Assert.Equal(status, response.StatusCode);
        }
        Assert.Equal(before, await app.InDatabaseAsync(db => db.Bans.CountAsync()));
    }
}
