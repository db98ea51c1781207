using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SkiaSharp;

namespace Hearth.Avatars;

/// <summary>A picture a person uploaded, kept only as Hearth re-drew it: a square PNG, nothing of the original file.</summary>
public sealed class UploadedAvatar
{
    public long UserId { get; init; }
    public required byte[] Png { get; set; }

    /// <summary>Goes up with each new picture, so its address changes and caches can keep each one forever.</summary>
    public int Version { get; set; }

    public string Url => $"/api/v1/avatars/u{UserId}-{Version}.png";
}

sealed class UploadedAvatarConfiguration : IEntityTypeConfiguration<UploadedAvatar>
{
    public void Configure(EntityTypeBuilder<UploadedAvatar> builder)
    {
        builder.HasKey(a => a.UserId);
        builder.HasOne<HearthUser>().WithOne().HasForeignKey<UploadedAvatar>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Turns an uploaded image into an avatar: the size is read from the header before anything is decoded (a small file
/// can claim to be enormous), the picture is cropped to its centre square, scaled to 128 pixels and encoded anew,
/// which drops metadata such as the GPS position a phone writes into photos.
/// </summary>
public static class AvatarImages
{
    public const int Size = 128;
    public const long MaxUploadBytes = 5 * 1024 * 1024;
    const int MaxSide = 4096;

    /// <summary>
    /// What people may upload, as the profile page says. Skia reads more (BMP, ICO, WBMP, camera RAW ...), and each
    /// decoder more is more code that untrusted bytes reach: only these are decoded.
    /// </summary>
    static readonly SKEncodedImageFormat[] Accepted = [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp];

    /// <summary>Why an upload was turned down.</summary>
    public enum Refusal { NotAPicture, NotAnAcceptedFormat }

    /// <summary>A picture of 4096 pixels a side takes 64 MB while it is redrawn: two at a time at most.</summary>
    static readonly SemaphoreSlim Turns = new(2);

    public static async Task<(byte[]? Png, Refusal? Refusal)> RedrawAsync(byte[] upload, CancellationToken ct)
    {
        await Turns.WaitAsync(ct);
        try
        {
            return Redraw(upload);
        }
        finally
        {
            Turns.Release();
        }
    }

    static (byte[]?, Refusal?) Redraw(byte[] upload)
    {
        using var data = SKData.CreateCopy(upload);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return (null, Refusal.NotAPicture);
        }
        if (!Accepted.Contains(codec.EncodedFormat))
        {
            return (null, Refusal.NotAnAcceptedFormat);
        }
        if (codec.Info.Width is < 1 or > MaxSide || codec.Info.Height is < 1 or > MaxSide)
        {
            return (null, Refusal.NotAPicture);
        }
        using var original = SKBitmap.Decode(codec);
        if (original is null)
        {
            return (null, Refusal.NotAPicture);
        }
        var side = Math.Min(original.Width, original.Height);
        var square = SKRectI.Create((original.Width - side) / 2, (original.Height - side) / 2, side, side);
        using var cropped = new SKBitmap();
        if (!original.ExtractSubset(cropped, square))
        {
            return (null, Refusal.NotAPicture);
        }
        using var scaled = cropped.Resize(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (scaled is null)
        {
            return (null, Refusal.NotAPicture);
        }
        using var image = SKImage.FromBitmap(scaled);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png is null ? (null, Refusal.NotAPicture) : (png.ToArray(), null);
    }
}
