using System.Net;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.ManyNodes;

/// <summary>
/// Two sign-ups with one address at the same moment, one on each node: both look for the address, find no one, and
/// insert. The address's unique index lets one through; the other is answered as a sign-up with a taken address is
/// (the same page, a message to the address), and the address goes on naming one account.
/// </summary>
[Collection(TwoNodes.Collection)]
public sealed class SignUpOnTwoNodesTests(TwoNodesThatMeet nodes) : IClassFixture<TwoNodesThatMeet>
{
    static Browser BrowserOn(Node node) =>
        new(node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));

    [Fact]
    public async Task TwoSignUpsWithOneAddressAtOnceMakeOneAccount()
    {
        var email = $"both-{Guid.NewGuid():N}@mail.example";
        var (first, second) = (BrowserOn(nodes.A), BrowserOn(nodes.B));
        // The forms are opened first, so only the two submissions meet at the insert.
        var pages = await Task.WhenAll(first.GetAsync("/account/signup"), second.GetAsync("/account/signup"));
        nodes.Meeting.Arm("INSERT INTO \"Users\"");

        var answers = await Task.WhenAll(
            SignUpAsync(first, pages[0], email, "Ada Both"),
            SignUpAsync(second, pages[1], email, "Ada Both"));
        Assert.True(nodes.Meeting.Met, "Both sign-ups should have reached the insert having found no account.");

        foreach (var (status, text) in answers)
        {
            Assert.True(status == HttpStatusCode.OK && text.Contains("Check your inbox"), $"{(int)status}: {text}");
        }
        var accounts = await nodes.A.InDatabaseAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        Assert.Equal(1, accounts);
        // The address is found again: signing in answers about the one account (not yet confirmed), without an error.
        using var signIn = await first.SignInAsync(email, "a long enough password");
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
    }

    static async Task<(HttpStatusCode, string)> SignUpAsync(Browser browser, string page, string email, string name)
    {
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await browser.PostAsync("/account/signup", ("csrf", WebUtility.HtmlDecode(token)), ("email", email), ("name", name),
            ("password", "a long enough password"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
