using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Hearth.ScaleTests;

/// <summary>
/// A person's own account on Hearth's pages, behind a load balancer that sends each request of their browser to
/// either node: the cookie one node gives is good on the other, and signing out on one ends it on the other.
/// </summary>
[Collection(InstanceCollection.Name)]
public sealed partial class AccountAcrossNodesTests(Instance instance)
{
    [Fact]
    public async Task AnAccountCookieFromOneNodeWorksOnTheOtherUntilSignedOutOnEither()
    {
        await instance.ReadyAsync();
        // The account is made and signed in on one node (the one sending the instance's mail, so the confirmation
        // goes out at once rather than at the other's next round), and used on the other.
        var (home, other) = await SendsMailAsync() == instance.B ? (instance.B, instance.A) : (instance.A, instance.B);
        var browser = new Browser();
        var email = $"person-{Guid.NewGuid():N}@mail.example";
        const string password = "a long enough passphrase 42";

        // Signs up on the one, confirms the e-mailed link on the other, signs in on the one.
        using (var signUp = await browser.SubmitAsync(home, "/account/signup", ("email", email), ("name", "Noor Nodes"), ("password", password)))
        {
            var text = await signUp.Content.ReadAsStringAsync();
            Assert.True(signUp.StatusCode == HttpStatusCode.OK && text.Contains("Check your inbox", StringComparison.Ordinal), $"{(int)signUp.StatusCode}: {text}");
        }
        var link = Tests.Accounts.MailCatcher.Link(await ConfirmationAsync(email), Instance.PublicUrl + "/account/confirm");
        Assert.Contains("Your address is confirmed", await browser.GetAsync(other, link[Instance.PublicUrl.Length..]));
        using (var signIn = await browser.SubmitAsync(home, "/account/signin", ("email", email), ("password", password), ("returnUrl", "")))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // The cookie the one gave is good on the other: it shows the account, and takes a change to it (its form token too).
        Assert.Contains($"Signed in as <strong>{email}</strong>", await browser.GetAsync(other, "/account"));
        using (var saved = await browser.SubmitAsync(other, "/account/profile", ("name", "Noor Both Nodes"), ("website", ""), ("bio", "")))
        {
            Assert.True(saved.StatusCode == HttpStatusCode.Redirect && saved.Headers.Location?.OriginalString == "/account/profile",
                $"saving the profile on the other node answered {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
        }
        Assert.Contains("value=\"Noor Both Nodes\"", await browser.GetAsync(home, "/account/profile"));

        // Signing out on the one ends the session itself, so the same cookie, replayed on the other, no longer signs anyone in.
        var cookie = browser.CookieHeader(other, "/account");
        using (var before = await ReplayAsync(other, cookie))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        using (var signOut = await browser.SubmitAsync(home, "/account/signout", formPage: "/account"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        using var after = await ReplayAsync(other, cookie);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/signin", after.Headers.Location?.OriginalString);
    }

    /// <summary>The node holding the instance's mail lease, if a running node does.</summary>
    async Task<NodeHandle?> SendsMailAsync()
    {
        await using var db = instance.OpenDatabase();
        var holder = await db.Set<Hearth.Storage.Lease>().Where(l => l.Name == "mail").Select(l => l.Holder).FirstOrDefaultAsync();
        return instance.Nodes.FirstOrDefault(n => holder?.Contains($"/{n.Process!.Process.Id}/", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// The confirmation e-mail. It comes at once from the node holding the mail lease; if a node a test before killed
    /// held it, only once that lease has run out and a running node has taken it.
    /// </summary>
    async Task<MimeKit.MimeMessage> ConfirmationAsync(string email)
    {
        var until = DateTime.UtcNow + Hearth.Storage.Leases.Period + Hearth.Storage.Leases.Renewal + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await instance.Mail.WaitForAsync(email, "Confirm");
            }
            catch (TimeoutException) when (DateTime.UtcNow < until)
            {
            }
        }
    }

    /// <summary>The account page asked for with this Cookie header alone, as someone who copied the cookie would.</summary>
    static async Task<HttpResponseMessage> ReplayAsync(NodeHandle node, string cookie)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.Process!.Address, "/account"));
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>One browser: one cookie jar, its requests sent to whichever node the test names.</summary>
    sealed class Browser
    {
        readonly CookieContainer _cookies = new();
        readonly Dictionary<string, HttpClient> _clients = [];

        HttpClient To(NodeHandle node)
        {
            if (!_clients.TryGetValue(node.Name, out var client))
            {
                client = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true, AllowAutoRedirect = false })
                {
                    BaseAddress = node.Process!.Address,
                };
                _clients[node.Name] = client;
            }
            return client;
        }

        /// <summary>The Cookie header this browser sends to a path of the node (the nodes share one host, so one jar serves both).</summary>
        public string CookieHeader(NodeHandle node, string path) => _cookies.GetCookieHeader(new Uri(node.Process!.Address, path));

        public async Task<string> GetAsync(NodeHandle node, string path)
        {
            using var response = await To(node).GetAsync(path);
            return await response.Content.ReadAsStringAsync();
        }

        /// <summary>Opens the form's page on the node and submits the form there, with the page's anti-forgery token.</summary>
        public async Task<HttpResponseMessage> SubmitAsync(NodeHandle node, string action, params (string Name, string Value)[] fields) =>
            await SubmitAsync(node, action, action, fields);

        public async Task<HttpResponseMessage> SubmitAsync(NodeHandle node, string action, string formPage, params (string Name, string Value)[] fields)
        {
            var page = await GetAsync(node, formPage);
            var token = CsrfField().Match(page);
            Assert.True(token.Success, $"No anti-forgery field on {formPage} from {node}:\n{page}");
            var form = new FormUrlEncodedContent(fields.Prepend(("csrf", WebUtility.HtmlDecode(token.Groups[1].Value)))
                .Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
            return await To(node).PostAsync(action, form);
        }
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
