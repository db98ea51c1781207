using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hearth.BrowserTests;

[Collection(WidgetCollection.Name)]
public class LiveTests(BrowserFixture fx)
{
    [Fact]
    public async Task A_comment_written_by_another_reader_waits_under_the_new_comments_bar_until_it_is_asked_for()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        await fx.Hearth.CommentAsync(site, url, "The towpath is muddy.", name: "Ada");

        await using var alice = await fx.NewReaderAsync();
        await using var bob = await fx.NewReaderAsync();
        await alice.OpenAsync(url);
        await bob.OpenAsync(url);
        await LiveStreamOpenAsync(alice);
        // Alice is halfway through a comment of her own when the others arrive.
        await alice.Composer.Locator("textarea").FillAsync("I was going to say");
        await alice.Composer.Locator("input[name=name]").FillAsync("Alice");

        await bob.PostAsync("Wellies recommended.", name: "Bob");
        await Expect(bob.Comment("Wellies")).ToHaveCountAsync(1);

        // Alice is not pushed around while she reads: the comment waits under a bar.
        var bar = alice.Thread.Locator("button.new");
        await Expect(bar).ToHaveTextAsync("Show 1 new comment");
        await Expect(bar).ToHaveCSSAsync("background-color", "rgb(243, 244, 247)");
        await Expect(alice.Comments).ToHaveCountAsync(1);
        await alice.ScreenshotAsync("live-new-bar");

        await bob.Composer.Locator("textarea").FillAsync("And a towel.");
        await bob.Composer.Locator("button[type=submit]").ClickAsync();
        await Expect(bar).ToHaveTextAsync("Show 2 new comments");

