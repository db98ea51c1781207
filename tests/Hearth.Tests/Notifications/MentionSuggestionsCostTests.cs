using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Tests.Conversations;
using Hearth.Tests.Identity;

namespace Hearth.Tests.Notifications;

/// <summary>
/// What asking for suggestions costs: the thread's people are read once per change of the thread, whatever is typed,
/// so made-up names neither read the comments again nor fill the page cache with a list each.
/// </summary>
public class MentionSuggestionsCostTests(MeasuredHearthApp app) : IClassFixture<MeasuredHearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task ManyTypedValuesReadTheThreadsCommentsOnce()
    {
        var site = await app.CreateSiteAsync();
        var secret = await app.EnableSsoAsync(site);
        var page = ApiCalls.NewPageUrl();
        var n = 0;
        foreach (var name in new[] { "Carla Dent", "Oscar Vance", "Cato Reed" })
        {
            using var signIn = await _client.SignInAsync(site, SsoTokens.Sign(secret, SsoTokens.Claims(app, site, sub: $"p{n}", name: name)), $"198.51.100.{++n}");
            var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
            using var posted = await _client.PostAsMemberAsync(site, token, new { url = page, body = $"Hello from {name}, about the harbour festival." });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        app.Meter.Start();
        var answers = new List<string>();
        foreach (var typed in new[] { "ca", "zz", "zy", "arv", "o", "qq", "" })
        {
            var json = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{site}/thread/participants?url={Uri.EscapeDataString(page)}&q={typed}");
            answers.Add(string.Join(",", json.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("name").GetString())));
        }
        var commands = app.Meter.Stop();

        Assert.Equal(["Cato Reed,Carla Dent,Oscar Vance", "", "", "Oscar Vance", "Oscar Vance,Cato Reed", "", "Cato Reed,Oscar Vance,Carla Dent"], answers);
        Assert.Single(commands, c => c.Sql.Contains("FROM \"Comments\"", StringComparison.Ordinal));
    }
}
