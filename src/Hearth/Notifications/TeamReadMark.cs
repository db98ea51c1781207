using Hearth.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Notifications;

/// <summary>
/// How far a member of a site's team has read that site's comments in the team inbox: everything published after
/// <see cref="ReadThrough"/> is new to them. One row per person and site rather than one per comment and team member, so
/// a busy site writes nothing for its team as comments arrive.
/// </summary>
public sealed class TeamReadMark
{
    public long UserId { get; init; }
    public long SiteId { get; init; }
    public DateTime ReadThrough { get; set; }
}

sealed class TeamReadMarkConfiguration : IEntityTypeConfiguration<TeamReadMark>
{
    public void Configure(EntityTypeBuilder<TeamReadMark> builder)
    {
        builder.ToTable("TeamReadMarks");
        builder.HasKey(m => new { m.UserId, m.SiteId });
        builder.HasOne<HearthUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Cascade);
    }
}
