using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

public class PrivacyTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    sealed record Person(Browser Browser, string Email, string Name, string Token);

    async Task<Person> MemberAsync(string site, string name)
    {
        var (browser, email) = await app.SignedInAsync(name, Password);
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        var token = JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
        return new Person(browser, email, name, token);
    }

    async Task<long> PostAsync(string site, Person person, string url, string body, long? parentId = null)
    {
        using var response = await app.CreateClient().PostAsMemberAsync(site, person.Token, new { url, body, parentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    async Task VoteAsync(string site, Person person, long commentId)
    {
        var vote = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{commentId}/vote") { Content = JsonContent.Create(new { value = 1 }) };
        vote.Headers.Authorization = new("Bearer", person.Token);
        using var response = await app.CreateClient().SendAsync(vote);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every byte of the database as it would be copied now (freed pages left out).</summary>
    async Task<string> DatabaseCopyAsync()
    {
        var copy = Path.Combine(app.DataDirectory, $"copy-{Guid.NewGuid():N}.db");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "hearth.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"VACUUM INTO '{copy}'";
            await command.ExecuteNonQueryAsync();
        }
        var bytes = await File.ReadAllBytesAsync(copy);
        File.Delete(copy);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public async Task APersonDownloadsEverythingHearthHoldsAboutThem()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var me = await MemberAsync(site, "Karla Export");
        var url = ApiCalls.NewPageUrl();
        var other = await app.CreateClient().CommentAsync(site, url, "Someone else's words");
        var mine = await PostAsync(site, me, url, "My own *words*");
        await VoteAsync(site, me, other.Id());
        var report = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{other.Id()}/report")
        {
            Content = JsonContent.Create(new { reason = "Mine to say why" }),
        };
        report.Headers.Authorization = new("Bearer", me.Token);
        using (var reported = await app.CreateClient().SendAsync(report))
        {
            Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        }
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == me.Email).Select(u => u.Id).SingleAsync());
        await app.InDatabaseAsync(db =>
        {
            db.UserPasskeys.Add(new Microsoft.AspNetCore.Identity.IdentityUserPasskey<long>
            {
                UserId = userId, CredentialId = [1, 2, 3, 4],
                Data = new() { Name = "Karla's laptop", PublicKey = [5, 6], CreatedAt = DateTimeOffset.UtcNow, Transports = [], AttestationObject = [], ClientDataJson = [] },
            });
            return db.SaveChangesAsync();
        });

        using var download = await me.Browser.Client.GetAsync("/account/data");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        var data = JsonDocument.Parse(await download.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(me.Email, data.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("Karla Export", data.GetProperty("profile").GetProperty("displayName").GetString());
        var comment = Assert.Single(data.GetProperty("comments").EnumerateArray());
        Assert.Equal(mine, comment.GetProperty("id").GetInt64());
        Assert.Equal("My own *words*", comment.GetProperty("source").GetString());
        Assert.Equal(url, comment.GetProperty("threadUrl").GetString());
        Assert.Equal(other.Id(), Assert.Single(data.GetProperty("votes").EnumerateArray()).GetProperty("commentId").GetInt64());
        Assert.Contains(data.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("site").GetString() == site);
        Assert.DoesNotContain("PasswordHash", await download.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // The conversation they follow by having written in it, the report they made, their passkey by its name.
        var followed = Assert.Single(data.GetProperty("conversations").EnumerateArray());
        Assert.Equal((url, "following"), (followed.GetProperty("threadUrl").GetString(), followed.GetProperty("state").GetString()));
        var made = Assert.Single(data.GetProperty("reports").EnumerateArray());
        Assert.Equal((other.Id(), "Mine to say why"), (made.GetProperty("commentId").GetInt64(), made.GetProperty("reason").GetString()));
        Assert.Equal("Karla's laptop", Assert.Single(data.GetProperty("passkeys").EnumerateArray()).GetProperty("name").GetString());
        Assert.All(data.GetProperty("people").EnumerateArray(), p => Assert.False(p.GetProperty("showOnProfile").GetBoolean()));

        using var stranger = await app.NewBrowser().Client.GetAsync("/account/data");
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
    }

    [Fact]
    public async Task DeletingAnAccountWithItsCommentsLeavesNoTraceButKeepsOthersRepliesReadable()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var me = await MemberAsync(site, "Quentin Leaving");
        var url = ApiCalls.NewPageUrl();
        var answered = await PostAsync(site, me, url, "zanzibar-answered words");
        await app.CreateClient().CommentAsync(site, url, "A reply that stays", parentId: answered, name: "Replier");
        await PostAsync(site, me, url, "zanzibar-alone words");
        var liked = await app.CreateClient().CommentAsync(site, url, "Liked by the leaver", name: "Other");
        await VoteAsync(site, me, liked.Id());
        var before = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("thread").GetProperty("commentCount").GetInt32();

        using var deleted = await me.Browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));

        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        var thread = await app.CreateClient().ThreadAsync(site, url, "&sort=oldest");
        var comments = thread.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal(before - 2, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        var tombstone = Assert.Single(comments, c => c.GetProperty("id").GetInt64() == answered);
        Assert.Equal("deleted", tombstone.GetProperty("status").GetString());
        Assert.Contains(comments, c => c.GetProperty("html").GetString()!.Contains("A reply that stays"));
        Assert.Equal(0, comments.Single(c => c.GetProperty("id").GetInt64() == liked.Id()).GetProperty("score").GetInt32());

        using var tokenAfter = await app.CreateClient().PostAsMemberAsync(site, me.Token, new { url, body = "Still here?" });
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAfter.StatusCode);
        using var signIn = await app.NewBrowser().SignInAsync(me.Email, Password);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        var everything = await DatabaseCopyAsync();
        foreach (var trace in new[] { me.Email, me.Email.ToUpperInvariant(), "Quentin Leaving", "zanzibar-answered", "zanzibar-alone" })
        {
            Assert.DoesNotContain(trace, everything);
        }
    }

    [Fact]
    public async Task KeepingTheCommentsSignsThemFormerMemberAndForgetsWhoWroteThem()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var me = await MemberAsync(site, "Valentina Kept");
        var url = ApiCalls.NewPageUrl();
        var kept = await PostAsync(site, me, url, "Words worth keeping");

        using var wrongPassword = await me.Browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", "not my password"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == me.Email)));

        using var deleted = await me.Browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "keep"), ("password", Password));

        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        var comment = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0];
        Assert.Equal(kept, comment.Id());
        Assert.Equal("former member", comment.GetProperty("author").GetProperty("name").GetString());
        Assert.Contains("Words worth keeping", comment.GetProperty("html").GetString());
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.UserId != null && c.Id == kept)));
        var everything = await DatabaseCopyAsync();
        Assert.DoesNotContain("Valentina Kept", everything);
        Assert.DoesNotContain(me.Email, everything);
    }

    [Fact]
    public async Task AnAccountWithoutAPasswordIsDeletedByTypingItsAddress()
    {
        var email = $"np-{Guid.NewGuid():N}@mail.example";
        var browser = app.NewBrowser();
        using (await browser.SubmitAsync("/account/signup", "/account/signup", ("email", email), ("name", "Nils Nopassword"), ("password", ""))) { }
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "Confirm"), "http://localhost/account/confirm");
        using (await browser.Client.GetAsync(link["http://localhost".Length..])) { }
        Assert.Contains("your account's e-mail address, to confirm", (await browser.GetAsync("/account/delete")).ToLowerInvariant());

        using var wrong = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", "someone@else.example"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", email.ToUpperInvariant()));

        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }
}
