using Deque.AxeCore.Playwright;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class MentionTests(BrowserFixture fx)
{
    /// <summary>Someone with an account who wrote on the page; returns their account's id.</summary>
    async Task<long> ParticipantAsync(string site, string url, string name, string body)
    {
        var email = $"{Guid.NewGuid():N}@mail.example";
        await fx.Hearth.CreateAccountAsync(email, name, "a long enough password");
        await fx.Hearth.CommentAsMemberAsync(site, await fx.Hearth.WidgetTokenAsync(email, site), url, body);
        await using var scope = fx.Hearth.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Theory]
    [InlineData("light", 1280)]
    [InlineData("dark", 390)]
    public async Task A_reader_types_at_and_a_letter_picks_a_name_with_the_keyboard_and_the_posted_mention_links_to_the_profile(string scheme, int width)
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site) with { Theme = scheme });
        var ada = await ParticipantAsync(site, url, "Ada Lovelace", "The lighthouse opens to visitors at ten.");
        await ParticipantAsync(site, url, "Alan Turing", "And the café beside it at nine.");
        await ParticipantAsync(site, url, "Grace Hopper", "Take the coast path back, it is shorter.");
        await fx.Hearth.CommentAsync(site, url, "A guest cannot be mentioned.", name: "Guest Alma");

        await using var reader = await fx.NewReaderAsync(new()
        {
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new() { Width = width, Height = 900 },
        });
        await reader.OpenAsync(url);
        var box = reader.Composer.Locator("textarea");
        var list = reader.Composer.Locator("ul[role=listbox]");
        var options = list.Locator("li[role=option]");

        // Escape closes the list, and it stays closed while that mention is typed.
        await box.PressSequentiallyAsync("@gr");
        await Expect(options.Locator(".name")).ToHaveTextAsync(["Grace Hopper"]);
        await box.PressAsync("Escape");
        await Expect(list).ToBeHiddenAsync();
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "false");
        await box.PressSequentiallyAsync("a");
        await Expect(list).ToBeHiddenAsync();
        // Tab takes a name as Enter does, and the caret stays in the box.
        await box.FillAsync("");
        await box.PressSequentiallyAsync("@gr");
        await Expect(options.Locator(".name")).ToHaveTextAsync(["Grace Hopper"]);
        await box.PressAsync("Tab");
        await Expect(box).ToHaveValueAsync("@GraceHopper ");
        await Expect(box).ToBeFocusedAsync();
        await box.FillAsync("");

        await box.PressSequentiallyAsync("Thanks @a");
        // Names starting with what was typed, newest first, then those holding it; never a guest.
        await Expect(options.Locator(".name")).ToHaveTextAsync(["Alan Turing", "Ada Lovelace", "Grace Hopper"]);
        await Expect(box).ToHaveAttributeAsync("role", "combobox");
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(box).ToHaveAttributeAsync("aria-controls", (await list.GetAttributeAsync("id"))!);
        await Expect(box).ToHaveAttributeAsync("aria-activedescendant", (await options.Nth(0).GetAttributeAsync("id"))!);
        await Expect(reader.Thread.Locator(".sr[aria-live]")).ToHaveTextAsync("3 people to mention: up and down arrows choose, Enter takes.");
        await box.PressAsync("ArrowDown");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(options.Nth(0)).ToHaveAttributeAsync("aria-selected", "false");
        await Expect(box).ToHaveAttributeAsync("aria-activedescendant", (await options.Nth(1).GetAttributeAsync("id"))!);
        // Still where it was typed: the list takes room below the box rather than covering the form's buttons.
        await Expect(box).ToBeFocusedAsync();
        var boxBottom = (await box.BoundingBoxAsync())!;
        var listBox = (await list.BoundingBoxAsync())!;
        var post = (await reader.Composer.Locator("button[type=submit]").BoundingBoxAsync())!;
        Assert.True(listBox.Y >= boxBottom.Y + boxBottom.Height - 1 && post.Y >= listBox.Y + listBox.Height, "The list sits between the box and the Post button.");
        await reader.ScreenshotAsync($"mentions-{scheme}-{width}-suggested");
        var axe = await reader.Thread.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, "axe found: " + string.Join("; ", serious.Select(v => v.Id + " " + string.Join(", ", v.Nodes.Select(n => n.Html)))));

        await box.PressAsync("Enter");
        await Expect(box).ToHaveValueAsync("Thanks @AdaLovelace ");
        await Expect(list).ToBeHiddenAsync();
        await Expect(box).ToHaveAttributeAsync("aria-expanded", "false");
        // With the list closed, Tab leaves the box as it always does.
        await box.PressAsync("Tab");
        await Expect(box).Not.ToBeFocusedAsync();
        await box.PressSequentiallyAsync("for the tip about the lighthouse.");
        await reader.Composer.Locator("input[name=name]").FillAsync("Guest Gil");
        await reader.Composer.Locator("button[type=submit]").ClickAsync();

        var mention = reader.Comment("for the tip about the lighthouse").Locator("> article .body a");
        await Expect(mention).ToHaveTextAsync("@AdaLovelace");
        await Expect(mention).ToHaveAttributeAsync("href", $"{fx.Hearth.BaseUrl}/people/{ada}");
        await reader.ScreenshotAsync($"mentions-{scheme}-{width}-posted");
        // The same after a reload, from the thread's page.
        await reader.OpenAsync(url);
        await Expect(mention).ToHaveAttributeAsync("href", $"{fx.Hearth.BaseUrl}/people/{ada}");
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }
}
