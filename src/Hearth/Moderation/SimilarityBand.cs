using System.Globalization;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation;

/// <summary>
/// A recent comment's fingerprint (<see cref="SimilarWords"/>), kept for a day so a new comment can be compared with the
/// day's comments without reading them. Two tables: every band in order, by comment (<see cref="SimilarityBand"/>), to
/// count how many bands two comments share; and the first few bands by value (<see cref="SimilarityKey"/>), to find
/// which comments might share enough of them. A comment's bands are stored side by side, on one page; each key is an
/// entry of its own in an index ordered by a random hash, so it is a page written apart from the others. Twenty-four
/// such entries (one per band) were most of what a post wrote; eight keys are a third of that.
/// </summary>
public sealed class SimilarityBand
{
    public long CommentId { get; init; }
    public int Band { get; init; }
    public long Hash { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>The rows of a comment's fingerprint, both tables (for tests and tools that store comments directly).</summary>
    public static IEnumerable<object> For(Comment comment, RenderedMarkdown body) =>
        body.Fingerprint is { } bands
            ? bands.Select((hash, band) => (object)new SimilarityBand { CommentId = comment.Id, Band = band, Hash = hash, CreatedAt = comment.CreatedAt })
                .Concat(SimilarWords.Keys(bands).Select(hash => new SimilarityKey { SiteId = comment.SiteId, Hash = hash, CommentId = comment.Id, CreatedAt = comment.CreatedAt }))
            : [];

    /// <summary>
    /// Adds the insert of a stored comment's fingerprint: two short statements, each reading its values from one
    /// parameter (a JSON array on SQLite, an array on PostgreSQL), so SQLite compiles the same small text at every post.
    /// </summary>
    public static void AddTo(StatementList statements, Comment comment, RenderedMarkdown body, bool postgres)
    {
        if (body.Fingerprint is not { } bands)
        {
            return;
        }
        statements.Add(postgres
            ? """INSERT INTO "SimilarityBands" ("CommentId", "Band", "Hash", "CreatedAt") SELECT {0}, "i" - 1, "h", {1} FROM unnest({2}) WITH ORDINALITY AS "u"("h", "i")"""
            : """INSERT INTO "SimilarityBands" ("CommentId", "Band", "Hash", "CreatedAt") SELECT {0}, "key", "value", {1} FROM json_each({2})""",
            comment.Id, comment.CreatedAt, List(bands, postgres));
        statements.Add(postgres
            ? """INSERT INTO "SimilarityKeys" ("SiteId", "Hash", "CommentId", "CreatedAt") SELECT {0}, "h", {1}, {2} FROM unnest({3}) AS "u"("h")"""
            : """INSERT INTO "SimilarityKeys" ("SiteId", "Hash", "CommentId", "CreatedAt") SELECT {0}, "value", {1}, {2} FROM json_each({3})""",
            comment.SiteId, comment.Id, comment.CreatedAt, List(SimilarWords.Keys(bands), postgres));
    }

    /// <summary>A comment's fingerprint goes when its words change (or go).</summary>
    public static async Task RemoveAsync(HearthDb db, long commentId, CancellationToken ct)
    {
        await db.Set<SimilarityBand>().Where(b => b.CommentId == commentId).ExecuteDeleteAsync(ct);
        await db.Set<SimilarityKey>().Where(k => k.CommentId == commentId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Hashes as one value: an array on PostgreSQL, a JSON array on SQLite (in the order given).</summary>
    public static object List(IReadOnlyList<long> hashes, bool postgres) =>
        postgres ? hashes.ToArray() : "[" + string.Join(',', hashes.Select(b => b.ToString(CultureInfo.InvariantCulture))) + "]";
}

/// <summary>One of the first bands of a recent comment's fingerprint, by value: where a comparison starts.</summary>
public sealed class SimilarityKey
{
    public long SiteId { get; init; }
    public long Hash { get; init; }
    public long CommentId { get; init; }
    public DateTime CreatedAt { get; init; }
}

sealed class SimilarityBandConfiguration : IEntityTypeConfiguration<SimilarityBand>
{
    public void Configure(EntityTypeBuilder<SimilarityBand> builder)
    {
        builder.ToTable("SimilarityBands");
        builder.HasKey(b => new { b.CommentId, b.Band });
        builder.HasIndex(b => b.CreatedAt);
        builder.HasOne<Comment>().WithMany().HasForeignKey(b => b.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class SimilarityKeyConfiguration : IEntityTypeConfiguration<SimilarityKey>
{
    public void Configure(EntityTypeBuilder<SimilarityKey> builder)
    {
        builder.ToTable("SimilarityKeys");
        builder.HasKey(k => new { k.SiteId, k.Hash, k.CommentId });
        builder.HasIndex(k => k.CreatedAt);
        builder.HasIndex(k => k.CommentId);
        builder.HasOne<Comment>().WithMany().HasForeignKey(k => k.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
