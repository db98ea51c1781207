using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>Nobody may take a name that would pass for a moderator's, an owner's or an admin's.</summary>
public sealed class StaffNames(HearthDb db)
{
    public async Task<bool> WouldImpersonateAsync(string name, long? exceptUserId, CancellationToken ct)
    {
        var skeleton = NameSkeleton.Of(name);
        var staffIds = db.SiteMembers.Where(m => m.Role != null).Select(m => m.UserId);
        var query = db.Users.AsNoTracking().Where(u => u.IsAdmin || staffIds.Contains(u.Id));
        if (exceptUserId is { } self)
        {
            query = query.Where(u => u.Id != self);
        }
        var staff = await query.Select(u => u.DisplayName).ToListAsync(ct);
        return staff.Any(n => NameSkeleton.Of(n) == skeleton);
    }
}
