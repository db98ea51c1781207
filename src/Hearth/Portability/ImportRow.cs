using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Portability;

/// <summary>
/// One record of an import file, staged: the file is read whole into these rows (in batches) before the site is touched,
/// so a malformed file stops the import with nothing written to the site, and the tree is rebuilt here in SQL whatever
/// order the file lists it, without holding the file in memory. Rows of a run are removed when the run ends.
/// </summary>
public sealed class ImportRow
{
    public const string ThreadKind = "T";
    public const string CommentKind = "C";

    public long Id { get; init; }

    /// <summary>One run of one import; rows of different runs never meet.</summary>
    public required string RunId { get; init; }
    public required string Kind { get; init; }
    public required string SourceId { get; init; }

    // A thread's own columns: its key as Hearth keys threads, after the URL maps.
    public string? ThreadKey { get; init; }
    public string? Url { get; init; }
    public string? Identifier { get; init; }
    public string? Title { get; init; }
    public bool Closed { get; init; }

    // A comment's columns, already sanitised and keyed.
    public string? ThreadSourceId { get; init; }
    public string? ParentSourceId { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }
    public string? AuthorKey { get; init; }
    public DateTime CreatedAt { get; init; }
    public string? Source { get; init; }
    public string? Html { get; init; }
    public string? BodyHash { get; init; }
    public string? WordsHash { get; init; }
    public string? Status { get; init; }

    // Worked out by the resolution, in SQL.

    /// <summary>
    /// The pass of the resolution that placed it: parents are always placed (and written) in an earlier one. Below zero for
    /// a deleted comment the resolution took away: the step that took it, whose next step looks at its parent.
    /// </summary>
    public int? Round { get; init; }

    /// <summary>Depth in Hearth's tree (after the reply depth limit); null until placed.</summary>
    public int? Depth { get; init; }

    /// <summary>The source id of the comment it hangs under in Hearth, and of the one it answers when placed beside it.</summary>
    public string? PlacedUnder { get; init; }
    public string? AnswersId { get; init; }

    /// <summary>Why it is not imported (a reason of the summary), or null.</summary>
    public string? Skip { get; init; }
}

sealed class ImportRowConfiguration : IEntityTypeConfiguration<ImportRow>
{
    public void Configure(EntityTypeBuilder<ImportRow> builder)
    {
        builder.Property(r => r.RunId).HasMaxLength(36);
        builder.Property(r => r.Kind).HasMaxLength(1);
        builder.Property(r => r.SourceId).HasMaxLength(200);
        builder.Property(r => r.ThreadKey).HasMaxLength(2100);
        builder.Property(r => r.Url).HasMaxLength(2048);
        builder.Property(r => r.Identifier).HasMaxLength(200);
        builder.Property(r => r.Title).HasMaxLength(300);
        builder.Property(r => r.ThreadSourceId).HasMaxLength(200);
        builder.Property(r => r.ParentSourceId).HasMaxLength(200);
        builder.Property(r => r.AuthorName).HasMaxLength(80);
        builder.Property(r => r.AuthorEmail).HasMaxLength(254);
        builder.Property(r => r.AuthorUrl).HasMaxLength(300);
        builder.Property(r => r.AuthorKey).HasMaxLength(64);
        builder.Property(r => r.BodyHash).HasMaxLength(64);
        builder.Property(r => r.WordsHash).HasMaxLength(64);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.PlacedUnder).HasMaxLength(200);
        builder.Property(r => r.AnswersId).HasMaxLength(200);
        builder.Property(r => r.Skip).HasMaxLength(32);
        // A source id once per run and kind: a record listed twice is staged once.
        builder.HasIndex(r => new { r.RunId, r.Kind, r.SourceId }).IsUnique();
        builder.HasIndex(r => new { r.RunId, r.ParentSourceId });
        builder.HasIndex(r => new { r.RunId, r.Round, r.Id });
        // The resolution works through a run in ranges of ids, kind by kind.
        builder.HasIndex(r => new { r.RunId, r.Kind, r.Id });
        // The day count goes through a run's authors a thousand at a time, in key order: each page reads its own
        // authors' rows, not the whole run again. Not (RunId, Kind, AuthorKey): SQLite would take that one for the
        // resolution's look-ups by parent, which also name the run and the kind, and read every comment for each.
        builder.HasIndex(r => new { r.RunId, r.AuthorKey });
    }
}
