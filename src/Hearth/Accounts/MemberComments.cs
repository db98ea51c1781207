using Hearth.Conversations;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>One person, one face: when someone changes their name, website or picture, their earlier comments follow.</summary>
public static class MemberComments
{
    public static async Task RefreshAuthorAsync(HearthDb db, ThreadChanges changes, long userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
        var url = avatar?.Url;
        await db.Comments.Where(c => c.Author.UserId == userId).ExecuteUpdateAsync(c => c
            .SetProperty(x => x.Author.Name, user.DisplayName)
            .SetProperty(x => x.Author.Website, user.Website)
            .SetProperty(x => x.Author.Avatar, url), ct);
        var threads = await db.Comments.Where(c => c.Author.UserId == userId)
            .Join(db.Threads, c => c.ThreadId, t => t.Id, (_, t) => new { t.SiteId, t.Key }).Distinct().ToListAsync(ct);
        foreach (var thread in threads)
        {
            changes.Changed(ThreadPageCache.ThreadKey(thread.SiteId, thread.Key));
        }
    }
}
