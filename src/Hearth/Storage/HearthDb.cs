using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>The one model of Hearth. Provider subclasses own their migrations.</summary>
public abstract class HearthDb(DbContextOptions options) : IdentityUserContext<HearthUser, long>(options), IDataProtectionKeyContext
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<CommentThread> Threads => Set<CommentThread>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<ThreadEvent> ThreadEvents => Set<ThreadEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<InstanceSetting> InstanceSettings => Set<InstanceSetting>();
    public DbSet<SiteMember> SiteMembers => Set<SiteMember>();
    public DbSet<MemberSession> MemberSessions => Set<MemberSession>();
    public DbSet<Avatars.UploadedAvatar> UploadedAvatars => Set<Avatars.UploadedAvatar>();
    public DbSet<Moderation.AuditEntry> AuditLog => Set<Moderation.AuditEntry>();
    public DbSet<Moderation.Ban> Bans => Set<Moderation.Ban>();
    public DbSet<Moderation.CommentReport> Reports => Set<Moderation.CommentReport>();
    public DbSet<People.Person> People => Set<People.Person>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Notifications.Follow> Follows => Set<Notifications.Follow>();
    public DbSet<Notifications.CommentMention> CommentMentions => Set<Notifications.CommentMention>();
    public DbSet<Portability.ImportRow> ImportRows => Set<Portability.ImportRow>();
    public DbSet<Analytics.PageView> PageViews => Set<Analytics.PageView>();
    public DbSet<Analytics.WidgetOrigin> WidgetOrigins => Set<Analytics.WidgetOrigin>();
    public DbSet<Sites.TeamInvite> TeamInvites => Set<Sites.TeamInvite>();
    public DbSet<Portability.ImportJob> ImportJobs => Set<Portability.ImportJob>();

    /// <summary>The keys behind cookies, e-mail links and the stored SSO secrets, shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Threads whose log this context moved, with their last place: told to every node once the transaction commits.</summary>
    internal Dictionary<long, ThreadMove> LogMoves { get; } = [];

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Identity's tables, in the schema version IdentitySetup.SchemaVersion names (version 3 has passkeys).
        base.OnModelCreating(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.GetTableName()?.StartsWith("AspNet", StringComparison.Ordinal) == true))
        {
            entity.SetTableName(entity.GetTableName()!["AspNet".Length..]);
        }
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HearthDb).Assembly,
            type => type.Namespace?.StartsWith("Hearth.", StringComparison.Ordinal) == true);
    }
}

public sealed class SqliteHearthDb(DbContextOptions<SqliteHearthDb> options) : HearthDb(options);

/// <summary>The same model on PostgreSQL (Hearth:Database); its migrations are in Storage/Migrations/Postgres.</summary>
public sealed class PostgresHearthDb(DbContextOptions<PostgresHearthDb> options) : HearthDb(options);
