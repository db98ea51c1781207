using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>
/// Deleting an account that a site has dealt with (a moderator edited its words, it reported someone, it was banned
/// three ways): afterwards the database file itself, read byte by byte, holds none of it, and the bans still hold.
/// </summary>
public class DeletionTracesTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";
    const string Address = "203.0.113.41";

    [SqliteFact("it reads the bytes of the SQLite file and its write-ahead log")]
    public async Task ADeletedAccountLeavesNoNameAddressIdOrWordsInTheFileAndItsBansStillHold()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Moira", SiteRole.Moderator);
        var (browser, email) = await app.SignedInAsync("Ysolde Leaving", Password);
        var token = await WidgetTokenAsync(browser, site);
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var url = ApiCalls.NewPageUrl();
        var client = app.CreateClient();

        var edited = await PostAsync(site, token, url, "quetzal-edited words about my street");
        var answered = await PostAsync(site, token, url, "quetzal-answered words");
        await client.CommentAsync(site, url, "A reply that stays", parentId: answered, name: "Replier");
        var reported = await client.CommentAsync(site, url, "Something to report", name: "Other");
        using (var report = await AsMemberAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/comments/{reported.Id()}/report", new { reason = "quetzal-reason of mine" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);
        }
        using (var edit = await client.AsModeratorAsync(moderator, HttpMethod.Patch, $"/api/v1/sites/{site}/moderation/comments/{edited}", new { body = "Edited by the team" }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }
        foreach (var ban in new object[]
        {
            new { kind = "user", commentId = edited, reason = "Trolling" },
            new { kind = "ip", commentId = edited, reason = "Trolling from there" },
            new { kind = "email", value = email, reason = "Trolling by mail" },
        })
        {
            using var banned = await client.AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans", ban);
            Assert.Equal(HttpStatusCode.Created, banned.StatusCode);
        }
        // A role given on the command line names the account too.
        await app.InDatabaseAsync(async db =>
        {
            var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
            db.AuditLog.Add(new AuditEntry
            {
                SiteId = siteId, ActorName = "command line", Action = "grant", Target = AuditEntry.UserTarget(userId, "Ysolde Leaving"),
                Before = "none", After = "moderator", At = app.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        var ipHash = app.Services.GetRequiredService<InstanceKey>().Hash("ip", Address);
        Assert.Contains(ipHash, await DatabaseFileAsync());
        Assert.Contains("quetzal-edited", await DatabaseFileAsync());

        Assert.Contains("keeps working against your e-mail address", await browser.GetAsync("/account/delete"));
        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());

        var file = await DatabaseFileAsync();
        // The key their comments and their doings carried in the thread's log (and in public, as author.key) goes too.
        var memberKey = Hearth.Conversations.ThreadLog.MemberActor(app.Services.GetRequiredService<InstanceKey>(), userId);
        foreach (var trace in new[] { email, email.ToUpperInvariant(), "Ysolde Leaving", "quetzal", ipHash, $"member:{userId}", memberKey })
        {
            Assert.DoesNotContain(trace, file);
        }
        var id = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.InDatabaseAsync(async db =>
        {
            Assert.False(await db.Bans.AnyAsync(b => b.Kind == Ban.User || b.Value == id || b.Value == email));
            Assert.False(await db.AuditLog.AnyAsync(a => a.Target.Contains("user " + id) || a.Target.Contains(email) || a.ActorUserId == userId));
            Assert.Equal(3, await db.AuditLog.CountAsync(a => a.Target.Contains(DeletedAccount.DeletedTarget)));
            var edit = await db.AuditLog.SingleAsync(a => a.Action == "edit" && a.Target == $"comment {edited}");
            Assert.Equal("Mod Moira", edit.ActorName);
            Assert.False(await db.Reports.AnyAsync(r => r.ReporterKey.Contains(id)));
            Assert.False(await db.Comments.AnyAsync(c => c.IpHash == ipHash));
            Assert.False(await db.ThreadEvents.AnyAsync(e => e.ActorKey == memberKey || e.AuthorKey == memberKey || e.ParentAuthorKey == memberKey));
            return 0;
        });

        // The bans outlive the account: by its address, whether the person comes back as a guest or with a new account,
        // and by where its comments came from.
        using var asGuest = await client.PostCommentAsync(site, new { url, body = "I am back", author = new { name = "Someone New", email } });
        Assert.Equal("banned", (await asGuest.ProblemAsync()).GetProperty("code").GetString());
        using var sameAddress = await client.PostCommentAsync(site, new { url, body = "Hello again", author = new { name = "Another" } }, from: Address);
        Assert.Equal("banned", (await sameAddress.ProblemAsync()).GetProperty("code").GetString());
        var again = await SignUpAgainAsync(email);
        using var asMember = await client.PostAsMemberAsync(site, await WidgetTokenAsync(again, site), new { url, body = "New account, same me" });
        Assert.Equal("banned", (await asMember.ProblemAsync()).GetProperty("code").GetString());
        using var stranger = await client.PostCommentAsync(site, new { url, body = "Just a reader", author = new { name = "Reader", email = "reader@mail.example" } });
        Assert.Equal(HttpStatusCode.Created, stranger.StatusCode);

        using var list = await client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/moderation/bans");
        var bans = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(3, bans.Count);
        Assert.All(bans, b => Assert.StartsWith("#", b.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task MailWaitingForADeletedAccountsAddressGoesWithTheAccountUnsent()
    {
        var (browser, email) = await app.SignedInAsync("Quentin Queued", Password);
        // The mail server refused these so far: they wait for their next try, one to the account and one to someone else.
        var waiting = new[] { email.ToUpperInvariant(), "someone.else@mail.example" }.Select(to => new Hearth.Mail.QueuedMail
        {
            To = to, Subject = "A reply to you", Text = "Words of a reply", CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            NextAttemptAt = app.Clock.GetUtcNow().UtcDateTime.AddHours(1), Attempts = 3,
        }).ToList();
        await app.InDatabaseAsync(db =>
        {
            db.AddRange(waiting);
            return db.SaveChangesAsync();
        });

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));
        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());

        var left = await app.InDatabaseAsync(db => db.Set<Hearth.Mail.QueuedMail>().Where(m => m.Subject == "A reply to you").Select(m => m.To).ToListAsync());
        Assert.Equal(["someone.else@mail.example"], left);
    }

    [Fact]
    public async Task AnEmailBanRefusesASignedInPersonWhoseAccountHasThatAddress()
    {
        var (site, moderator, _) = await app.SiteWithTeamMemberAsync("Mod Maren", SiteRole.Moderator);
        var (browser, email) = await app.SignedInAsync("Tobias Banned", Password);
        var token = await WidgetTokenAsync(browser, site);
        var url = ApiCalls.NewPageUrl();
        await PostAsync(site, token, url, "Before the ban");

        using var banned = await app.CreateClient().AsModeratorAsync(moderator, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
            new { kind = "email", value = email.ToUpperInvariant(), reason = "Spam by mail" });
        Assert.Equal(HttpStatusCode.Created, banned.StatusCode);

        using var refused = await app.CreateClient().PostAsMemberAsync(site, token, new { url, body = "After the ban" });
        Assert.Equal("banned", (await refused.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task WhatADeletedModeratorDecidedStaysInTheSitesLogUnderTheirName()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Mona Deciding", Password);
        await app.GrantAsync(email, site, SiteRole.Moderator);
        using var page = await browser.Client.GetAsync($"/account/moderate/{site}");
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "<meta name=\"hearth-token\" content=\"([^\"]+)\">").Groups[1].Value;
        var comment = await app.CreateClient().CommentAsync(site, ApiCalls.NewPageUrl(), "Off topic");
        using (var rejected = await app.CreateClient().AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/comments/{comment.Id()}/reject"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        using var deleted = await browser.SubmitAsync("/account/delete", "/account/delete", ("comments", "remove"), ("password", Password));

        Assert.Contains("Your account is deleted", await deleted.Content.ReadAsStringAsync());
        var decision = await app.InDatabaseAsync(db => db.AuditLog.SingleAsync(a => a.Action == "reject" && a.Target == $"comment {comment.Id()}"));
        Assert.Equal("Mona Deciding", decision.ActorName);
    }

    async Task<long> PostAsync(string site, string token, string url, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments") { Content = JsonContent.Create(new { url, body }) };
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("X-Forwarded-For", Address);
        using var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    Task<HttpResponseMessage> AsMemberAsync(string token, HttpMethod method, string path, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return app.CreateClient().SendAsync(request);
    }

    async Task<string> WidgetTokenAsync(Browser browser, string site)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    async Task<Browser> SignUpAgainAsync(string email)
    {
        var browser = app.NewBrowser();
        await browser.SignUpAsync(email, "Ysolde Returning", Password);
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "Confirm", alreadySeen: 1), "http://localhost/account/confirm");
        using (await browser.Client.GetAsync(link["http://localhost".Length..])) { }
        using var signIn = await browser.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    /// <summary>The database as it lies on disk now, main file and write-ahead log, freed pages and all.</summary>
    async Task<string> DatabaseFileAsync()
    {
        var text = new StringBuilder();
        foreach (var name in new[] { "hearth.db", "hearth.db-wal" })
        {
            var path = Path.Combine(app.DataDirectory, name);
            if (!File.Exists(path))
            {
                continue;
            }
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            text.Append(Encoding.UTF8.GetString(copy.ToArray()));
        }
        return text.ToString();
    }
}
