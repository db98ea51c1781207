using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// What the filter learned from a comment: the side, and the very tokens it counted, so a changed decision takes
/// back exactly those even if the comment was edited in between.
/// </summary>
public sealed class SpamLabel
{
    public long CommentId { get; init; }
    public long SiteId { get; init; }
    public bool Spam { get; set; }

    /// <summary>Space-separated (no token contains a space).</summary>
    public string Tokens { get; set; } = "";
    public DateTime At { get; set; }

    public IReadOnlyCollection<string> TokenList => Tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

sealed class SpamLabelConfiguration : IEntityTypeConfiguration<SpamLabel>
{
    public void Configure(EntityTypeBuilder<SpamLabel> builder)
    {
        builder.ToTable("SpamLabels");
        builder.HasKey(l => l.CommentId);
        builder.Ignore(l => l.TokenList);
        builder.HasOne<Comment>().WithOne().HasForeignKey<SpamLabel>(l => l.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}