        await bar.ClickAsync();
        await Expect(alice.Comments).ToHaveCountAsync(3);
        await Expect(alice.Comment("Wellies").Locator("> article .name")).ToHaveTextAsync("Bob");
        await Expect(alice.Comment("And a towel.")).ToHaveCountAsync(1);
        await Expect(bar).ToHaveCountAsync(0);
        await Expect(alice.Thread.Locator("h2")).ToHaveTextAsync("3 comments");
        // Focus goes to the first comment that appeared, not back to the top of the page.
        await Expect(alice.Comment("Wellies").Locator("> article")).ToBeFocusedAsync();
        // Her half-written comment and name are still there.
        await Expect(alice.Composer.Locator("textarea")).ToHaveValueAsync("I was going to say");
        await Expect(alice.Composer.Locator("input[name=name]")).ToHaveValueAsync("Alice");
        await alice.ScreenshotAsync("live-shown");
        Assert.Empty(alice.PageErrors);
    }

    [Fact]
    public async Task Edits_votes_and_deletions_by_others_show_up_in_place()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var question = await fx.Hearth.CommentAsync(site, url, "Is the cafe open?", name: "Ada");
        var answer = await fx.Hearth.CommentAsync(site, url, "Until four.", question.Id(), name: "Grace");
        var aside = await fx.Hearth.CommentAsync(site, url, "Off topic, sorry.", name: "Linus");
        await fx.Hearth.CommentAsync(site, url, "Staying around.", name: "Margaret");

        await using var alice = await fx.NewReaderAsync();
        await alice.OpenAsync(url);
        await LiveStreamOpenAsync(alice);
        await Expect(alice.Comments).ToHaveCountAsync(4);

        await EditAsync(site, answer, "Until five in summer.");
        await Expect(alice.Comment("Until five in summer.").Locator("> article header")).ToContainTextAsync("edited");
        await Expect(alice.Comment("Until four.")).ToHaveCountAsync(0);

        // A keyboard user sitting on a button of a comment that changes keeps their place.
        var up = alice.Comment("Is the cafe open?").Locator("> article button.vote.up");
        await up.FocusAsync();
        await fx.Hearth.VoteAsync(site, question.Id(), 1, "10.0.2.1");
        await Expect(alice.Comment("Is the cafe open?").Locator("> article .score")).ToHaveTextAsync("1");
        await Expect(up).ToBeFocusedAsync();

        // With a reply under it, a deleted comment leaves a tombstone so the answer still makes sense.
        await DeleteAsync(site, question);
        var tombstone = alice.Thread.Locator("li").Filter(new() { Has = alice.Page.Locator(":scope > article.gone") });
        await Expect(tombstone.Locator("> article")).ToHaveTextAsync("This comment was deleted.");
        await Expect(tombstone.Locator("> ol.replies")).ToContainTextAsync("Until five in summer.");
        // Without replies it simply goes.
        await DeleteAsync(site, aside);
        await Expect(alice.Comment("Off topic")).ToHaveCountAsync(0);
        await Expect(alice.Thread.Locator("h2")).ToHaveTextAsync("2 comments");
        await alice.ScreenshotAsync("live-edit-delete");

        // Deleting the last reply takes the tombstone with it; the tombstone was no longer counted.
        await DeleteAsync(site, answer);
        await Expect(alice.Comments).ToHaveCountAsync(1);
        await Expect(alice.Thread.Locator("h2")).ToHaveTextAsync("1 comment");
        Assert.Empty(alice.PageErrors);
    }

    [Fact]
    public async Task Open_reply_and_edit_forms_survive_a_live_update_of_their_comment()
    {
        var site = await fx.CreateSiteAsync();
        var url = fx.AddArticle(fx.SnippetFor(site));
        var other = await fx.Hearth.CommentAsync(site, url, "Someone else's point.", name: "Ada");

        await using var alice = await fx.NewReaderAsync();
        await alice.OpenAsync(url);
        await LiveStreamOpenAsync(alice);
        await alice.PostAsync("My own point.", name: "Alice");
        var mine = alice.Comment("My own point.");
        await mine.Locator("> article button", new() { HasText = "Edit" }).ClickAsync();
        await mine.Locator("> article textarea").FillAsync("My own point, reworded.");
        var theirs = alice.Comment("Someone else's point.");
        await theirs.Locator("> article button", new() { HasText = "Reply" }).ClickAsync();
        await theirs.Locator("> form textarea").FillAsync("Half a reply");

        // Votes from other readers redraw both comments while the forms are open.
        await fx.Hearth.VoteAsync(site, other.Id(), 1, "10.0.3.1");
        await Expect(theirs.Locator("> article .score")).ToHaveTextAsync("1");
        var myId = long.Parse((await mine.GetAttributeAsync("id"))!.TrimStart('c'));
        await fx.Hearth.VoteAsync(site, myId, 1, "10.0.3.2");
        await Expect(mine.Locator("> article .score")).ToHaveTextAsync("1");

        await Expect(theirs.Locator("> form textarea")).ToHaveValueAsync("Half a reply");
        await Expect(theirs.Locator("> article button", new() { HasText = "Reply" })).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(mine.Locator("> article textarea")).ToHaveValueAsync("My own point, reworded.");
        await Expect(mine.Locator("> article > .body")).ToBeHiddenAsync();
        await alice.ScreenshotAsync("live-forms-kept");

        // Cancelling brings back what the forms covered, and focus returns to the buttons that opened them.
        await mine.Locator("> article button", new() { HasText = "Cancel" }).ClickAsync();
        await Expect(mine.Locator("> article > .body")).ToBeVisibleAsync();
        await Expect(mine.Locator("> article > .body")).ToHaveTextAsync("My own point.");
        await Expect(mine.Locator("> article button", new() { HasText = "Edit" })).ToBeFocusedAsync();
        await theirs.Locator("> form button", new() { HasText = "Cancel" }).ClickAsync();
        await Expect(theirs.Locator("> form")).ToHaveCountAsync(0);
        var reply = theirs.Locator("> article button", new() { HasText = "Reply" });
        await Expect(reply).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(reply).ToBeFocusedAsync();
    }

    async Task EditAsync(string site, System.Text.Json.JsonElement comment, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{comment.Id()}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { body }),
        };
        request.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        var response = await fx.Hearth.Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    async Task DeleteAsync(string site, System.Text.Json.JsonElement comment)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/sites/{site}/comments/{comment.Id()}");
        request.Headers.Add("X-Edit-Token", comment.GetProperty("editToken").GetString());
        var response = await fx.Hearth.Api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The stream has answered (its "ready" event), so nothing posted from here on can be missed.</summary>
    internal static Task LiveStreamOpenAsync(Reader reader) =>
        Wait.UntilAsync(() => reader.LiveResponses > 0, "the live stream to open");
}
