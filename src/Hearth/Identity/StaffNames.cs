using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>Nobody may take a name that would pass for a moderator's, an owner's or an admin's.</summary>
public sealed class StaffNames(HearthDb db)
{
    /// <summary>An account's name is seen on every site: it may pass for nobody on any site's team, nor an admin.</summary>
    public Task<bool> WouldImpersonateAsync(string name, long? exceptUserId, CancellationToken ct) =>
        WouldImpersonateAsync(name, null, exceptUserId, ct);

    /// <summary>A guest's name, or the name a site gives the people it signs in, is seen on that site only: its team and the admins.</summary>
    public Task<bool> WouldImpersonateOnSiteAsync(string name, long siteId, long? exceptUserId, CancellationToken ct) =>
        WouldImpersonateAsync(name, siteId, exceptUserId, ct);

    async Task<bool> WouldImpersonateAsync(string name, long? siteId, long? exceptUserId, CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var staff in TeamNames(db, siteId, exceptUserId ?? 0).WithCancellation(ct))
        {
            names.Add(staff);
        }
        if (names.Count == 0)
        {
            return false;
        }
        var keys = NameSkeleton.KeysOf(name);
        return names.Any(staff => KeysOfStaff(staff).Any(key => keys.Contains(key)));
    }

    /// <summary>
    /// The names of a site's team (or of every site's, without one) and of the admins. Guests ask on every comment: the
    /// team is found by the site's key and the admins by their own small index, so the people a site signs in (users
    /// too, possibly very many) are never scanned. Compiled once: translating it cost more than running it.
    /// </summary>
    static readonly Func<HearthDb, long?, long, IAsyncEnumerable<string>> TeamNames = EF.CompileAsyncQuery(
        (HearthDb db, long? siteId, long exceptUserId) => db.Users.AsNoTracking()
            .Where(u => db.SiteMembers.Where(m => m.Role != null && (siteId == null || m.SiteId == siteId)).Select(m => m.UserId)
                .Concat(db.Users.Where(admin => admin.IsAdmin).Select(admin => admin.Id))
                .Contains(u.Id) && u.Id != exceptUserId)
            .Select(u => u.DisplayName));

    /// <summary>
    /// A team's names change seldom and are compared on every guest's post, so their look-alike keys are worked out
    /// once per name. Bounded: a name nobody has any more costs a slot until the next clear.
    /// </summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> StaffKeys = new(StringComparer.Ordinal);

    static IReadOnlyList<string> KeysOfStaff(string name)
    {
        if (StaffKeys.TryGetValue(name, out var keys))
        {
            return keys;
        }
        if (StaffKeys.Count >= 4096)
        {
            StaffKeys.Clear();
        }
        return StaffKeys[name] = NameSkeleton.KeysOf(name);
    }
}
