using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Accounts;
using Hearth.Storage;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>
/// One person changing their picture or name twice at the same moment (a form sent twice, two tabs, two nodes): the
/// last change is the one their comments show, and no change fails because another was being stored.
/// </summary>
public sealed partial class SimultaneousProfileChangesTests(AccountsAppThatMeets app) : IClassFixture<AccountsAppThatMeets>
{
    const string Password = "lantern over the bay";
    const string Origin = "https://blog.example";

    [Fact]
    public async Task TwoFirstPicturesUploadedAtOnceAreBothStoredOneAfterTheOther()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, id) = await AccountAsync("Paula Pictures");
        var url = ApiCalls.NewPageUrl();
        using (await app.CreateClient().PostAsMemberAsync(site, await WidgetTokenAsync(browser, site), new { url, body = "Before any picture" })) { }
        var page = await browser.GetAsync("/account/profile");
        var csrf = WebUtility.HtmlDecode(Csrf().Match(page).Groups[1].Value);
        byte[] png;
        using (var bitmap = new SkiaSharp.SKBitmap(16, 16))
        {
            bitmap.Erase(new SkiaSharp.SKColor(0xFF336699));
            using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
            png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100).ToArray();
        }

        // On PostgreSQL both have found no picture before either stores one. SQLite takes its write lock when a
        // transaction begins, and each upload's statement is its own: there the second waits for the first anyway.
        if (TestDatabase.IsPostgres)
        {
            app.Meeting.Arm("INSERT INTO \"UploadedAvatars\"");
        }
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => UploadAsync(browser, csrf, png)));
        Assert.True(app.Meeting.Met || !TestDatabase.IsPostgres, "Both uploads should have reached the store before either had stored.");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        // Each picture took its own version, so no cache can keep the first under the second's address.
        Assert.Equal(2, await app.InDatabaseAsync(db => db.UploadedAvatars.Where(a => a.UserId == id).Select(a => a.Version).SingleAsync()));
        var shown = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("avatarUrl").GetString();
        Assert.Equal($"/api/v1/avatars/u{id}-2.png", shown);
    }

    [PostgresFact("SQLite's writers take the whole database when their transaction begins, so no refresh can wait midway")]
    public async Task ARefreshWaitingForItsThreadsGivesTheCommentsTheNameAsItIsOnceItHasThem()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, id) = await AccountAsync("Rena Before");
        var url = ApiCalls.NewPageUrl();
        using (await app.CreateClient().PostAsMemberAsync(site, await WidgetTokenAsync(browser, site), new { url, body = "Signed with my name" })) { }
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "Rena First")));

        // Another node renaming them again, holding their thread while it gives the comments the newer name.
        await using var other = app.Services.CreateAsyncScope();
        var otherDb = other.ServiceProvider.GetRequiredService<HearthDb>();
        await using var holding = await otherDb.Database.BeginTransactionAsync();
        var threadId = await otherDb.Comments.Where(c => c.Author.UserId == id).Select(c => c.ThreadId).SingleAsync();
        await otherDb.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Threads" WHERE "Id" = {threadId} FOR NO KEY UPDATE""").ToListAsync();

        // This node's refresh, for the first rename, waits for the thread.
        var refresh = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await ActivatorUtilities.CreateInstance<MemberComments>(scope.ServiceProvider, new WriteGate()).RefreshAuthorAsync(id, CancellationToken.None);
        });
        await WaitUntilSomeoneWaitsForALockAsync(otherDb, refresh);

        await otherDb.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "Rena Second"));
        await otherDb.Comments.Where(c => c.Author.UserId == id).ExecuteUpdateAsync(c => c.SetProperty(x => x.Author.Name, "Rena Second"));
        await holding.CommitAsync();
        await refresh;

        var author = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString();
        Assert.Equal("Rena Second", author);
    }

    [PostgresFact("SQLite's writers take the whole database when their transaction begins, so no claim can wait midway")]
    public async Task AClaimWaitingForItsThreadsGivesTheCommentsTheNameAsItIsOnceItHasThem()
    {
        var site = await app.CreateSiteAsync();
        var (_, id) = await AccountAsync("Clara Before");
        var email = $"guest-{Guid.NewGuid():N}@mail.example";
        var url = ApiCalls.NewPageUrl();
        using (var posted = await app.CreateClient().PostCommentAsync(site, new { url, body = "Written as a guest", author = new { name = "Guest", email } }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "Clara First")));

        // Another node holds the thread (a vote, say) while the claim, with the account as it read it, waits for it.
        await using var other = app.Services.CreateAsyncScope();
        var otherDb = other.ServiceProvider.GetRequiredService<HearthDb>();
        await using var holding = await otherDb.Database.BeginTransactionAsync();
        var threadId = await otherDb.Comments.Where(c => c.Author.Email == email).Select(c => c.ThreadId).SingleAsync();
        await otherDb.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Threads" WHERE "Id" = {threadId} FOR NO KEY UPDATE""").ToListAsync();
        var claim = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.AsNoTracking().SingleAsync(u => u.Id == id);
            return await ActivatorUtilities.CreateInstance<GuestClaims>(scope.ServiceProvider, new WriteGate()).ClaimAsync(user, email, CancellationToken.None);
        });
        await WaitUntilSomeoneWaitsForALockAsync(otherDb, claim);

        // Meanwhile they rename themselves: that rename's refresh finds no comment of theirs yet (the claim has not stored).
        await otherDb.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, "Clara Second"));
        await holding.CommitAsync();
        Assert.Equal(1, await claim);

        var author = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString();
        Assert.Equal("Clara Second", author);
    }

    /// <summary>Until PostgreSQL shows a session of this database waiting for a lock (the refresh, at the thread).</summary>
    static async Task WaitUntilSomeoneWaitsForALockAsync(HearthDb db, Task refresh)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !refresh.IsCompleted)
        {
            var waiting = await db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).SingleAsync();
            if (waiting > 0)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail(refresh.IsCompleted ? "The refresh did not wait for the thread held by the other node." : "The refresh never reached the thread.");
    }

    async Task<HttpResponseMessage> UploadAsync(Browser browser, string csrf, byte[] png)
    {
        var form = new MultipartFormDataContent { { new StringContent(csrf), "csrf" } };
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new("image/png");
        form.Add(file, "picture", "me.png");
        return await browser.Client.PostAsync("/account/avatar", form);
    }

    async Task<(Browser Browser, long UserId)> AccountAsync(string name)
    {
        var (browser, email) = await app.SignedInAsync(name, Password);
        return (browser, await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()));
    }

    async Task<string> WidgetTokenAsync(Browser browser, string site)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
