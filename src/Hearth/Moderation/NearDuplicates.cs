using System.Security.Cryptography;
using System.Text;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// The same words posted across many pages, or under many names, within a day: a spam run, held for a moderator.
/// "The same" is the same distinct words in any order, or, for comments of eight words or more, nearly the same
/// sequence of words (a few changed, added or dropped: see <see cref="SimilarWords"/>). Short comments ("Thank you!")
/// are said alike by many people and are left alone.
/// </summary>
public sealed class NearDuplicates(HearthDb db) : ICommentCheck
{
    const int MinimumWords = 5;
    const int Repeats = 2;
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>Null for a comment too short to judge this way.</summary>
    public static string? Hash(string source)
    {
        var words = WordList.Words(source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return words.Count < MinimumWords ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', words))));
    }

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var hash = draft.Body.WordsHash;
        var bands = draft.Body.Fingerprint;
        if (hash is null && bands is null)
        {
            return null;
        }
        var since = draft.Now - Window;
        var siteId = draft.Site.Id;
        // The day's comments that share a band, counted here: a handful of rows, cheaper than grouping in SQL.
        var shared = bands is null
            ? []
            : await db.Set<SimilarityBand>().AsNoTracking()
                .Where(b => b.SiteId == siteId && bands.Contains(b.Hash) && b.CreatedAt >= since)
                // Newest first, so a flood of old look-alikes cannot push the latest out of the limit, and the same
                // rows are read every time.
                .OrderByDescending(b => b.CommentId)
                .Select(b => b.CommentId)
                .Take(5000)
                .ToListAsync(ct);
        var similar = shared.CountBy(id => id).Where(c => c.Value >= SimilarWords.SharedBandsForSame).Select(c => c.Key).Take(100).ToList();
        // Two lookups, each by its own index: one query with an OR between them would read the site's whole day.
        var earlier = hash is null
            ? []
            : await db.Comments.AsNoTracking()
                .Where(c => c.SiteId == siteId && c.WordsHash == hash && c.CreatedAt >= since && c.Status != CommentStatus.Deleted)
                .OrderByDescending(c => c.Id)
                .Select(c => new { c.Id, c.ThreadId, c.Author.Key })
                .Take(100)
                .ToListAsync(ct);
        if (similar.Count > 0)
        {
            earlier.AddRange(await db.Comments.AsNoTracking()
                .Where(c => similar.Contains(c.Id) && c.Status != CommentStatus.Deleted)
                .Select(c => new { c.Id, c.ThreadId, c.Author.Key })
                .ToListAsync(ct));
        }
        var threadId = draft.Thread?.Id;
        var key = draft.Author.Key;
        var pages = earlier.Where(c => c.ThreadId != threadId).Select(c => c.ThreadId).Distinct().Count();
        var names = earlier.Where(c => c.Key != key).Select(c => c.Key).Distinct().Count();
        if (pages >= Repeats)
        {
            return new Hold("duplicate", $"The same or nearly the same words were posted on {pages} other pages in the last day.");
        }
        return names >= Repeats ? new Hold("duplicate", $"The same or nearly the same words were posted under {names} other names in the last day.") : null;
    }
}
