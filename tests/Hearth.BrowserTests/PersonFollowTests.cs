using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class PersonFollowTests(BrowserFixture fx)
{
    const string Password = "a long enough passphrase";

    static void NothingSerious(Deque.AxeCore.Commons.AxeResult axe) =>
        Assert.True(axe.Violations.All(v => v.Impact is not ("serious" or "critical")), "axe found: " + string.Join("; ",
            axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id + " " + string.Join(", ", v.Nodes.Select(n =>
            n.Html + " " + string.Join(", ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message)))))));

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_reader_follows_and_mutes_a_person_from_their_name_and_a_muted_persons_comments_fold_away_for_them_alone(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var token = await fx.Hearth.SsoTokenAsync(site, "reader-" + scheme, "Dana Fischer");
        var url = fx.AddArticle(fx.SnippetFor(site) with { SsoToken = token, Theme = scheme });
        var email = $"cal-{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, "Cal Loud", Password);
        var cal = await fx.Hearth.AccountCommentAsync(email, site, url, "Everyone should repaint their shed in **orange** this year.");
        var key = cal.GetProperty("author").GetProperty("key").GetString()!;
        await fx.Hearth.CommentAsync(site, url, "A guest, who cannot be followed.", name: "Gil Guest");

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        await reader.OpenAsync(url);
        // By its place, not its words: muted, the words are folded away.
        var calsComment = reader.Thread.Locator($"li#c{cal.GetProperty("id").GetInt64()}");
        var menu = calsComment.Locator("> article footer button[aria-haspopup]");
        await Expect(menu).ToHaveAttributeAsync("aria-label", "Follow or mute Cal Loud");
        await Expect(reader.Comment("A guest").Locator("> article footer button[aria-haspopup]")).ToHaveCountAsync(0);

        // By keyboard: open the menu, follow.
        await menu.FocusAsync();
        await reader.Page.Keyboard.PressAsync("Enter");
        var follow = calsComment.Locator("> article [role=group] button", new() { HasText = "Follow" });
        await Expect(follow).ToBeFocusedAsync();
        await reader.ScreenshotAsync($"person-menu-{scheme}-{width}");
        await reader.Page.Keyboard.PressAsync("Enter");
        await Expect(reader.Thread.Locator("div.sr[aria-live]")).ToHaveTextAsync("You follow Cal Loud.");
        Assert.Equal("following", await StateAsync(site, token, key));

        // Then mute: the comment folds away, with a control to show it.
        await menu.ClickAsync();
        await calsComment.Locator("> article [role=group] button", new() { HasText = "Mute" }).ClickAsync();
        var show = calsComment.Locator("> article button", new() { HasText = "Show" });
        await Expect(show).ToBeFocusedAsync();
        await Expect(calsComment.Locator("> article")).ToContainTextAsync("Cal Loud");
        await Expect(calsComment.Locator("> article")).ToContainTextAsync("muted");
        await Expect(calsComment.Locator("> article .body")).ToHaveCountAsync(0);
        Assert.Equal("muted", await StateAsync(site, token, key));
        await reader.ScreenshotAsync($"person-muted-{scheme}-{width}");
        NothingSerious(await reader.Thread.RunAxe());

        // A new visit folds it again, from the reader's own list; Show opens it.
        await reader.OpenAsync(url);
        await Expect(show).ToBeVisibleAsync();
        await show.ClickAsync();
        await Expect(calsComment.Locator("> article .body strong")).ToHaveTextAsync("orange");

        // Nobody else's page changes: the shared thread page says nothing of it, and another reader sees the comment.
        var page = await fx.Hearth.Api.GetStringAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.DoesNotContain("muted", page);
        await using var other = await fx.NewReaderAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        await other.OpenAsync(fx.AddArticle(fx.SnippetFor(site) with { Url = url }));
        await Expect(other.Comment("repaint their shed").Locator("> article .body")).ToBeVisibleAsync();
        await Expect(other.Thread.Locator("footer button[aria-haspopup]")).ToHaveCountAsync(0);
        Assert.Empty(reader.PageErrors);
        Assert.Empty(other.PageErrors);
    }

    async Task<string> StateAsync(string site, string ssoToken, string key)
    {
        var session = await fx.Hearth.Api.PostAsJsonAsync($"/api/v1/sites/{site}/sessions/sso", new { token = ssoToken });
        var access = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sites/{site}/people/{Uri.EscapeDataString(key)}/follow");
        request.Headers.Authorization = new("Bearer", access);
        using var response = await fx.Hearth.Api.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString()!;
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_profiles_follow_button_leads_to_one_signed_in_press_and_the_account_lists_whom_it_follows(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var (ada, cal) = ($"ada-{Guid.NewGuid():N}@mail.example", $"cal-{Guid.NewGuid():N}@mail.example");
        await fx.Hearth.CreateAccountAsync(ada, "Ada Hollis", Password);
        await fx.Hearth.CreateAccountAsync(cal, "Cal Loud", Password);
        await fx.Hearth.AccountCommentAsync(cal, site, url, "The lighthouse tour is worth the climb.");
        long calId;
        await using (var scope = fx.Hearth.Services.CreateAsyncScope())
        {
            calId = await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.Where(u => u.Email == cal).Select(u => u.Id).SingleAsync();
        }

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        await reader.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/signin?returnUrl=%2Faccount");
        await reader.Page.Locator("#email").FillAsync(ada);
        await reader.Page.Locator("#password").FillAsync(Password);
        await reader.Page.Locator("form button[type=submit]").ClickAsync();
        await Expect(reader.Page.Locator("a[href='/account/people']")).ToBeVisibleAsync();

        await reader.Page.GotoAsync($"{fx.Hearth.BaseUrl}/people/{calId}");
        var followButton = reader.Page.GetByRole(AriaRole.Button, new() { Name = $"Follow Cal Loud on {site}" });
        await Expect(followButton).ToBeVisibleAsync();
        await reader.ScreenshotAsync($"profile-follow-{scheme}-{width}");
        NothingSerious(await reader.Page.RunAxe());
        await followButton.ClickAsync();

        // The account's page about Cal, signed in: the press asked for is the first and focused.
        var confirm = reader.Page.GetByRole(AriaRole.Button, new() { Name = $"Follow Cal Loud on {site}" });
        await Expect(confirm).ToBeFocusedAsync();
        await confirm.ClickAsync();
        await Expect(reader.Page.Locator("main")).ToContainTextAsync("You are following them here.");
        await reader.ScreenshotAsync($"account-person-{scheme}-{width}");
        NothingSerious(await reader.Page.RunAxe());

        await reader.Page.GotoAsync($"{fx.Hearth.BaseUrl}/account/people");
        var stop = reader.Page.GetByRole(AriaRole.Button, new() { Name = $"Stop following Cal Loud on {site}" });
        await Expect(stop).ToBeVisibleAsync();
        await reader.ScreenshotAsync($"account-people-{scheme}-{width}");
        NothingSerious(await reader.Page.RunAxe());
        await stop.ClickAsync();
        await Expect(reader.Page.Locator("main")).ToContainTextAsync("You follow and muted no one yet.");
        Assert.Empty(reader.PageErrors);
    }
}
