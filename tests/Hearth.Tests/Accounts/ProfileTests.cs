using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Tests.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

public class ProfileTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "river path at dawn";
    const string Origin = "https://blog.example";

    async Task<(Browser Browser, string Email, long UserId)> AccountAsync(string name, string? email = null)
    {
        (var browser, email) = await app.SignedInAsync(name, Password, email);
        var id = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return (browser, email, id);
    }

    async Task<string> WidgetTokenAsync(Browser browser, string site)
    {
        var ask = $"/account/widget?site={site}&origin={Uri.EscapeDataString(Origin)}";
        using var granted = await browser.SubmitAsync(ask, "/account/widget", ("site", site), ("origin", Origin));
        var message = Regex.Match(await granted.Content.ReadAsStringAsync(), "data-message=\"([^\"]+)\"").Groups[1].Value;
        return JsonDocument.Parse(WebUtility.HtmlDecode(message)).RootElement.GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task APublicProfileShowsThePersonAndTheirCommentsFromSitesThatAllowIt()
    {
        var open = await app.CreateSiteAsync(origins: [Origin]);
        var discreet = await app.CreateSiteAsync(origins: [Origin]);
        await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == discreet).ExecuteUpdateAsync(s => s.SetProperty(x => x.ListOnProfiles, false)));
        var (browser, _, id) = await AccountAsync("Greta Profile");
        using var saved = await browser.SubmitAsync("/account/profile", "/account/profile",
            ("name", "Greta Profile"), ("website", "https://greta.example"), ("bio", "Walks <b>rivers</b>, writes about mills."));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using (await app.CreateClient().PostAsMemberAsync(open, await WidgetTokenAsync(browser, open), new { url = ApiCalls.NewPageUrl(), title = "Mills", body = "Listed *here*" })) { }
        using (await app.CreateClient().PostAsMemberAsync(discreet, await WidgetTokenAsync(browser, discreet), new { url = ApiCalls.NewPageUrl(), body = "Kept on the discreet site" })) { }

        var page = await app.CreateClient().GetStringAsync($"/people/{id}");

        Assert.Contains("<h1>Greta Profile</h1>", page);
        Assert.Contains("Walks &lt;b&gt;rivers&lt;/b&gt;, writes about mills.", page);
        Assert.Contains("href=\"https://greta.example/\" rel=\"nofollow ugc noopener\"", page);
        Assert.Contains("Listed <em>here</em>", page);
        Assert.Contains(">Mills</a>", page);
        Assert.DoesNotContain("Kept on the discreet site", page);
        using var missing = await app.CreateClient().GetAsync("/people/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task RenamingOnesProfileRenamesEarlierCommentsButNotIntoATeamMembersName()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, _, _) = await AccountAsync("Old Name");
        var url = ApiCalls.NewPageUrl();
        using (await app.CreateClient().PostAsMemberAsync(site, await WidgetTokenAsync(browser, site), new { url, body = "Written under the old name" })) { }
        Assert.Equal("Old Name", (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString());

        using var renamed = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", "New Name"), ("website", ""), ("bio", ""));
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Equal("New Name", (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString());

        var (_, staffEmail, staffId) = await AccountAsync("Team Tove");
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Id == staffId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true)));
        using var impersonating = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", "TEAM T0VE"), ("website", ""), ("bio", ""));
        Assert.Equal(HttpStatusCode.BadRequest, impersonating.StatusCode);
        using var badSite = await browser.SubmitAsync("/account/profile", "/account/profile", ("name", "New Name"), ("website", "javascript:alert(1)"), ("bio", ""));
        Assert.Equal(HttpStatusCode.BadRequest, badSite.StatusCode);
        Assert.Equal("New Name", (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GuestCommentsJoinTheAccountOnceTheirAddressIsProvenTheirs()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var url = ApiCalls.NewPageUrl();
        var accountAddress = $"h-{Guid.NewGuid():N}@mail.example";
        var oldAddress = $"old-{Guid.NewGuid():N}@mail.example";
        foreach (var (body, email) in new[] { ("As a guest, same address", accountAddress), ("As a guest, old address", oldAddress), ("Someone else entirely", "x@other.example") })
        {
            using var posted = await app.CreateClient().PostCommentAsync(site, new { url, body, author = new { name = "Hanna Guest", email } });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        var (browser, _, _) = await AccountAsync("Hanna Member", accountAddress);

        using var notAnAddress = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", "hanna at home"));
        Assert.Equal(HttpStatusCode.BadRequest, notAnAddress.StatusCode);
        Assert.Contains("does not look right", await notAnAddress.Content.ReadAsStringAsync());
        using var direct = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", accountAddress));
        Assert.Contains("1 guest comment written with", await direct.Content.ReadAsStringAsync());

        using var other = await browser.SubmitAsync("/account/claim", "/account/claim", ("email", oldAddress));
        Assert.Contains("Check that inbox", await other.Content.ReadAsStringAsync());
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(oldAddress, "Claim your comments"), "http://localhost/account/claim/confirm")["http://localhost".Length..];
        using var stranger = await app.NewBrowser().Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode); // not signed in: sign in first
        Assert.Contains("1 guest comment written with", await browser.GetAsync(link));

        var authors = (await app.CreateClient().ThreadAsync(site, url, "&sort=oldest")).GetProperty("comments").EnumerateArray()
            .Select(c => c.GetProperty("author").GetProperty("name").GetString()).ToList();
        Assert.Equal(["Hanna Member", "Hanna Member", "Hanna Guest"], authors);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Comments.CountAsync(c => c.Author.Email == oldAddress || c.Author.Email == accountAddress)));
    }

    static byte[] Picture(int width, int height, SkiaSharp.SKEncodedImageFormat format, bool noisy = false)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.OrangeRed);
        }
        if (noisy)
        {
            // Noise does not compress: a photo-sized file.
            var random = new Random(7);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    bitmap.SetPixel(x, y, new SkiaSharp.SKColor((uint)random.Next() | 0xFF000000));
                }
            }
        }
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    async Task<HttpResponseMessage> UploadAsync(Browser browser, byte[] bytes, string fileName, string type)
    {
        var page = await browser.GetAsync("/account/profile");
        var csrf = WebUtility.HtmlDecode(Regex.Match(page, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(csrf), "csrf" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new(type);
        form.Add(file, "picture", fileName);
        return await browser.Client.PostAsync("/account/avatar", form);
    }

    [Fact]
    public async Task AnUploadedPictureIsRedrawnAsASquareAndFollowsThePersonsComments()
    {
        var site = await app.CreateSiteAsync(origins: [Origin]);
        var (browser, _, id) = await AccountAsync("Pim Picture");
        var url = ApiCalls.NewPageUrl();
        using (await app.CreateClient().PostAsMemberAsync(site, await WidgetTokenAsync(browser, site), new { url, body = "Before the picture" })) { }
        var generated = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("avatarUrl").GetString()!;
        Assert.EndsWith(".svg", generated);

        var photo = Picture(1200, 800, SkiaSharp.SKEncodedImageFormat.Jpeg, noisy: true);
        Assert.True(photo.Length > 512 * 1024, $"{photo.Length} bytes"); // far over the 64 KB other requests may carry
        using var uploaded = await UploadAsync(browser, photo, "holiday.jpg", "image/jpeg");

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var avatarUrl = (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("avatarUrl").GetString()!;
        Assert.Equal($"/api/v1/avatars/u{id}-1.png", avatarUrl);
        using var served = await app.CreateClient().GetAsync(avatarUrl);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", served.Headers.CacheControl?.ToString());
        using (var png = SkiaSharp.SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((128, 128), (png.Width, png.Height));
        }
        Assert.Contains(avatarUrl, await app.CreateClient().GetStringAsync($"/people/{id}"));
        using (await app.CreateClient().PostAsMemberAsync(site, await WidgetTokenAsync(browser, site), new { url, body = "After the picture" })) { }
        Assert.All((await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments").EnumerateArray(),
            c => Assert.Equal(avatarUrl, c.GetProperty("author").GetProperty("avatarUrl").GetString()));

        using var removed = await browser.SubmitAsync("/account/profile", "/account/avatar/remove");
        Assert.Equal(generated, (await app.CreateClient().ThreadAsync(site, url)).GetProperty("comments")[0].GetProperty("author").GetProperty("avatarUrl").GetString());
        using var gone = await app.CreateClient().GetAsync(avatarUrl);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task FilesThatAreNotPicturesOrClaimToBeHugeAreRefusedAndChangeNothing()
    {
        var (browser, _, id) = await AccountAsync("Nora Nopicture");
        // A valid PNG header announcing 100,000 x 100,000 pixels: decoding it would take 40 GB.
        var bomb = Picture(1, 1, SkiaSharp.SKEncodedImageFormat.Png);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(20), 100_000);

        foreach (var (bytes, name, type) in new[]
        {
            ("<svg onload=alert(1)></svg>"u8.ToArray(), "evil.svg", "image/svg+xml"),
            ("just some text"u8.ToArray(), "notes.png", "image/png"),
            (bomb, "bomb.png", "image/png"),
        })
        {
            using var refused = await UploadAsync(browser, bytes, name, type);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("not a picture Hearth can read", await refused.Content.ReadAsStringAsync());
        }
        using var tooBig = await UploadAsync(browser, new byte[6 * 1024 * 1024], "big.png", "image/png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.UploadedAvatars.CountAsync(a => a.UserId == id)));
    }
}
