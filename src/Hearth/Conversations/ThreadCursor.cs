using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Hearth.Conversations;

public enum ThreadSort
{
    Best,
    Oldest,
    Newest,
}

/// <summary>
/// Where the next page starts: the sort key of the last top-level comment sent. Keyset, not offset, so comments
/// posted while someone pages through neither repeat nor get skipped.
/// </summary>
public readonly record struct ThreadCursor(ThreadSort Sort, double Rank, DateTime CreatedAt, long Id)
{
    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}|{Rank:R}|{CreatedAt.Ticks}|{Id}");
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
    }

    public static bool TryDecode(string? encoded, ThreadSort sort, out ThreadCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(encoded))
        {
            return true;
        }
        if (encoded.Length > 200 || !Base64Url.IsValid(encoded))
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(encoded)).Split('|');
        if (parts.Length != 4
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var sortValue) || sortValue != (int)sort
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ticks) || ticks < 0 || ticks > DateTime.MaxValue.Ticks
            || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }
        cursor = new ThreadCursor(sort, rank, new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }

    public static bool TryParseSort(string? value, out ThreadSort sort)
    {
        sort = ThreadSort.Best;
        switch (value)
        {
            case null or "" or "best": return true;
            case "oldest": sort = ThreadSort.Oldest; return true;
            case "newest": sort = ThreadSort.Newest; return true;
            default: return false;
        }
    }
}
