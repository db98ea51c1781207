using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// README, "Accounts and roles": the pages answer the same whether or not an address has an account. For sign-up
/// that is the whole answer a browser gets: status, page, headers and cookies (names and attributes; the values are
/// sealed and as long either way).
/// </summary>
public partial class SignUpDoesNotTellWhoHasAnAccountTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";

    /// <summary>Addresses of one length, so that nothing but the address itself differs between two answers.</summary>
    static string NewAddress() => $"person-{Guid.NewGuid():N}@mail.example";

    static async Task<HttpResponseMessage> SignUpAsync(Browser browser, string email, string password) =>
        await browser.SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", "Someone New"), ("password", password));

    /// <summary>Everything a browser sees of the answer, with the address, the page's nonce and the clock taken out.</summary>
    static async Task<string> WholeAnswerAsync(HttpResponseMessage response, string email)
    {
        var lines = new List<string> { $"status {(int)response.StatusCode}" };
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var value in values)
            {
                lines.Add(name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
                    ? $"Set-Cookie: {CookieShape(value)}"
                    : $"{name}: {Nonce().Replace(value, "nonce-N")}");
            }
        }
        var body = await response.Content.ReadAsStringAsync();
        lines.Add(NonceAttribute().Replace(body.Replace(email, "ADDRESS", StringComparison.Ordinal), "nonce=\"N\""));
        return string.Join('\n', lines);
    }

    /// <summary>A cookie's name, the length of its value and its attributes: the value is sealed, and differs every time.</summary>
    static string CookieShape(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var (name, value) = (parts[0][..parts[0].IndexOf('=')], parts[0][(parts[0].IndexOf('=') + 1)..]);
        return $"{name}=<{value.Length} characters>; " + string.Join("; ", parts.Skip(1).Select(a => a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase) ? "expires=..." : a));
    }

    [Theory]
    [InlineData(Password)]
    [InlineData("")] // passwordless: the link signs in once
    public async Task TheAnswerIsTheSameWholeWhetherOrNotTheAddressHasAnAccount(string password)
    {
        var (_, taken) = await app.ConfirmedAccountAsync("Rosa Lind", Password);
        var fresh = NewAddress();
        Assert.Equal(taken.Length, fresh.Length);

        using var toTaken = await SignUpAsync(app.NewBrowser(), taken, password);
        using var toFresh = await SignUpAsync(app.NewBrowser(), fresh, password);

        Assert.Equal(HttpStatusCode.OK, toFresh.StatusCode);
        Assert.Contains("hearth.signup=", string.Join('\n', toFresh.Headers.GetValues("Set-Cookie")));
        Assert.Equal(await WholeAnswerAsync(toFresh, fresh), await WholeAnswerAsync(toTaken, taken));
        await app.Mail.WaitForAsync(taken, "Someone tried to create");
        await app.Mail.WaitForAsync(fresh, "Confirm");
    }

    [Fact]
    public async Task TheCookieOfASignUpToATakenAddressFinishesNoSignUp()
    {
        // Someone starts an account with another person's address; the owner of the address, not knowing, signs up
        // too, then opens the confirmation link in that same browser: the stranger's password must not survive it.
        var victim = NewAddress();
        await app.NewBrowser().SignUpAsync(victim, "Not The Owner", "the stranger's password");
        var owner = app.NewBrowser();
        using (var again = await SignUpAsync(owner, victim, "the owner's own password"))
        {
            Assert.Contains("hearth.signup=", string.Join('\n', again.Headers.GetValues("Set-Cookie")));
        }
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(victim, "Confirm"), "http://localhost/account/confirm");

        using var opened = await owner.Client.GetAsync(link["http://localhost".Length..]);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.StartsWith("/account/reset?", opened.Headers.Location?.OriginalString);
        Assert.Null(await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == victim).Select(u => u.PasswordHash).SingleAsync()));
        using var stranger = await app.NewBrowser().SignInAsync(victim, "the stranger's password");
        Assert.NotEqual(HttpStatusCode.Redirect, stranger.StatusCode);
    }

    [GeneratedRegex("nonce-[A-Za-z0-9+/=_-]+")]
    private static partial Regex Nonce();

    [GeneratedRegex("nonce=\"[^\"]+\"")]
    private static partial Regex NonceAttribute();
}
