using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Storage;

/// <summary>Instance-wide values that every node must agree on, such as the hashing key.</summary>
public sealed class InstanceSetting
{
    public required string Name { get; init; }
    public required string Value { get; set; }

    /// <summary>
    /// Present once any site has been removed: a data folder whose last site was removed is not a new one, and the
    /// server must not plant the demo in it again.
    /// </summary>
    public const string SitesRemoved = "sites-removed";

    /// <summary>The trust thresholds people's levels were last set with (<see cref="People.TrustOptions.LevelThresholds"/>).</summary>
    public const string TrustThresholds = "people:trust-thresholds";
}

sealed class InstanceSettingConfiguration : IEntityTypeConfiguration<InstanceSetting>
{
    public void Configure(EntityTypeBuilder<InstanceSetting> builder)
    {
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(100);
    }
}
