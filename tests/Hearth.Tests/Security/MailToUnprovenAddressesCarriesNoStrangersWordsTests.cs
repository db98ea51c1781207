using System.Net;
using Hearth.Tests.Accounts;

namespace Hearth.Tests.Security;

/// <summary>
/// README, "Accounts and roles": a message Hearth sends to an address its owner has not proven (a sign-up link, a
/// claim link, a reset link of an unconfirmed account) carries no text chosen by whoever asked for it, and each such
/// inbox gets at most a few a day (counted by a keyed hash of the address).
/// </summary>
public class MailToUnprovenAddressesCarriesNoStrangersWordsTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Lure = "Claim your prize at prize.example";

    static string NewAddress() => $"person-{Guid.NewGuid():N}@mail.example";

    static void CarriesNoLure(MimeKit.MimeMessage message)
    {
        Assert.DoesNotContain("prize", message.Subject ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("prize", message.TextBody ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("prize", message.HtmlBody ?? "", StringComparison.OrdinalIgnoreCase);
    }

    static Task<HttpResponseMessage> ClaimAsync(Browser browser, string email) =>
        browser.SubmitAsync("/account/claim", "/account/claim", ("email", email));

    [Fact]
    public async Task TheClaimLinkDoesNotCarryTheNameOfWhoeverAskedForIt()
    {
        var (sender, _) = await app.SignedInAsync(Lure, Password);
        var stranger = NewAddress();

        using var asked = await ClaimAsync(sender, stranger);

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var message = await app.Mail.WaitForAsync(stranger, "Claim your comments");
        CarriesNoLure(message);
        Assert.Contains("http://localhost/account/claim/confirm?token=", message.TextBody);
    }

    [Fact]
    public async Task TheSignUpAndResetLinksToAnUnprovenAddressDoNotCarryTheNameSignedUpUnder()
    {
        var stranger = NewAddress();

        await app.NewBrowser().SignUpAsync(stranger, Lure, Password);
        using (await app.NewBrowser().SubmitAsync("/account/forgot", "/account/forgot", ("email", stranger))) { }

        CarriesNoLure(await app.Mail.WaitForAsync(stranger, "Confirm your e-mail"));
        CarriesNoLure(await app.Mail.WaitForAsync(stranger, "Choose a new Hearth password"));
    }

    [Fact]
    public async Task ClaimLinksToOneInboxStopAfterFiveADayWhoeverAsks()
    {
        var stranger = NewAddress();
        var senders = new List<Browser>();
        for (var i = 0; i < 3; i++)
        {
            senders.Add((await app.SignedInAsync($"Claimer {i}", Password)).Browser);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var asked = await ClaimAsync(senders[i % senders.Count], stranger);
            statuses.Add(asked.StatusCode);
        }
        using var elsewhere = await ClaimAsync(senders[0], NewAddress());

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        await app.Mail.WaitForAsync(stranger, "Claim your comments", alreadySeen: 4);
        Assert.Equal(5, app.Mail.To(stranger).Count);
    }

    [Fact]
    public async Task SignUpsToOneInboxStopAfterFiveADayAndTheAnswerStillDoesNotTellIfItHasAnAccount()
    {
        var fresh = NewAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await app.NewBrowser().SubmitAsync("/account/signup", "/account/signup", ("email", fresh), ("name", "Someone"), ("password", Password));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        await app.Mail.WaitForAsync(fresh, "Someone tried to create", alreadySeen: 3);
        Assert.Equal(5, app.Mail.To(fresh).Count);
    }
}
