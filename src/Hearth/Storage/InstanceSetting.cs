using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Storage;

/// <summary>Instance-wide values that every node must agree on, such as the hashing key.</summary>
public sealed class InstanceSetting
{
    public required string Name { get; init; }
    public required string Value { get; set; }
}

sealed class InstanceSettingConfiguration : IEntityTypeConfiguration<InstanceSetting>
{
    public void Configure(EntityTypeBuilder<InstanceSetting> builder)
    {
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(100);
    }
}
