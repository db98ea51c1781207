using System.Globalization;
using System.Text;

namespace Hearth.Conversations;

/// <summary>
/// A new comment's row written by hand, so a post is stored without EF's change tracking (a twentieth of a post's
/// cost when it went through it). The columns a new comment always starts with (no edit, no votes, not pinned, not
/// imported) are written as they start.
/// </summary>
static class CommentRow
{
    static readonly string[] Columns =
    [
        "SiteId", "ThreadId", "ParentId", "RootId", "Depth", "ReplyToId",
        "Author_Kind", "Author_UserId", "Author_Name", "Author_Email", "Author_Website", "Author_Key", "Author_Avatar", "Author_Badges",
        "Source", "Html", "BodyHash", "WordsHash", "Status", "ModerationReason", "ModerationDetail", "CreatedAt", "IpHash",
    ];

    // A NULL id is sent as an untyped value; PostgreSQL then needs to be told the column's type.
    static readonly HashSet<string> NullableIds = ["ParentId", "RootId", "ReplyToId", "Author_UserId"];

    public static readonly string Insert = InsertFrom(0);

    /// <summary>The insert with its values at @p{first} onwards, to follow other statements in one command.</summary>
    public static string InsertFrom(int first)
    {
        var sql = new StringBuilder("""INSERT INTO "Comments" (""");
        sql.AppendJoin(", ", Columns.Select(c => $"\"{c}\""));
        sql.Append(""", "EditedAt", "EditedByModerator", "Pinned", "Featured", "Upvotes", "Downvotes", "Rank") VALUES (""");
        sql.AppendJoin(", ", Columns.Select((c, i) =>
        {
            var name = "@p" + (first + i).ToString(CultureInfo.InvariantCulture);
            return NullableIds.Contains(c) ? $"CAST({name} AS BIGINT)" : name;
        }));
        sql.Append(""", NULL, FALSE, FALSE, FALSE, 0, 0, 0) RETURNING "Id";""");
        return sql.ToString();
    }

    public static object?[] Values(Comment c) =>
    [
        c.SiteId, c.ThreadId, c.ParentId, c.RootId, c.Depth, c.ReplyToId,
        c.Author.Kind.ToString(), c.Author.UserId, c.Author.Name, c.Author.Email, c.Author.Website, c.Author.Key, c.Author.Avatar, c.Author.Badges,
        c.Source, c.Html, c.BodyHash, c.WordsHash, c.Status.ToString(), c.ModerationReason, c.ModerationDetail, c.CreatedAt, c.IpHash,
    ];
}
