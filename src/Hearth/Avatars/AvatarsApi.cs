using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Avatars;

/// <summary>
/// Avatars drawn here from the author's hashed key: a symmetric 5x5 pattern in a colour of its own.
/// No third party (Gravatar) ever learns who reads or writes.
/// </summary>
public static class AvatarsApi
{
    public static IEndpointRouteBuilder MapAvatars(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/avatars/{key}.svg", (string key, HttpContext http) =>
        {
            if (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Text(Draw(key), "image/svg+xml", Encoding.UTF8);
        }).WithTags("Avatars").WithSummary("A generated avatar for an author key.").ExcludeFromDescription();
        app.MapGet("/api/v1/avatars/u{userId:long}-{version:int}.png", async (long userId, int version, HttpContext http, Storage.HearthDb db, CancellationToken ct) =>
        {
            var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
            if (avatar is null || avatar.Version != version)
            {
                return Results.NotFound();
            }
            // The version is in the address: this picture never changes under it.
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            http.Response.Headers["X-Content-Type-Options"] = "nosniff";
            return Results.Bytes(avatar.Png, "image/png");
        }).WithTags("Avatars").ExcludeFromDescription();
        return app;
    }

    public static string Draw(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var hue = (hash[0] << 8 | hash[1]) % 360;
        var foreground = string.Create(CultureInfo.InvariantCulture, $"hsl({hue} 55% 45%)");
        var background = string.Create(CultureInfo.InvariantCulture, $"hsl({hue} 60% 92%)");
        var svg = new StringBuilder(1024);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5 5\" shape-rendering=\"crispEdges\">");
        svg.Append("<rect width=\"5\" height=\"5\" fill=\"").Append(background).Append("\"/>");
        svg.Append("<g fill=\"").Append(foreground).Append("\">");
        for (var row = 0; row < 5; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                var bit = row * 3 + column;
                if ((hash[2 + bit / 8] >> (bit % 8) & 1) == 0)
                {
                    continue;
                }
                Cell(svg, column, row);
                if (column < 2)
                {
                    Cell(svg, 4 - column, row);
                }
            }
        }
        return svg.Append("</g></svg>").ToString();
    }

    static void Cell(StringBuilder svg, int x, int y) =>
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"/>");
}
