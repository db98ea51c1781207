using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hearth.Tests.Accounts;

/// <summary>Hearth with its e-mail going to a real SMTP server the test reads.</summary>
public class AccountsApp : HearthApp
{
    public MailCatcher Mail { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hearth:Mail:Host"] = "127.0.0.1",
        ["Hearth:Mail:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hearth:Mail:Security"] = "None",
        ["Hearth:Mail:PublicUrl"] = "http://localhost",
        ["Hearth:RateLimits:AccountActionsPerMinute"] = "100000",
        ["Hearth:RateLimits:SignUpsPerHour"] = "100000",
        ["Hearth:RateLimits:AccountAttemptsPerAddress"] = "8",
    };

    /// <summary>A browser: keeps its cookies, does not follow redirects by itself (tests look at them).</summary>
    public Browser NewBrowser() => new(CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));

    /// <summary>Someone who signed up and opened the confirmation link, with their browser (not signed in yet).</summary>
    public async Task<(Browser Browser, string Email)> ConfirmedAccountAsync(string name, string password, string? email = null)
    {
        email ??= $"person-{Guid.NewGuid():N}@mail.example";
        var browser = NewBrowser();
        await browser.SignUpAsync(email, name, password);
        var link = MailCatcher.Link(await Mail.WaitForAsync(email, "Confirm"), "http://localhost/account/confirm");
        var confirmed = await browser.GetAsync(link["http://localhost".Length..]);
        Assert.Contains("Your address is confirmed", confirmed);
        return (browser, email);
    }

    /// <summary>Someone with a confirmed account, signed in on the account pages in their browser.</summary>
    public async Task<(Browser Browser, string Email)> SignedInAsync(string name, string password, string? email = null)
    {
        var (browser, address) = await ConfirmedAccountAsync(name, password, email);
        using var signIn = await browser.SignInAsync(address, password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return (browser, address);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Mail.Dispose();
    }
}

/// <summary>Fills in and sends the forms of the account pages the way a browser does, anti-forgery token included.</summary>
public sealed partial class Browser(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public async Task<string> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The anti-forgery token a page of the account pages carries, as a script of the page sends it (X-CSRF).</summary>
    public async Task<string> AntiforgeryTokenAsync(string page = "/account/claim")
    {
        var token = CsrfField().Match(await GetAsync(page));
        Assert.True(token.Success, $"No anti-forgery field on {page}");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>Opens the page with the form, then submits the form with these fields (and the page's token).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, params (string Name, string Value)[] fields)
    {
        var page = await GetAsync(formPage);
        var token = CsrfField().Match(page);
        Assert.True(token.Success, $"No anti-forgery field on {formPage}:\n{page}");
        return await PostAsync(action, [("csrf", WebUtility.HtmlDecode(token.Groups[1].Value)), .. fields]);
    }

    public Task<HttpResponseMessage> PostAsync(string action, params (string Name, string Value)[] fields) =>
        Client.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public async Task SignUpAsync(string email, string name, string password)
    {
        using var response = await SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", name), ("password", password));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && text.Contains("Check your inbox"), $"{(int)response.StatusCode}: {text}");
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? returnUrl = null) =>
        await SubmitAsync("/account/signin", "/account/signin", ("email", email), ("password", password), ("returnUrl", returnUrl ?? ""));

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
