using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Identity;

/// <summary>
/// A site's user id (the token's sub) is kept as the provider key of Identity's login table, whose keys Identity sizes
/// at 128 characters; sites' ids (e-mail addresses, URLs, composite keys) can be longer, and the README promises 200.
/// </summary>
public sealed class SsoLogins : IEntityTypeConfiguration<IdentityUserLogin<long>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<long>> builder) =>
        builder.Property(l => l.ProviderKey).HasMaxLength(SsoToken.MaxSubjectLength);
}
