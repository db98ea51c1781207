using System.Collections.Concurrent;
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
/// members share, names nobody. The name is turned into the team member before the page is looked for in memory, from
/// the site's team names read at most once a <see cref="Freshness"/> per node: so the page's cache variant is that
/// member or nobody, and made-up names, however many, all share the page everyone else reads and cost no database work.
/// </remarks>
public sealed class PageAuthor(IServiceScopeFactory scopes, InstanceKey keys, TimeProvider clock)
{
    public const int MaxLength = 100;

    /// <summary>How long a node keeps a site's team names: a role given or a name changed shows within this.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    /// <summary>Team members read per site, at most: a site's team is a handful of people, and a read never reads more.</summary>
    const int TeamRead = 1000;

    /// <summary>A site's team names as of <paramref name="LoadedAt"/>: read once, by whichever read came first.</summary>
    sealed record Team(DateTime LoadedAt, Lazy<Task<Dictionary<string, string?>>> KeyByName);

    readonly ConcurrentDictionary<long, Team> _teams = new();

    /// <summary>The name as compared (trimmed; empty is none), or null.</summary>
    public static string? Named(string? author) => string.IsNullOrWhiteSpace(author) ? null : author.Trim();

    /// <summary>The person key of the member of the site's team writing under that name (case ignored), or null.</summary>
    public async ValueTask<string?> KeyAsync(long siteId, string name, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!_teams.TryGetValue(siteId, out var team) || now - team.LoadedAt >= Freshness)
        {
            // Reads that find the names missing or old at the same moment share one look-up.
            var fresh = new Team(now, new Lazy<Task<Dictionary<string, string?>>>(() => LoadAsync(siteId)));
            team = team is not null && _teams.TryUpdate(siteId, fresh, team) ? fresh : _teams.GetOrAdd(siteId, fresh);
        }
        try
        {
            return (await team.KeyByName.Value.WaitAsync(ct)).GetValueOrDefault(name);
        }
        catch when (team.KeyByName.Value.IsFaulted)
        {
            // A look-up that failed (the database away) is not kept: the next read tries again.
            _teams.TryRemove(new KeyValuePair<long, Team>(siteId, team));
            throw;
        }
    }

    /// <summary>Not the request's token: other reads wait on the same look-up.</summary>
    async Task<Dictionary<string, string?>> LoadAsync(long siteId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var members = await db.SiteMembers.AsNoTracking()
            .Where(m => m.SiteId == siteId && m.Role != null)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName })
            .OrderBy(t => t.Id).Take(TeamRead).ToListAsync(CancellationToken.None);
        var byName = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in members.Where(m => !string.IsNullOrWhiteSpace(m.DisplayName)))
        {
            var shown = member.DisplayName!.Trim();
            // Two members under one name: the name names nobody.
            byName[shown] = byName.ContainsKey(shown) ? null : ThreadLog.MemberActor(keys, member.Id);
        }
        return byName;
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
