using System.Globalization;
using System.Text;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// One band of a recent comment's fingerprint (<see cref="SimilarWords"/>), kept for a day so new comments can be
/// compared with the day's comments by an index lookup rather than by reading them.
/// </summary>
public sealed class SimilarityBand
{
    public long SiteId { get; init; }
    public long Hash { get; init; }
    public long CommentId { get; init; }
    public DateTime CreatedAt { get; init; }

    public static IEnumerable<SimilarityBand> For(Comment comment, RenderedMarkdown body) =>
        body.Fingerprint is { } bands
            ? bands.Distinct().Select(hash => new SimilarityBand { SiteId = comment.SiteId, Hash = hash, CommentId = comment.Id, CreatedAt = comment.CreatedAt })
            : [];

    /// <summary>
    /// Adds the insert of a stored comment's bands, all in one statement. Every post writes them, and as tracked
    /// entities they were one INSERT each (24 commands, most of a post's database work, and EF's bookkeeping for
    /// every one of them).
    /// </summary>
    public static void AddTo(StatementList statements, Comment comment, RenderedMarkdown body)
    {
        if (body.Fingerprint is not { } bands)
        {
            return;
        }
        var distinct = bands.Distinct().ToArray();
        var sql = new StringBuilder("""INSERT INTO "SimilarityBands" ("SiteId", "Hash", "CommentId", "CreatedAt") VALUES """);
        var values = new object?[distinct.Length + 3];
        values[0] = comment.SiteId;
        values[1] = comment.Id;
        values[2] = comment.CreatedAt;
        for (var i = 0; i < distinct.Length; i++)
        {
            values[i + 3] = distinct[i];
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{0}}, {{{i + 3}}}, {{1}}, {{2}})");
        }
        statements.Add(sql.ToString(), values);
    }
}

sealed class SimilarityBandConfiguration : IEntityTypeConfiguration<SimilarityBand>
{
    public void Configure(EntityTypeBuilder<SimilarityBand> builder)
    {
        builder.ToTable("SimilarityBands");
        builder.HasKey(b => new { b.SiteId, b.Hash, b.CommentId });
        builder.HasIndex(b => b.CreatedAt);
        builder.HasIndex(b => b.CommentId);
        builder.HasOne<Comment>().WithMany().HasForeignKey(b => b.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
