using System.Net;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// README, "Accounts and roles": nobody can take a display name that would pass for a team member's (a site's owners
/// and moderators, the instance's admins), whichever way the name comes in: a guest's comment, sign-up, a profile
/// rename, single sign-on (nor a badge Hearth gives), OpenID Connect (OpenIdConnectNamesTests below).
/// </summary>
public class TeamNamesCannotBeWornTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";

    static string NewAddress() => $"person-{Guid.NewGuid():N}@mail.example";

    /// <summary>The review's cases: fillers and blanks between or after the words, and look-alike letters of other scripts.</summary>
    public static TheoryData<string> LookAlikesOfMiaModerator => new()
    {
        "Mia\u3164Moderator", // Hangul filler
        "Mia Moderator\u3164\u3164",
        "Mia\uFFA0Moderator", // half-width Hangul filler
        "Mia\u115FModerator", // Hangul choseong filler
        "Mia\u1160Moderator", // Hangul jungseong filler
        "Mia\u2800Moderator", // braille blank
        "Mia Mo\u034Fder\uFE0Fator\U000E0020", // grapheme joiner, variation selector, tag space
        "Mia Mօderatօr", // Armenian oh
        "Ꮇia Ꮇoderator", // Cherokee mu
        "ꓟiꓮ ꓟoꓓeꓣꓮꓔor", // Lisu ma, a, da, ra, ta
        "ᴍɪᴀ ᴍᴏᴅᴇʀᴀᴛᴏʀ", // small capitals
        "Miɑ Moderɑtor", // Latin alpha
        "Міа Моdеrаtоr", // Cyrillic em, i, a, o, ie
        "mia moderator",
        "MIA  M0DERATOR",
    };

    public static TheoryData<string> InvisibleNames => new() { "\u3164", "\u3164\uFFA0 \u115F\u1160", "\u2800\u2800", "\u200D\u3000\u034F" };

    /// <summary>A new site whose team has the person of that name (one account per name, shared by the tests of this class).</summary>
    async Task<string> SiteWithTeamMemberAsync(string name, SiteRole role = SiteRole.Moderator)
    {
        var email = await app.InDatabaseAsync(db => db.Users.Where(u => u.DisplayName == name).Select(u => u.Email).FirstOrDefaultAsync())
            ?? (await app.ConfirmedAccountAsync(name, Password)).Email;
        var site = await app.CreateSiteAsync();
        await app.GrantAsync(email, site, role);
        return site;
    }

    Task<HttpResponseMessage> GuestCommentAsync(string site, string name, string body = "Hello from the shop team") =>
        app.CreateClient().PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body, author = new { name } });

    Task<int> CommentsByAsync(string name) => app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.Name == name));

    [Fact]
    public async Task AGuestNamedExactlyAsTheSitesOwnerIsRefusedAndNothingIsStored()
    {
        var site = await SiteWithTeamMemberAsync("Olivia Owner", SiteRole.Owner);

        using var refused = await GuestCommentAsync(site, "Olivia Owner");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.ProblemAsync();
        Assert.Equal("name_reserved", problem.GetProperty("code").GetString());
        Assert.Contains("team", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await CommentsByAsync("Olivia Owner"));
        using var anotherName = await GuestCommentAsync(site, "Olivia Gardener");
        Assert.Equal(HttpStatusCode.Created, anotherName.StatusCode);
    }

    [Theory]
    [MemberData(nameof(LookAlikesOfMiaModerator))]
    public async Task AGuestWhoseNameLooksLikeAModeratorsIsRefused(string lookAlike)
    {
        var site = await SiteWithTeamMemberAsync("Mia Moderator");

        using var refused = await GuestCommentAsync(site, lookAlike);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("name_reserved", (await refused.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AGuestMayNotPassForAnAdminOnAnySiteButMayShareANameWithAnotherSitesModerator()
    {
        var (_, adminEmail) = await app.ConfirmedAccountAsync("Ada Admin", Password);
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == adminEmail).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true)));
        await SiteWithTeamMemberAsync("Bo Elsewhere");
        var site = await app.CreateSiteAsync();

        using var asAdmin = await GuestCommentAsync(site, "Ada\u3164Admin");
        using var asOtherSitesModerator = await GuestCommentAsync(site, "Bo Elsewhere");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, asAdmin.StatusCode);
        // Readers of this site never see the other site's team: the name is free here.
        Assert.Equal(HttpStatusCode.Created, asOtherSitesModerator.StatusCode);
    }

    [Theory]
    [InlineData("\u3164")]
    [InlineData("\u3164\uFFA0 \u115F\u1160")]
    [InlineData("\u2800\u2800")]
    public async Task AGuestNameOfNothingButFillersIsNoName(string name)
    {
        var site = await app.CreateSiteAsync();

        using var refused = await GuestCommentAsync(site, name);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.ProblemAsync()).GetProperty("errors").TryGetProperty("author.name", out _));
    }

    [Theory]
    [MemberData(nameof(LookAlikesOfMiaModerator))]
    public async Task SignUpRefusesANameThatLooksLikeATeamMembers(string lookAlike)
    {
        await SiteWithTeamMemberAsync("Mia Moderator");

        using var response = await app.NewBrowser().SubmitAsync("/account/signup", "/account/signup", ("email", NewAddress()), ("name", lookAlike), ("password", Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too close to the name of someone on the team", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(InvisibleNames))]
    public async Task SignUpRefusesANameOfNothingButInvisibleCharacters(string name)
    {
        var email = NewAddress();

        using var response = await app.NewBrowser().SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", name), ("password", Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A name is required.", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Theory]
    [MemberData(nameof(LookAlikesOfMiaModerator))]
    public async Task AProfileCannotBeRenamedToLookLikeATeamMember(string lookAlike)
    {
        await SiteWithTeamMemberAsync("Mia Moderator");
        var (browser, email) = await app.SignedInAsync("Plain Person", Password);

        using var response = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", lookAlike), ("website", ""), ("bio", ""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too close to the name of someone on the team", await response.Content.ReadAsStringAsync());
        Assert.Equal("Plain Person", await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.DisplayName).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(InvisibleNames))]
    public async Task AProfileCannotBeRenamedToNothingButInvisibleCharacters(string name)
    {
        var (browser, email) = await app.SignedInAsync("Visible Person", Password);

        using var response = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", name), ("website", ""), ("bio", ""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Visible Person", await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task AnSsoTokenWithAnOwnersNameAndTheStaffBadgeIsRefusedAndOpensNoSession()
    {
        var site = await SiteWithTeamMemberAsync("Olivia Owner", SiteRole.Owner);
        var secret = await app.EnableSsoAsync(site);
        var client = app.CreateClient();
        var sessions = await app.InDatabaseAsync(db => db.MemberSessions.CountAsync());

        using var both = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: "Olivia Owner", more: [("badges", new[] { "staff" })])));
        using var nameOnly = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: "Olivia Owner")));
        using var lookAlike = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: "Օlivia\u3164Օwner")));
        using var badgeOnly = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: "Dana Fischer", more: [("badges", new[] { "staff" })])));

        foreach (var (response, code) in new[] { (both, "sso_claim_invalid"), (nameOnly, "sso_name_reserved"), (lookAlike, "sso_name_reserved"), (badgeOnly, "sso_claim_invalid") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(code, (await response.ProblemAsync()).GetProperty("code").GetString());
        }
        Assert.Equal(sessions, await app.InDatabaseAsync(db => db.MemberSessions.CountAsync()));
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.DisplayName == "Olivia Owner" && u.Email == null)));
        using var customer = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, name: "Olivia Customer", more: [("badges", new[] { "verified-buyer" })])));
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
    }

    /// <summary>Every badge Hearth gives from a role (whatever roles there are), the roles' names, and look-alikes of them.</summary>
    public static TheoryData<string> HearthsBadges()
    {
        var data = new TheoryData<string>("owner", "admin", "rnoderator", "st-aff", "auth0r", "0wner", "adrnin");
        foreach (var role in Enum.GetValues<SiteRole>().Cast<SiteRole?>().Append(null))
        {
            foreach (var badge in RoleBadges.For(role, isAdmin: true).Where(b => !data.Contains(b)))
            {
                data.Add(badge);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HearthsBadges))]
    public async Task ASiteCannotGiveABadgeHearthGivesFromItsRoles(string badge)
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);

        using var response = await app.CreateClient().SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, more: [("badges", new[] { "verified-buyer", badge })])));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("sso_claim_invalid", problem.GetProperty("code").GetString());
        Assert.Contains("badges", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ATeamMemberTheSiteSignsInKeepsTheirNameAndNobodyElseGetsIt()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        await app.ApiTokenAsync(site, secret, "sub-sam-" + site, "Sam Shopkeeper", SiteRole.Moderator);
        var client = app.CreateClient();

        using var again = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "sub-sam-" + site, name: "Sam Shopkeeper")));
        using var someoneElse = await client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: "sub-other-" + site, name: "Sam Shopkeeper")));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Sam Shopkeeper", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, someoneElse.StatusCode);
        Assert.Equal("sso_name_reserved", (await someoneElse.ProblemAsync()).GetProperty("code").GetString());
    }
}

/// <summary>The same promise for a name an OpenID Connect provider sends: the sign-in goes through, under a plain name.</summary>
public class OpenIdConnectNamesTests(OpenIdApp app) : IClassFixture<OpenIdApp>
{
    [Fact]
    public async Task AProvidersNameThatLooksLikeATeamMembersIsReplacedAndTheSignInStillWorks()
    {
        var (_, email) = await app.ConfirmedAccountAsync("Olga Owner", "river path at dawn");
        await app.GrantAsync(email, await app.CreateSiteAsync(), SiteRole.Owner);
        var providerEmail = $"olga-{Guid.NewGuid():N}@idp.example";
        app.Provider.Person = ($"sub-{Guid.NewGuid():N}", "0lga\u3164Օwner", providerEmail, true);
        var browser = app.NewBrowser();

        using var done = await OpenIdConnectTests.SignInThroughProviderAsync(app, browser);

        Assert.Equal("/account", done.Headers.Location?.OriginalString);
        var name = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == providerEmail).Select(u => u.DisplayName).SingleAsync());
        Assert.Matches("^Member [0-9]{4}$", name);
        Assert.Contains(name, await browser.GetAsync("/account"));
    }
}
