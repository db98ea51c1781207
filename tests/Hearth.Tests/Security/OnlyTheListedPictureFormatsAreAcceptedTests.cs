using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Hearth.Tests.Security;

/// <summary>
/// README, "Accounts and roles": a picture can be uploaded as PNG, JPEG, GIF or WebP up to 5 MB. Formats the image
/// library could also read (BMP, ICO, WBMP) are refused with a clear answer, before they are decoded.
/// </summary>
public class OnlyTheListedPictureFormatsAreAcceptedTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    static byte[] Encoded(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(16, 16);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SeaGreen);
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    /// <summary>A 2 x 2 Windows bitmap, 24 bits a pixel, written by hand (Skia reads BMP but cannot write it).</summary>
    static byte[] Bmp()
    {
        var file = new byte[14 + 40 + 16];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), 16);
        file.AsSpan(54).Fill(0x80);
        return file;
    }

    /// <summary>An icon file holding one 16 x 16 PNG.</summary>
    static byte[] Ico()
    {
        var png = Encoded(SKEncodedImageFormat.Png);
        var file = new byte[6 + 16 + png.Length];
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(2), 1); // type: icon
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(4), 1); // one image
        file[6] = 16;
        file[7] = 16;
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(10), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(12), 32);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), png.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), 22);
        png.CopyTo(file, 22);
        return file;
    }

    /// <summary>A wireless bitmap: type 0, no header flags, 8 x 8 pixels, one byte a row.</summary>
    static byte[] Wbmp() => [0, 0, 8, 8, .. Enumerable.Repeat((byte)0xAA, 8)];

    static byte[] Gif() => Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static TheoryData<string> Refused => new() { "bmp", "ico", "wbmp" };

    public static TheoryData<string> Accepted => new() { "png", "jpeg", "gif", "webp" };

    static (byte[] Bytes, string Type) File(string kind) => kind switch
    {
        "bmp" => (Bmp(), "image/bmp"),
        "ico" => (Ico(), "image/x-icon"),
        "wbmp" => (Wbmp(), "image/vnd.wap.wbmp"),
        "png" => (Encoded(SKEncodedImageFormat.Png), "image/png"),
        "jpeg" => (Encoded(SKEncodedImageFormat.Jpeg), "image/jpeg"),
        "webp" => (Encoded(SKEncodedImageFormat.Webp), "image/webp"),
        "gif" => (Gif(), "image/gif"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    async Task<(Browser Browser, long UserId)> AccountAsync()
    {
        var (browser, email) = await app.SignedInAsync("Pia Picture", "river path at dawn");
        return (browser, await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()));
    }

    static async Task<HttpResponseMessage> UploadAsync(Browser browser, string kind)
    {
        var (bytes, type) = File(kind);
        var page = await browser.GetAsync("/account/profile");
        var csrf = WebUtility.HtmlDecode(Regex.Match(page, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value);
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new(type);
        var form = new MultipartFormDataContent { { new StringContent(csrf), "csrf" }, { file, "picture", "picture." + kind } };
        return await browser.Client.PostAsync("/account/avatar", form);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task APictureInAnotherFormatIsRefusedWith400AndChangesNothing(string kind)
    {
        var (browser, id) = await AccountAsync();

        using var refused = await UploadAsync(browser, kind);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("PNG, JPEG, GIF or WebP only", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.InDatabaseAsync(db => db.UploadedAvatars.CountAsync(a => a.UserId == id)));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task APictureInAListedFormatIsTaken(string kind)
    {
        var (browser, id) = await AccountAsync();

        using var taken = await UploadAsync(browser, kind);

        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.UploadedAvatars.CountAsync(a => a.UserId == id)));
    }
}
