using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// Opening the inbox, one request after another: the cross-site page (/account/inbox, signed in with the account's
/// cookie, 50 items) and the widget's API for one site (bearer token, 20 items), each first page, a page further back
/// (before=, as the "Older" link and the API's next give it) and, for the API, unread only; then the same inbox by
/// conversation, on the page (every site, 30 conversations) and through the API (one site, 20).
/// </summary>
static partial class InboxBench
{
    public static async Task<List<(string Name, Stats Stats)>> RunAsync(string baseUrl, Api api, State state)
    {
        using var browser = await SignInAsync(baseUrl, state);
        var site = state.Sites[0];
        var token = state.ReaderTokens[site];
        var apiPath = $"/api/v1/sites/{site}/inbox";

        // Five pages back, or as far as there is.
        string? older = null;
        var page = await browser.GetStringAsync("/account/inbox");
        for (var i = 0; i < 5 && OlderLink().Match(page) is { Success: true } link; i++)
        {
            older = WebUtility.HtmlDecode(link.Groups[1].Value);
            page = await browser.GetStringAsync(older);
        }
        string? apiOlder = null;
        var slice = JsonDocument.Parse(await api.GetAsync(apiPath, token)).RootElement;
        for (var i = 0; i < 5 && slice.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.Number; i++)
        {
            apiOlder = $"{apiPath}?before={next.GetInt64()}";
            slice = JsonDocument.Parse(await api.GetAsync(apiOlder, token)).RootElement;
        }

        var results = new List<(string, Stats)>();
        async Task Measure(string name, Func<Task> call)
        {
            for (var i = 0; i < Math.Max(100, Knobs.Samples / 10); i++)
            {
                await call();
            }
            var samples = new double[Knobs.Samples];
            for (var i = 0; i < samples.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await call();
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            var stats = new Stats(samples);
            results.Add((name, stats));
            Console.Error.WriteLine($"[belonging] inbox {name} {stats}");
        }
        await Measure("page_first", () => PageAsync(browser, "/account/inbox"));
        if (older is not null)
        {
            await Measure("page_older", () => PageAsync(browser, older));
        }
        await Measure("api_first", () => api.GetAsync(apiPath, token));
        if (apiOlder is not null)
        {
            await Measure("api_older", () => api.GetAsync(apiOlder, token));
        }
        await Measure("api_unread", () => api.GetAsync($"{apiPath}?unread=true", token));
        // The same inbox by conversation: every site's on the page, one site's through the widget's token.
        await Measure("conversations_page", () => PageAsync(browser, "/account/inbox/conversations"));
        await Measure("conversations_api", () => api.GetAsync($"{apiPath}/conversations", token));
        return results;
    }

    static async Task PageAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !text.Contains("id=\"inbox-items\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} without the inbox: {text[..Math.Min(500, text.Length)]}");
        }
    }

    /// <summary>Signs in on the account pages as a browser does: the form's anti-forgery field, then the cookie.</summary>
    static async Task<HttpClient> SignInAsync(string baseUrl, State state)
    {
        var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl),
        };
        var form = await browser.GetStringAsync("/account/signin");
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(form).Groups[1].Value);
        using var signIn = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf"] = csrf, ["email"] = state.Reader.Email, ["password"] = state.ReaderPassword, ["returnUrl"] = "",
        }));
        if (signIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in answered {(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}");
        }
        return browser;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("<a href=\"(/account/inbox\\?before=[^\"]+)\">Older</a>")]
    private static partial Regex OlderLink();
}
