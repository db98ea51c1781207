using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Hearth.Storage;

namespace Hearth.Conversations;

public enum ThreadSort
{
    Best,
    Oldest,
    Newest,
}

/// <summary>
/// Where the next page starts: the sort key of the last top-level comment sent. Keyset, not offset, so comments
/// posted while someone pages through neither repeat nor get skipped. Handed out signed with the instance key for
/// one thread, order and page size, and taken back only in the one spelling it was given: a made-up or altered cursor
/// is refused, so every cursor the server reads (and every cached page it keys) is one it wrote itself.
/// </summary>
public readonly record struct ThreadCursor(ThreadSort Sort, double Rank, DateTime CreatedAt, long Id)
{
    const string Purpose = "thread-cursor";
    const int MaxLength = 200;

    public string Encode(InstanceKey keys, string threadKey, int pageSize)
    {
        var position = Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}|{Rank:R}|{CreatedAt.Ticks}|{Id}")));
        return position + "." + keys.Hash(Purpose, Scope(threadKey, pageSize, position));
    }

    /// <summary>No cursor is the first page; a cursor is good only for the thread, order and page size it came from.</summary>
    public static bool TryDecode(InstanceKey keys, string threadKey, ThreadSort sort, int pageSize, string? encoded, out ThreadCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(encoded))
        {
            return true;
        }
        var dot = encoded.IndexOf('.');
        if (encoded.Length > MaxLength || dot <= 0)
        {
            return false;
        }
        var position = encoded[..dot];
        if (!keys.Matches(Purpose, Scope(threadKey, pageSize, position), encoded[(dot + 1)..]) || !Base64Url.IsValid(position))
        {
            return false;
        }
        // Signed by us, so well formed; the parse stays strict all the same.
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(position)).Split('|');
        if (parts.Length != 4
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var sortValue) || sortValue != (int)sort
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) || !double.IsFinite(rank)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ticks) || ticks < 0 || ticks > DateTime.MaxValue.Ticks
            || !long.TryParse(parts[3], CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }
        cursor = new ThreadCursor(sort, rank, new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }

    static string Scope(string threadKey, int pageSize, string position) =>
        string.Create(CultureInfo.InvariantCulture, $"{threadKey}\n{pageSize}\n{position}");

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
