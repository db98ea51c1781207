using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class PasskeyTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_person_adds_a_passkey_and_signs_in_with_it_instead_of_a_password()
    {
        var email = $"pia-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Pia Passkey", "a long enough passphrase");
        // WebAuthn needs a domain, not an address: the same server under the name localhost.
        var hearth = fx.Hearth.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var reader = await fx.NewReaderAsync();
        var authenticator = await reader.Context.NewCDPSessionAsync(reader.Page);
        await authenticator.SendAsync("WebAuthn.enable");
        await authenticator.SendAsync("WebAuthn.addVirtualAuthenticator", new()
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        var page = reader.Page;

        await page.GotoAsync(hearth + "/account/signin");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync("a long enough passphrase");
        await page.Locator("form button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pia Passkey");
        await page.Locator("#add-passkey").ClickAsync();
        await Expect(page.Locator("text=Remove")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("account-with-passkey"), FullPage = true });

        await page.Locator("form[action='/account/signout'] button").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.Locator("#passkey-signin").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Pia Passkey");
        Assert.EndsWith("/account", page.Url);
        Assert.Empty(reader.PageErrors);
    }
}
