using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// The page's author, as the page's own snippet names them (<c>data-author</c>, sent as the thread read's
/// <c>author</c>): a member of the site's team (an owner or a moderator) by the name they write under. Their comments
/// on that page carry the "author" badge, last year's as well as today's, because it is put on when the page is read.
/// </summary>
/// <remarks>
/// Nothing is stored: a read names the author for itself. A made-up name in a read made by hand changes only the
/// answer to that read, while every reader of the real page sees what its snippet says; and only the site's team can
/// be named, so nobody can dress a stranger as the author. A name that is nobody's on the team, or that two of its
/// members share, names nobody. Looked up when the page is built, so a cached read costs nothing more (the name is part
/// of the page's cache variant).
/// </remarks>
public static class PageAuthor
{
    public const int MaxLength = 100;

    /// <summary>Team members compared, at most: a site's team is a handful of people, and a read never reads more.</summary>
    const int TeamRead = 1000;

    /// <summary>The name as compared (trimmed; empty is none), or null.</summary>
    public static string? Named(string? author) => string.IsNullOrWhiteSpace(author) ? null : author.Trim();

    /// <summary>The person key of the team member of the site writing under that name, or null.</summary>
    public static async Task<string?> KeyAsync(HearthDb db, InstanceKey keys, long siteId, string name, CancellationToken ct)
    {
        var team = await db.SiteMembers.AsNoTracking()
            .Where(m => m.SiteId == siteId && m.Role != null)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName })
            .OrderBy(t => t.Id).Take(TeamRead).ToListAsync(ct);
        var named = team.Where(t => string.Equals(t.DisplayName?.Trim(), name, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return named.Count == 1 ? ThreadLog.MemberActor(keys, named[0].Id) : null;
    }

    /// <summary>Puts "author" on the comments of the page written by <paramref name="key"/>, in place.</summary>
    public static void Mark(List<CommentResponse> page, IReadOnlyList<string?> authorKeys, string key)
    {
        for (var i = 0; i < page.Count; i++)
        {
            if (authorKeys[i] == key && page[i].Author is { } author && !author.Badges.Contains(RoleBadges.Author))
            {
                page[i] = page[i] with { Author = author with { Badges = [RoleBadges.Author, .. author.Badges] } };
            }
        }
    }
}
