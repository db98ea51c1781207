using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public partial class GuestReplyTests(BrowserFixture fx)
{
    [GeneratedRegex(@"http://[^\s]+/guest-replies/confirm\?token=[^\s]+")]
    private static partial Regex ConfirmLink();

    /// <summary>The confirmation link of the newest message to this address in the outbox (the server here has no SMTP).</summary>
    async Task<string> ConfirmationLinkAsync(string email)
    {
        var folder = Path.Combine(fx.Hearth.DataDirectory, "outbox");
        for (var i = 0; i < 200; i++)
        {
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.GetFiles(folder, "*.eml"))
                {
                    var message = await MimeKit.MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address == email) && ConfirmLink().Match(message.TextBody ?? "") is { Success: true } link)
                    {
                        return link.Value;
                    }
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No confirmation e-mail to {email} in {folder}");
    }

    [Fact]
    public async Task A_guest_ticks_email_me_replies_is_told_to_check_their_inbox_and_confirms_on_the_linked_page()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var email = $"wren-{Guid.NewGuid():N}@mail.example";

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var tick = reader.Composer.Locator("label.tick");
        // Offered only once an address is typed.
        await Expect(tick).ToBeHiddenAsync();
        await reader.Composer.Locator("textarea").FillAsync("Which path leads to the old lighthouse?");
        await reader.Composer.Locator("input[name=name]").FillAsync("Wren");
        await reader.Composer.Locator("input[name=email]").FillAsync(email);
        await Expect(tick).ToBeVisibleAsync();
        // A labelled checkbox, ticked from the keyboard.
        var box = reader.Composer.GetByRole(AriaRole.Checkbox, new() { Name = "E-mail me replies" });
        await box.FocusAsync();
        await reader.Page.Keyboard.PressAsync("Space");
        await Expect(box).ToBeCheckedAsync();
        await reader.ScreenshotAsync("guest-replies-ticked");

        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        var mine = reader.Comment("old lighthouse");
        await Expect(mine.Locator("[role=status]")).ToHaveTextAsync("Check your inbox to confirm reply e-mails.");
        await reader.ScreenshotAsync("guest-replies-asked");

        // The link opens a page that asks first; only its button confirms.
        await reader.Page.GotoAsync(await ConfirmationLinkAsync(email));
        var confirm = reader.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, e-mail me replies" });
        await Expect(confirm).ToBeVisibleAsync();
        await reader.ScreenshotAsync("guest-replies-confirm-page");
        await confirm.ClickAsync();
        await Expect(reader.Page.Locator("[role=status]")).ToContainTextAsync("Confirmed");
        await reader.ScreenshotAsync("guest-replies-confirmed");
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }
}
