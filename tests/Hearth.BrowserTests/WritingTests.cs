using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class WritingTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_guest_posts_a_comment_and_finds_their_name_filled_in_after_a_reload()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("0 comments");
        await reader.ScreenshotAsync("empty-thread");

        await reader.PostAsync("First! The *mill* is worth the detour.", name: "Margaret");
        var mine = reader.Comment("worth the detour");
        await Expect(mine.Locator("> article .name")).ToHaveTextAsync("Margaret");
        await Expect(mine.Locator("> article .body em")).ToHaveTextAsync("mill");
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("1 comment");
        // The composer is ready for the next comment, the text gone, the name kept.
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync("");
        await Expect(reader.Composer.Locator("input[name=name]")).ToHaveValueAsync("Margaret");
        await reader.ScreenshotAsync("posted");

        await reader.Page.ReloadAsync();
        await Expect(reader.Comment("worth the detour")).ToHaveCountAsync(1);
        await Expect(reader.Composer.Locator("input[name=name]")).ToHaveValueAsync("Margaret");
        // Stored on the server, not just drawn by the widget.
        var thread = await fx.Hearth.Api.GetStringAsync($"/api/v1/sites/{site}/thread?url={Uri.EscapeDataString(url)}");
        Assert.Contains("Margaret", thread);
        Assert.Empty(reader.PageErrors);
        Assert.Empty(reader.ForeignRequests());
    }

    [Fact]
    public async Task An_unsent_comment_is_kept_as_a_draft_for_its_own_page_only()
    {
        var site = await fx.CreateSiteAsync();
        var first = fx.AddArticle(fx.SnippetFor(site));
        var second = fx.AddArticle(fx.SnippetFor(site));

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(first);
        await reader.Composer.Locator("textarea").FillAsync("Half a thought about the first post");

        // Another article of the same blog shares the browser storage, but not the draft.
        await reader.OpenAsync(second);
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync("");

        await reader.OpenAsync(first);
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync("Half a thought about the first post");
        await reader.PostAsync("Half a thought about the first post, finished.", name: "Ada");
        await Expect(reader.Comments).ToHaveCountAsync(1);
        await reader.Page.ReloadAsync();
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync("");
        // Nothing is left behind for posted drafts.
        var keys = await reader.Page.EvaluateAsync<string[]>("Object.keys(localStorage).filter(k => k.startsWith('hearth:draft'))");
        Assert.Empty(keys);
    }

    [Fact]
    public async Task A_reply_is_written_in_place_under_the_comment_it_answers()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Where do you park?", name: "Ada");
        await fx.Hearth.CommentAsync(site, url, "Lovely in autumn.", name: "Grace");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var question = reader.Comment("Where do you park?");
        var replyButton = question.Locator("> article footer button", new() { HasText = "Reply" });
        await replyButton.ClickAsync();
        await Expect(replyButton).ToHaveAttributeAsync("aria-expanded", "true");
        var form = question.Locator("> form.composer");
        await Expect(form.Locator("label").First).ToHaveTextAsync("Reply to Ada");
        await Expect(form.Locator("textarea")).ToBeFocusedAsync();
        await form.Locator("textarea").FillAsync("At the mill, it is free.");
        await form.Locator("input[name=name]").FillAsync("Linus");
        await reader.ScreenshotAsync("reply-open");

        await form.Locator("button[type=submit]").ClickAsync();
        var reply = question.Locator("> ol.replies > li > article");
        await Expect(reply).ToContainTextAsync("At the mill, it is free.");
        await Expect(reply.Locator(".name")).ToHaveTextAsync("Linus");
        await Expect(form).ToHaveCountAsync(0);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("3 comments");
        // The reply is under Ada's comment and not under Grace's.
        await Expect(reader.Comment("Lovely in autumn.").Locator("ol.replies")).ToHaveCountAsync(0);
        await reader.ScreenshotAsync("reply-posted");
    }

    [Fact]
    public async Task The_author_can_edit_and_then_delete_a_comment_within_the_edit_window()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Somebody else's words.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        // Comments by others offer no edit or delete.
        await Expect(reader.Comment("Somebody else").Locator("button", new() { HasText = "Edit" })).ToHaveCountAsync(0);

        await reader.PostAsync("Teh locks are old.", name: "Margaret");
        var mine = reader.Comment("locks are old");
        await mine.Locator("> article button", new() { HasText = "Edit" }).ClickAsync();
        var editor = mine.Locator("> article form.composer");
        await Expect(editor.Locator("textarea")).ToHaveValueAsync("Teh locks are old.");
        await Expect(editor.Locator("textarea")).ToBeFocusedAsync();
        await Expect(mine.Locator("> article > .body")).ToBeHiddenAsync();
        await editor.Locator("textarea").FillAsync("The locks are **very** old.");
        await reader.ScreenshotAsync("edit-open");
        await editor.Locator("button[type=submit]", new() { HasText = "Save" }).ClickAsync();

        var edited = reader.Comment("locks are");
        await Expect(edited.Locator("> article > .body")).ToHaveTextAsync("The locks are very old.");
        await Expect(edited.Locator("> article > .body strong")).ToHaveTextAsync("very");
        await Expect(edited.Locator("> article header")).ToContainTextAsync("edited");
        await Expect(edited.Locator("> article form")).ToHaveCountAsync(0);
        await reader.ScreenshotAsync("edited");

        // Deleting asks once more, then the comment goes and the count follows.
        var delete = edited.Locator("> article button", new() { HasText = "Delete" });
        await delete.ClickAsync();
        await Expect(edited.Locator("> article button", new() { HasText = "Really delete?" })).ToBeVisibleAsync();
        await reader.ScreenshotAsync("delete-confirm");
        await edited.Locator("> article button", new() { HasText = "Really delete?" }).ClickAsync();
        await Expect(reader.Comment("locks are")).ToHaveCountAsync(0);
        await Expect(reader.Thread.Locator("h2")).ToHaveTextAsync("1 comment");
        // The button that had the focus is gone: the focus goes to the thread's heading, not to the page's top.
        await Expect(reader.Thread.Locator("h2")).ToBeFocusedAsync();

        await reader.Page.ReloadAsync();
        await Expect(reader.Comments).ToHaveCountAsync(1);
        await Expect(reader.Comment("locks are")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Voting_changes_the_score_and_the_pressed_state_of_the_buttons()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Bring a flask of tea.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var comment = reader.Comment("flask of tea").Locator("> article");
        var up = comment.Locator("button.vote.up");
        var down = comment.Locator("button.vote.down");
        var score = comment.Locator(".score");
        await Expect(score).ToHaveTextAsync("0");
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "false");

        await up.ClickAsync();
        await Expect(score).ToHaveTextAsync("1");
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(down).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(up).ToBeFocusedAsync();
        await reader.ScreenshotAsync("voted-up");

        await down.ClickAsync();
        await Expect(score).ToHaveTextAsync("-1");
        await Expect(down).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "false");

        // Pressing a pressed button takes the vote back.
        await down.ClickAsync();
        await Expect(score).ToHaveTextAsync("0");
        await Expect(down).ToHaveAttributeAsync("aria-pressed", "false");

        await up.ClickAsync();
        await Expect(score).ToHaveTextAsync("1");
        await reader.Page.ReloadAsync();
        await Expect(score).ToHaveTextAsync("1");
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task A_comment_can_be_written_and_posted_with_the_keyboard_alone()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "Already here.", name: "Ada");

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var keyboard = reader.Page.Keyboard;
        var textarea = reader.Composer.Locator("textarea");

        // From the top of the page, Tab until the comment box has the focus.
        for (var presses = 0; !await IsFocusedAsync(textarea); presses++)
        {
            Assert.True(presses < 10, "The comment box could not be reached with Tab.");
            await keyboard.PressAsync("Tab");
        }
        await keyboard.TypeAsync("Typed without a mouse.");
        // Signing in is offered first, then the guest's fields.
        await keyboard.PressAsync("Tab");
        await Expect(reader.Composer.Locator(".signin button")).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(reader.Composer.Locator("input[name=name]")).ToBeFocusedAsync();
        await keyboard.TypeAsync("Keys");
        var submit = reader.Composer.Locator("button[type=submit]");
        for (var presses = 0; !await IsFocusedAsync(submit); presses++)
        {
            Assert.True(presses < 10, "The post button could not be reached with Tab.");
            await keyboard.PressAsync("Tab");
        }
        await reader.ScreenshotAsync("keyboard-focus-on-post");
        await keyboard.PressAsync("Enter");

        // Focus lands on the new comment, so the next Tab continues from there.
        var posted = reader.Comment("Typed without a mouse.").Locator("> article");
        await Expect(posted).ToBeFocusedAsync();
        await Expect(posted.Locator(".name")).ToHaveTextAsync("Keys");
        await reader.ScreenshotAsync("keyboard-posted");
    }

    [Fact]
    public async Task A_refused_post_explains_itself_next_to_the_form_and_keeps_the_text()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));

        await using var reader = await fx.NewReaderAsync();
        await reader.OpenAsync(url);
        var text = "A long and careful comment that must not be lost.";
        await reader.Composer.Locator("input[name=website]").FillAsync("my homepage");
        await reader.PostAsync(text, name: "Ada");

        var error = reader.Composer.Locator(".error");
        await Expect(error).ToHaveTextAsync("The website must start with http:// or https://.");
        await Expect(error).ToHaveAttributeAsync("role", "alert");
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync(text);
        await Expect(reader.Composer.Locator("button[type=submit]")).ToBeEnabledAsync();
        await Expect(reader.Comments).ToHaveCountAsync(0);
        await reader.ScreenshotAsync("post-refused");

        // The connection drops: a different message, the text still there.
        await reader.Composer.Locator("input[name=website]").FillAsync("");
        await reader.Context.SetOfflineAsync(true);
        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(error).ToHaveTextAsync(new Regex("Could not reach the server"));
        await Expect(reader.Composer.Locator("textarea")).ToHaveValueAsync(text);
        await reader.ScreenshotAsync("post-offline");

        // Back online, the same words go through on the next try.
        await reader.Context.SetOfflineAsync(false);
        await reader.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(reader.Comment("must not be lost")).ToHaveCountAsync(1);
        await Expect(error).ToBeEmptyAsync();
    }

    static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("el => el.getRootNode().activeElement === el");
}
