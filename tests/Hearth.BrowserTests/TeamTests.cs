using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

/// <summary>
/// An owner brings someone onto the team from the console: the invitation by e-mail, its link opened signed out, the
/// sign-in it leads to, the acceptance, the new moderator's sites, and the owner making them an owner.
/// </summary>
[Collection(WidgetCollection.Name)]
public partial class TeamTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    [GeneratedRegex(@"http://[^\s]+/account/invite\?token=[^\s]+")]
    private static partial Regex InviteLink();

    /// <summary>The invitation link of the message to this address in the outbox (the server here has no SMTP).</summary>
    async Task<string> InvitationLinkAsync(string email)
    {
        var folder = Path.Combine(fx.Hearth.DataDirectory, "outbox");
        var link = "";
        await Wait.UntilAsync(() =>
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
            {
                MimeKit.MimeMessage message;
                try
                {
                    message = MimeKit.MimeMessage.Load(file);
                }
                catch (Exception e) when (e is IOException or FormatException)
                {
                    continue; // still being written
                }
                if (message.To.Mailboxes.Any(m => m.Address == email) && InviteLink().Match(message.TextBody ?? "") is { Success: true } found)
                {
                    link = found.Value;
                    return true;
                }
            }
            return false;
        }, $"an invitation to {email} in {folder}", timeoutMs: 60_000);
        return link;
    }

    [Fact]
    public async Task An_owner_invites_a_moderator_who_accepts_after_signing_in_and_is_then_made_an_owner()
    {
        var site = await fx.CreateSiteAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var ownerEmail = $"orla-{tag}@mail.example";
        var invitedEmail = $"milo-{tag}@mail.example";
        await fx.Hearth.CreateAccountAsync(ownerEmail, "Orla Owner " + tag, Password);
        await fx.Hearth.MakeModeratorAsync(ownerEmail, site, Hearth.Identity.SiteRole.Owner);
        await fx.Hearth.CreateAccountAsync(invitedEmail, "Milo Invited " + tag, Password);

        await using var owner = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 1000, Height = 900 } });
        await owner.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount%2Fsites");
        await owner.Page.Locator("#email").FillAsync(ownerEmail);
        await owner.Page.Locator("#password").FillAsync(Password);
        await owner.Page.Locator("form button[type=submit]").ClickAsync();
        await owner.Page.Locator($"li.site[data-site={site}] a", new() { HasText = "Team" }).ClickAsync();
        await Expect(owner.Page.Locator("h1")).ToHaveTextAsync($"The team of {site}");
        await Expect(owner.Page.Locator("#team li")).ToHaveCountAsync(1);

        await owner.Page.Locator("#email").FillAsync(invitedEmail);
        await owner.Page.Locator("button", new() { HasText = "Send the invitation" }).ClickAsync();
        await Expect(owner.Page.Locator("#done")).ToContainTextAsync("Invitation sent");
        await Expect(owner.Page.Locator("#pending li")).ToContainTextAsync(invitedEmail);
        await owner.ScreenshotAsync("team-invited");

        // The invited person opens the link from the message, signed out: it leads through the sign-in and back.
        var link = await InvitationLinkAsync(invitedEmail);
        await using var invited = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = 390, Height = 800 } });
        await invited.Page.GotoAsync(link);
        await Expect(invited.Page.Locator("h1")).ToHaveTextAsync($"Join the team of {site}");
        await invited.Page.Locator("a", new() { HasText = "Sign in" }).ClickAsync();
        await invited.Page.Locator("#email").FillAsync(invitedEmail);
        await invited.Page.Locator("#password").FillAsync(Password);
        await invited.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(invited.Page.Locator("#accept")).ToHaveTextAsync("Join as moderator");
        await invited.ScreenshotAsync("team-invitation");
        await invited.Page.Locator("#accept").ClickAsync();
        await Expect(invited.Page.Locator("#joined")).ToContainTextAsync($"You are now a moderator of {site}");
        await invited.Page.Locator("a", new() { HasText = "Your sites" }).ClickAsync();
        await Expect(invited.Page.Locator($"li.site[data-site={site}] .badge")).ToHaveTextAsync("moderator");

        // The owner sees them on the team, and makes them an owner too.
        await owner.Page.ReloadAsync();
        await Expect(owner.Page.Locator("#pending")).ToHaveCountAsync(0);
        var milo = owner.Page.Locator("#team li", new() { HasText = "Milo Invited" });
        await Expect(milo.Locator(".badge")).ToHaveTextAsync("moderator");
        await milo.Locator("button", new() { HasText = "Make owner" }).ClickAsync();
        await Expect(owner.Page.Locator("#done")).ToContainTextAsync("Role changed");
        await Expect(owner.Page.Locator("#team li", new() { HasText = "Milo Invited" }).Locator(".badge")).ToHaveTextAsync("owner");
        await owner.ScreenshotAsync("team-two-owners");

        // The same link, once more, does nothing.
        await invited.Page.GotoAsync(link);
        await Expect(invited.Page.Locator("h1")).ToHaveTextAsync("This invitation does not work");
    }
}
