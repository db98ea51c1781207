using System.Net;
using System.Text.Json;

namespace Hearth.Tests.Security;

/// <summary>
/// A guest's picture says no more than their name does: it is drawn from the name on that site, never from their
/// e-mail address or a key that is the same on every site.
/// </summary>
public class GuestPictureTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<JsonElement> AuthorAsync(string site, string name, string email)
    {
        using var response = await _client.PostCommentAsync(site, new { url = ApiCalls.NewPageUrl(), body = $"Hello from {name}", author = new { name, email } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var author = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("author").Clone();
        Assert.False(author.TryGetProperty("key", out var key) && key.ValueKind != JsonValueKind.Null, "A guest's comment carries no author key.");
        return author;
    }

    [Fact]
    public async Task AGuestsPictureCannotTellTheirAddressNorFollowThemFromSiteToSite()
    {
        var first = await app.CreateSiteAsync();
        var second = await app.CreateSiteAsync();
        string Picture(JsonElement author) => author.GetProperty("avatarUrl").GetString()!;

        var onFirst = Picture(await AuthorAsync(first, "Wanda Walker", "wanda@mail.example"));
        var onSecond = Picture(await AuthorAsync(second, "Wanda Walker", "wanda@mail.example"));
        // Someone posting under her name with a guessed address gets her picture whatever the address: it tells nothing.
        var guessRight = Picture(await AuthorAsync(first, "Wanda Walker", "wanda@mail.example"));
        var guessWrong = Picture(await AuthorAsync(first, "Wanda Walker", "w.walker@mail.example"));
        var someoneElse = Picture(await AuthorAsync(first, "Walter Wand", "wanda@mail.example"));

        Assert.StartsWith("/api/v1/avatars/", onFirst);
        Assert.NotEqual(onFirst, onSecond);
        Assert.Equal(onFirst, guessRight);
        Assert.Equal(onFirst, guessWrong);
        Assert.NotEqual(onFirst, someoneElse);
        using var drawn = await _client.GetAsync(onFirst);
        Assert.Equal(HttpStatusCode.OK, drawn.StatusCode);
    }
}
