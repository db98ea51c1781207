using Hearth.Conversations;
using Hearth.Sites;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>The one model of Hearth. Provider subclasses own their migrations.</summary>
public abstract class HearthDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<CommentThread> Threads => Set<CommentThread>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<ThreadEvent> ThreadEvents => Set<ThreadEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<InstanceSetting> InstanceSettings => Set<InstanceSetting>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HearthDb).Assembly,
            type => type.Namespace?.StartsWith("Hearth.", StringComparison.Ordinal) == true);
    }
}

public sealed class SqliteHearthDb(DbContextOptions<SqliteHearthDb> options) : HearthDb(options);
