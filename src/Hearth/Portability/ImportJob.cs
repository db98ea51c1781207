using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Portability;

/// <summary>
/// An import, started from the console (the node that received the file runs it) or by <c>hearth import</c>: its process
/// writes where it is every second or so, so that the page asking (on whichever node) shows its progress, then its
/// summary or what stopped it, and a run that falls silent is known to have stopped.
/// </summary>
public sealed class ImportJob
{
    public const string Uploading = "uploading";
    public const string Running = "running";
    public const string Succeeded = "done";
    public const string Failed = "failed";

    /// <summary>A run whose node has not written for this long has stopped with it (a crash, a restart).</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMinutes(2);

    public long Id { get; private set; }
    public long SiteId { get; init; }

    /// <summary>The name the run's staged rows go by, so that those of a run whose node died can be swept.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString();
    public required string Format { get; init; }

    /// <summary>The uploaded file's name as the browser gave it, for the person's eyes only.</summary>
    public required string FileName { get; init; }
    public long Bytes { get; set; }
    public bool DryRun { get; init; }
    public string Status { get; set; } = Running;
    public string Phase { get; set; } = "starting";
    public long Done { get; set; }
    public long Total { get; set; }

    /// <summary>The summary's lines, as <c>hearth import</c> prints them.</summary>
    public string? Summary { get; set; }
    public string? Error { get; set; }
    public long? StartedByUserId { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>The status as the page tells it: a run nobody has written to for a while stopped with its node.</summary>
    public string StatusAt(DateTime now) => Status is Uploading or Running && now - UpdatedAt > Silence ? "stopped" : Status;

    /// <summary>Whether the run still holds its site: one at a time per site, checked by the database's own index.</summary>
    public static bool Busy(string status) => status is Uploading or Running;
}

sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.ToTable("ImportJobs");
        builder.Property(j => j.Format).HasMaxLength(16);
        builder.Property(j => j.FileName).HasMaxLength(200);
        builder.Property(j => j.Status).HasMaxLength(16);
        builder.Property(j => j.Phase).HasMaxLength(64);
        builder.Property(j => j.Summary).HasMaxLength(4000);
        builder.Property(j => j.Error).HasMaxLength(1000);
        builder.Property(j => j.RunId).HasMaxLength(36);
        builder.HasIndex(j => new { j.SiteId, j.StartedAt });
        // One import going on per site, whichever node took it: a second insert fails here, on both engines.
        builder.HasIndex(j => j.SiteId).IsUnique().HasFilter("\"Status\" IN ('uploading', 'running')").HasDatabaseName("IX_ImportJobs_Going");
        builder.HasIndex(j => new { j.Status, j.UpdatedAt });
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(j => j.SiteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Identity.HearthUser>().WithMany().HasForeignKey(j => j.StartedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
