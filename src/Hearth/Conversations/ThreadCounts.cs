using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>How many comments each of a list page's threads has, in one query.</summary>
public sealed class ThreadCounts(HearthDb db)
{
    public const int MaxThreads = 100;

    public async Task<CountsResponse> RunAsync(long siteId, IReadOnlyList<string> threads, CancellationToken ct)
    {
        // A parameter is a page URL when it parses as one, and an identifier otherwise.
        var keys = threads.Distinct().ToDictionary(t => t, t => ThreadAddress.NormalizeUrl(t) is { } url
            ? new ThreadAddress(url, null).Key
            : new ThreadAddress("", ThreadAddress.NormalizeIdentifier(t) ?? t).Key);
        var wanted = keys.Values.Distinct().ToList();
        var found = await db.Threads.AsNoTracking()
            .Where(t => t.SiteId == siteId && wanted.Contains(t.Key))
            .Select(t => new { t.Key, t.CommentCount })
            .ToDictionaryAsync(t => t.Key, t => t.CommentCount, ct);
        return new CountsResponse(keys.ToDictionary(k => k.Key, k => found.GetValueOrDefault(k.Value)));
    }
}
