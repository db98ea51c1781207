using System.Net;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Notifications;

/// <summary>"@Name" tells that person, when they took part in the conversation with an account.</summary>
public class MentionTests(AccountsApp app) : InboxTestBase(app), IClassFixture<AccountsApp>
{
    [Fact]
    public void MentionsAreNamesWithoutSpacesAndNotAddresses()
    {
        Assert.Equal(["adalovelace", "bo"], Mentions.In("Thanks @AdaLovelace, and @bo. Mail me at someone@example.com or see https://x.example/@handle"));
        Assert.Equal(["one", "two", "three", "four", "five"], Mentions.In("@one @two @three @four @five @six @One"));
        Assert.Empty(Mentions.In("No names here, @ alone, or @x"));
    }

    [Fact]
    public async Task APersonOfTheConversationNamedInACommentIsToldOnceAndOnlyWhileItIsPublic()
    {
        var site = await App.CreateSiteAsync();
        var (_, ada) = await MemberAsync("Ada Mention", site);
        var (_, cal) = await MemberAsync("Cal Named", site);
        var page = ApiCalls.NewPageUrl();
        var adas = await PostAsMemberAsync(site, ada[site], page, "The museum is free on the first Sunday of the month.");
        await PostAsMemberAsync(site, cal[site], page, "Good to know, thank you.");

        var both = (await _client.CommentAsync(site, page, "As @adamention says, and @CalNamed agreed: go early.", name: "Guest Gil")).Id();
        // Answered and named at once: told once, as answered.
        var answer = (await _client.CommentAsync(site, page, "Right, @AdaMention, the queue gets long.", adas, "Guest Hal")).Id();
        // Naming oneself, or someone who never wrote here, tells no one.
        await PostAsMemberAsync(site, ada[site], page, "@AdaMention reminds herself to bring a card. @Stranger too.");

        var inbox = await InboxAsync(site, ada[site]);
        Assert.Equal([answer, both], CommentIds(inbox));
        Assert.Equal(["reply", "mention"], inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList());
        Assert.Equal([both], CommentIds(await InboxAsync(site, cal[site], "?kind=mention")));
    }

    [Fact]
    public async Task AHeldCommentsMentionsAreToldWhenItIsApproved()
    {
        var (site, moderator, _) = await App.SiteWithTeamMemberAsync("Mod Nia", SiteRole.Moderator, ModerationMode.Pre);
        var (_, ada) = await MemberAsync("Ada Held", site);
        var page = ApiCalls.NewPageUrl();
        var adas = await PostAsMemberAsync(site, ada[site], page, "Does the night bus still stop at the harbour?");
        await DecideAsync(site, moderator, adas, "approve");
        var held = (await _client.CommentAsync(site, page, "@AdaHeld yes, every half hour.", name: "Driver Dee")).Id();
        Assert.Empty(CommentIds(await InboxAsync(site, ada[site], "?kind=mention")));
        await DecideAsync(site, moderator, held, "approve");
        Assert.Equal([held], CommentIds(await InboxAsync(site, ada[site], "?kind=mention")));
    }
}
