using Hearth.Conversations;
using Hearth.People;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Portability;

/// <summary>
/// A site's rows for an export, a page at a time in key order (keyset: each page starts after the last id of the one
/// before, so a page costs the same at the end of a large site as at its start, and rows written meanwhile neither
/// repeat nor shift the pages). Nothing is tracked: an export of a million comments holds one page of them.
/// </summary>
public static class ExportPages
{
    public const int Size = 500;

    public static async IAsyncEnumerable<CommentThread> ThreadsAsync(HearthDb db, long siteId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var after = 0L; ;)
        {
            var page = await db.Threads.AsNoTracking().Where(t => t.SiteId == siteId && t.Id > after)
                .OrderBy(t => t.Id).Take(Size).ToListAsync(ct);
            foreach (var thread in page)
            {
                yield return thread;
            }
            if (page.Count < Size)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    public static async IAsyncEnumerable<Comment> CommentsAsync(HearthDb db, long siteId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var after = 0L; ;)
        {
            var page = await db.Comments.AsNoTracking().Where(c => c.SiteId == siteId && c.Id > after)
                .OrderBy(c => c.Id).Take(Size).ToListAsync(ct);
            foreach (var comment in page)
            {
                yield return comment;
            }
            if (page.Count < Size)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    public static async IAsyncEnumerable<Person> PeopleAsync(HearthDb db, long siteId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var after = 0L; ;)
        {
            var page = await db.People.AsNoTracking().Where(p => p.SiteId == siteId && p.Id > after)
                .OrderBy(p => p.Id).Take(Size).ToListAsync(ct);
            foreach (var person in page)
            {
                yield return person;
            }
            if (page.Count < Size)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }
}
