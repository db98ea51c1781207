using Hearth.Notifications;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

public sealed record ParticipantsResponse(IReadOnlyList<ParticipantResponse> Participants);

/// <summary>Someone a mention can reach: the name the thread shows, how to mention it, and the picture the thread shows.</summary>
public sealed record ParticipantResponse(string Name, string Mention, string AvatarUrl);

/// <summary>
/// The people a comment box can suggest after "@": those who wrote published comments in the thread with an account,
/// who are the people a mention reaches (<see cref="Mentions"/>), found where a mention looks for them (the thread's
/// latest comments). It shows nothing the thread does not: names and pictures as its comments show them, no account
/// ids, nothing of a comment held, removed or hidden by a shadow ban. Served from the thread's page cache, so it is
/// dropped with the thread's pages on every write.
/// </summary>
public static class ThreadParticipants
{
    /// <summary>At most this many names in an answer; the widget shows fewer.</summary>
    public const int MaxAnswered = 20;

    public static async Task<IResult> GetAsync(HttpContext http, HearthDb db, ThreadPageCache cache, Live.IChangeBus bus, TimeProvider clock,
        string? url, string? identifier, string? q, CancellationToken ct)
    {
        var site = http.Site();
        var (address, field, error) = CommentInput.ReadAddress(url, identifier, site.Origins);
        if (address is not { } found)
        {
            return Problems.Invalid(field!, error!);
        }
        var typed = q ?? "";
        if (!Mentions.CouldStart(typed))
        {
            return Problems.Invalid("q", "q is the start of a name as it is mentioned: at most 80 letters, digits, _ . - or '.");
        }
        var thread = await StoreNewComment.ThreadByKey(db, site.Id, found.Key, ct);
        if (thread is null)
        {
            return TypedResults.Ok(new ParticipantsResponse([]));
        }
        // Nobody can write here, so there is no one to name: as posting answers, and before any cached list is sent.
        if (Moderation.ClosedThreadCheck.IsClosed(site, thread, clock.GetUtcNow().UtcDateTime))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, Moderation.ClosedThreadCheck.Code, Moderation.ClosedThreadCheck.Detail);
        }

        // One list per thread, whatever was typed: a cached answer per typed value would let anyone fill the page cache
        // (and push the thread pages out of it) by asking for made-up names.
        var threadKey = ThreadPageCache.ThreadKey(site.Id, found.Key);
        if (cache.TryGet(threadKey, Variant, out var page) && !await bus.IsCurrentAsync(threadKey, page.Seq))
        {
            // Another node acknowledged a write whose message has not reached this one yet.
            cache.Invalidate(threadKey);
            page = null;
        }
        // The thread's place in its log was read above, before its comments are: a write in between is seen as newer.
        page ??= await cache.GetOrBuildAsync(threadKey, Variant, async () => CachedPage.From(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(await ReadAsync(db, thread.Id), HearthJson.Default.ParticipantsResponse),
            threadId: thread.Id, seq: thread.EventSeq));
        var everyone = System.Text.Json.JsonSerializer.Deserialize(page.Json, HearthJson.Default.ParticipantsResponse)!.Participants;
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new ParticipantsResponse(Matching(everyone, typed)));
    }

    const string Variant = "participants";

    /// <summary>Those whose mention starts with what was typed, then those that only hold it, each newest first.</summary>
    static List<ParticipantResponse> Matching(IReadOnlyList<ParticipantResponse> everyone, string typed) =>
    [
        .. everyone.Where(p => p.Mention.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Concat(everyone.Where(p => !p.Mention.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                && p.Mention.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .Take(MaxAnswered),
    ];

    /// <summary>Everyone a mention can reach, newest first (by their latest comment).</summary>
    static async Task<ParticipantsResponse> ReadAsync(HearthDb db, long threadId)
    {
        // Not the request's token: other readers may be waiting on this build.
        var latest = await db.Comments.AsNoTracking()
            .Where(c => c.ThreadId == threadId && c.Status == CommentStatus.Published && c.Author.UserId != null)
            .OrderByDescending(c => c.Id)
            .Take(Mentions.LatestComments)
            .Select(c => new { UserId = c.Author.UserId!.Value, c.Author.Name, c.Author.Avatar, c.Author.Key })
            .ToListAsync(CancellationToken.None);
        var seen = new HashSet<long>();
        var everyone = new List<ParticipantResponse>();
        foreach (var c in latest)
        {
            if (seen.Add(c.UserId) && Mentions.FormOf(c.Name) is { } form)
            {
                everyone.Add(new ParticipantResponse(c.Name, form, CommentMapping.AvatarUrl(c.Avatar, c.Key)));
            }
        }
        return new ParticipantsResponse(everyone);
    }
}
