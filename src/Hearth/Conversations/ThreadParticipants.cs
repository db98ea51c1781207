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

        var threadKey = ThreadPageCache.ThreadKey(site.Id, found.Key);
        var variant = "participants|" + typed.ToLowerInvariant();
        if (cache.TryGet(threadKey, variant, out var page) && !await bus.IsCurrentAsync(threadKey, page.Seq))
        {
            // Another node acknowledged a write whose message has not reached this one yet.
            cache.Invalidate(threadKey);
            page = null;
        }
        // The thread's place in its log was read above, before its comments are: a write in between is seen as newer.
        page ??= await cache.GetOrBuildAsync(threadKey, variant, async () => CachedPage.From(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(await ReadAsync(db, thread.Id, typed), HearthJson.Default.ParticipantsResponse),
            threadId: thread.Id, seq: thread.EventSeq));
        return new CachedJsonResult(page);
    }

    /// <summary>Newest first (by their latest comment), those whose mention starts with what was typed before those that only hold it.</summary>
    static async Task<ParticipantsResponse> ReadAsync(HearthDb db, long threadId, string typed)
    {
        // Not the request's token: other readers may be waiting on this build.
        var latest = await db.Comments.AsNoTracking()
            .Where(c => c.ThreadId == threadId && c.Status == CommentStatus.Published && c.Author.UserId != null)
            .OrderByDescending(c => c.Id)
            .Take(Mentions.LatestComments)
            .Select(c => new { UserId = c.Author.UserId!.Value, c.Author.Name, c.Author.Avatar, c.Author.Key })
            .ToListAsync(CancellationToken.None);
        var seen = new HashSet<long>();
        var starting = new List<ParticipantResponse>();
        var holding = new List<ParticipantResponse>();
        foreach (var c in latest)
        {
            if (!seen.Add(c.UserId) || Mentions.FormOf(c.Name) is not { } form)
            {
                continue;
            }
            var participant = new ParticipantResponse(c.Name, form, CommentMapping.AvatarUrl(c.Avatar, c.Key));
            if (form.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            {
                starting.Add(participant);
            }
            else if (form.Contains(typed, StringComparison.OrdinalIgnoreCase))
            {
                holding.Add(participant);
            }
        }
        return new ParticipantsResponse([.. starting.Concat(holding).Take(MaxAnswered)]);
    }
}
