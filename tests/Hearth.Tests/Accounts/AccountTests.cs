using System.Net;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

public class AccountTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";

    static string NewAddress() => $"person-{Guid.NewGuid():N}@mail.example";

    Task<(Browser Browser, string Email)> ConfirmedAccountAsync(string name = "Rosa Lind") => app.ConfirmedAccountAsync(name, Password);

    [Fact]
    public async Task SomeoneSignsUpConfirmsTheirAddressFromTheEmailAndSignsIn()
    {
        var (browser, email) = await ConfirmedAccountAsync("Rosa Lind");

        using var signIn = await browser.SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location?.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hearth.account=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/account", cookie, StringComparison.OrdinalIgnoreCase);
        var home = await browser.GetAsync("/account");
        Assert.Contains("Rosa Lind", home);
        Assert.Contains(email, home);
        Assert.Contains("this browser", home);
        // The password is stored as a slow salted hash, never as typed.
        var hash = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.PasswordHash).SingleAsync());
        Assert.DoesNotContain(Password, hash);
        Assert.StartsWith("AQAAAAIAA", hash); // Identity's format 3: PBKDF2 with HMAC-SHA512
    }

    [Fact]
    public async Task SigningInBeforeConfirmingIsRefusedWithANewLinkSent()
    {
        var email = NewAddress();
        var browser = app.NewBrowser();
        await browser.SignUpAsync(email, "Noor", Password);
        await app.Mail.WaitForAsync(email, "Confirm");

        using var signIn = await browser.SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Contains("confirm your e-mail address first", await signIn.Content.ReadAsStringAsync());
        await app.Mail.WaitForAsync(email, "Confirm", alreadySeen: 1);
    }

    [Fact]
    public async Task SigningUpWithATakenAddressLooksTheSameAndTellsTheOwnerByEmail()
    {
        var (_, email) = await ConfirmedAccountAsync();
        var stranger = app.NewBrowser();

        using var again = await stranger.SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", "Someone Else"), ("password", "another long password"));
        var fresh = NewAddress();
        using var brandNew = await stranger.SubmitAsync("/account/signup", "/account/signup", ("email", fresh), ("name", "Someone Else"), ("password", "another long password"));

        Assert.Equal(brandNew.StatusCode, again.StatusCode);
        static string Comparable(string page, string address) =>
            System.Text.RegularExpressions.Regex.Replace(page.Replace(address, "ADDRESS", StringComparison.Ordinal), "nonce=\"[^\"]+\"", "nonce");
        Assert.Equal(Comparable(await brandNew.Content.ReadAsStringAsync(), fresh), Comparable(await again.Content.ReadAsStringAsync(), email));
        await app.Mail.WaitForAsync(email, "Someone tried to create");
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownAddressGetTheSameAnswer()
    {
        var (browser, email) = await ConfirmedAccountAsync();

        using var wrongPassword = await browser.SignInAsync(email, "not the password at all");
        using var unknown = await browser.SignInAsync(NewAddress(), "not the password at all");

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknown.StatusCode);
        var message = "That e-mail address and password do not match an account";
        Assert.Contains(message, await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains(message, await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountWithoutSayingWhichGuessWasRight()
    {
        var (browser, email) = await ConfirmedAccountAsync();
        using var firstWrong = await browser.SignInAsync(email, "wrong password number 0");
        var wrongPage = await firstWrong.Content.ReadAsStringAsync();
        for (var i = 1; i < 5; i++)
        {
            using var wrong = await browser.SignInAsync(email, $"wrong password number {i}");
        }

        using var right = await browser.SignInAsync(email, Password);

        // While locked, the right password gets the very answer a wrong one got.
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked for 15 minutes after too many tries", await right.Content.ReadAsStringAsync());
        Assert.Equal(Regex.Replace(wrongPage, "nonce=\"[^\"]+\"|value=\"[^\"]+\"", ""), Regex.Replace(await right.Content.ReadAsStringAsync(), "nonce=\"[^\"]+\"|value=\"[^\"]+\"", ""));
        using var home = await browser.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        var lockoutEnd = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync());
        Assert.InRange(lockoutEnd!.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task AnAccountStartedWithSomeoneElsesAddressIsTheirsOnceTheyOpenTheLink()
    {
        var victim = NewAddress();
        var attacker = app.NewBrowser();
        await attacker.SignUpAsync(victim, "Not The Owner", "the attacker's password");
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(victim, "Confirm"), "http://localhost/account/confirm")["http://localhost".Length..];

        // The owner of the address opens the link in their own browser.
        var owner = app.NewBrowser();
        using var confirmed = await owner.Client.GetAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var reset = confirmed.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/reset?", reset);
        Assert.Contains("Your address is confirmed", await owner.GetAsync(reset));
        using var attackerIn = await attacker.SignInAsync(victim, "the attacker's password");
        Assert.Equal(HttpStatusCode.BadRequest, attackerIn.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://localhost" + reset).Query);
        using (await owner.SubmitAsync(reset, "/account/reset", ("user", query["user"]!), ("code", query["code"]!), ("password", "the owner's own password"))) { }
        using var ownerIn = await owner.SignInAsync(victim, "the owner's own password");
        Assert.Equal(HttpStatusCode.Redirect, ownerIn.StatusCode);
    }

    [Fact]
    public async Task ForgottenPasswordsAreResetByEmailAndEveryOldSessionEnds()
    {
        var (browser, email) = await ConfirmedAccountAsync();
        using (await browser.SignInAsync(email, Password)) { }
        var unknown = NewAddress();
        var stranger = app.NewBrowser();

        using var forUnknown = await stranger.SubmitAsync("/account/forgot", "/account/forgot", ("email", unknown));
        using var forKnown = await stranger.SubmitAsync("/account/forgot", "/account/forgot", ("email", email));
        Assert.Equal(HttpStatusCode.OK, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forKnown.StatusCode);
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "new Hearth password"), "http://localhost/account/reset")["http://localhost".Length..];
        Assert.Empty(app.Mail.To(unknown));

        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://localhost" + link).Query);
        using var reset = await stranger.SubmitAsync(link, "/account/reset", ("user", query["user"]!), ("code", query["code"]!), ("password", "a brand new passphrase"));
        Assert.Contains("Your password is changed", await reset.Content.ReadAsStringAsync());

        using var stillIn = await browser.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, stillIn.StatusCode);
        using var oldPassword = await stranger.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.BadRequest, oldPassword.StatusCode);
        using var newPassword = await stranger.SignInAsync(email, "a brand new passphrase");
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        using var usedTwice = await stranger.SubmitAsync(link, "/account/reset", ("user", query["user"]!), ("code", query["code"]!), ("password", "yet another passphrase"));
        Assert.Equal(HttpStatusCode.BadRequest, usedTwice.StatusCode);
    }

    [Fact]
    public async Task AFormWithoutItsAntiForgeryTokenIsRefusedAndChangesNothing()
    {
        var browser = app.NewBrowser();
        var email = NewAddress();

        using var forged = await browser.PostAsync("/account/signup", ("email", email), ("name", "Forger"), ("password", Password));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task EndingASessionFromTheAccountPageSignsThatBrowserOut()
    {
        var (phone, email) = await ConfirmedAccountAsync();
        using (await phone.SignInAsync(email, Password)) { }
        var laptop = app.NewBrowser();
        using (await laptop.SignInAsync(email, Password)) { }
        var home = await laptop.GetAsync("/account");
        var phoneSession = System.Text.RegularExpressions.Regex.Match(home, "/account/sessions/(\\d+)/end").Groups[1].Value;
        Assert.NotEqual("", phoneSession);

        using var end = await laptop.SubmitAsync("/account", $"/account/sessions/{phoneSession}/end");

        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        using var phoneHome = await phone.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, phoneHome.StatusCode);
        using var laptopHome = await laptop.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, laptopHome.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/account/")]
    [InlineData("//evil.example/account/")]
    [InlineData("/\\evil.example")]
    [InlineData("/account/../../evil")]
    [InlineData("/account/%2e%2e/%2e%2e/evil")]
    public async Task AfterSigningInTheBrowserGoesOnlyToHearthsOwnAccountPages(string returnUrl)
    {
        var (browser, email) = await ConfirmedAccountAsync();

        using var signIn = await browser.SignInAsync(email, Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ANameThatWouldPassForAModeratorsIsRefused()
    {
        var (_, moderatorEmail) = await ConfirmedAccountAsync("Mia Moderator");
        var site = await app.CreateSiteAsync();
        await app.GrantAsync(moderatorEmail, site, SiteRole.Moderator);
        var browser = app.NewBrowser();

        foreach (var lookAlike in new[] { "mia moderator", "Mіa Mоderator", "MIA  M0DERATOR", "Mia-Moderator" })
        {
            using var response = await browser.SubmitAsync("/account/signup", "/account/signup", ("email", NewAddress()), ("name", lookAlike), ("password", Password));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{lookAlike} was accepted");
            Assert.Contains("too close to the name of someone on the team", await response.Content.ReadAsStringAsync());
        }
        await browser.SignUpAsync(NewAddress(), "Mia Gardener", Password);
    }

    [Fact]
    public async Task ManyAttemptsOnOneAddressAreCutOffWhateverTheClient()
    {
        var (_, email) = await ConfirmedAccountAsync();
        HttpStatusCode last = default;
        for (var i = 0; i < 10; i++)
        {
            using var attempt = await app.NewBrowser().SubmitAsync("/account/forgot", "/account/forgot", ("email", email));
            last = attempt.StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
    }

    [Fact]
    public async Task AccountPagesCannotBeFramedCachedOrRunForeignScript()
    {
        using var response = await app.CreateClient().GetAsync("/account/signin");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task PasskeyStepsNeedTheSignedInPersonAndThePagesToken()
    {
        var (browser, email) = await ConfirmedAccountAsync();
        using var anonymous = await app.NewBrowser().Client.PostAsync("/account/passkeys/creation-options", null);
        using (await browser.SignInAsync(email, Password)) { }
        using var withoutToken = await browser.Client.PostAsync("/account/passkeys/creation-options", null);
        using var garbage = await browser.Client.PostAsync("/account/signin/passkey",
            System.Net.Http.Json.JsonContent.Create(new { credential = "{}", returnUrl = "" }));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal("antiforgery", (await withoutToken.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task SomeoneWithoutAPasswordIsSignedInOnceByTheConfirmationLinkToAddAPasskey()
    {
        var email = NewAddress();
        var browser = app.NewBrowser();
        using var signUp = await browser.SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", "Paula Passwordless"), ("password", ""));
        Assert.Contains("Check your inbox", await signUp.Content.ReadAsStringAsync());
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "Confirm"), "http://localhost/account/confirm")["http://localhost".Length..];

        using var confirmed = await browser.Client.GetAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/account#passkeys", confirmed.Headers.Location?.OriginalString);
        var home = await browser.GetAsync("/account");
        Assert.Contains("Paula Passwordless", home);
        Assert.Contains("Add a passkey", home);
        Assert.Null(await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.PasswordHash).SingleAsync()));

        // The link signs in once: used again, by anyone, it only says the address is confirmed.
        var other = app.NewBrowser();
        using var again = await other.Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var otherHome = await other.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, otherHome.StatusCode);
        // And no password opens it.
        using var guess = await other.SignInAsync(email, "");
        Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
    }

    [Fact]
    public async Task AnOwnerMakesAnApiTokenForTheirSiteOnlyAndCanRevokeIt()
    {
        var (browser, email) = await ConfirmedAccountAsync("Olli Owner");
        using (await browser.SignInAsync(email, Password)) { }
        var site = await app.CreateSiteAsync();
        var other = await app.CreateSiteAsync();
        await app.GrantAsync(email, site, SiteRole.Owner);

        using var notMine = await browser.SubmitAsync("/account/tokens", "/account/tokens", ("site", other));
        Assert.Equal(HttpStatusCode.Forbidden, notMine.StatusCode);
        using var made = await browser.SubmitAsync("/account/tokens", "/account/tokens", ("site", site));
        var token = WebUtility.HtmlDecode(Regex.Match(await made.Content.ReadAsStringAsync(), "<code id=\"new-token\">([^<]+)</code>").Groups[1].Value);
        Assert.StartsWith("hat_", token);

        async Task<HttpStatusCode> SettingsAsync(string name)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{name}/settings");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await app.CreateClient().SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await SettingsAsync(site));
        Assert.Equal(HttpStatusCode.Unauthorized, await SettingsAsync(other));
        Assert.DoesNotContain(token, await browser.GetAsync("/account/tokens"));

        var id = Regex.Match(await browser.GetAsync("/account/tokens"), "/account/tokens/(\\d+)/revoke").Groups[1].Value;
        using (await browser.SubmitAsync("/account/tokens", $"/account/tokens/{id}/revoke")) { }
        Assert.Equal(HttpStatusCode.Unauthorized, await SettingsAsync(site));
    }

    [Fact]
    public async Task PostsThatChangeSomethingWithoutTheirTokenAreRefused()
    {
        var (browser, email) = await ConfirmedAccountAsync();
        using (await browser.SignInAsync(email, Password)) { }
        var home = await browser.GetAsync("/account");
        var session = Regex.Match(home, "/account/sessions/(\\d+)/end").Groups[1].Value;

        foreach (var action in new[] { "/account/signout", "/account/avatar/remove", "/account/tokens/1/revoke", $"/account/sessions/{(session == "" ? "1" : session)}/end" })
        {
            using var forged = await browser.PostAsync(action);
            Assert.True(forged.StatusCode == HttpStatusCode.BadRequest, $"{action}: {(int)forged.StatusCode}");
        }
        using var stillIn = await browser.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }
}
