using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Live;

/// <summary>
/// What readers are sent for the events of the log: the comment as the public sees it now, never as it was when the
/// event was written. A comment that is not public now is at most said to be gone (its id alone), so words, names and
/// websites that left public view are never sent again, however far back a reader resumes.
/// </summary>
/// <summary>An event as readers get it, with its place in the thread's log.</summary>
public readonly record struct LiveItem(long Seq, SseItem<string> Item);

public static class PublicEvents
{
    /// <summary>The events of one read of the log, with every comment they name loaded in a single query.</summary>
    public static async Task<List<LiveItem>> RenderAsync(HearthDb db, MentionLinks mentions, long threadId, IReadOnlyList<ThreadEvent> events,
        CancellationToken ct)
    {
        var ids = events.Select(e => e.CommentId).Distinct().ToList();
        var comments = await db.Comments.AsNoTracking()
            .Where(c => c.ThreadId == threadId && ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, ct);
        // Mentions are linked as on the thread's pages, so a comment arriving live reads as it will after a reload.
        var linked = await mentions.ForAsync(comments.Values, ct);
        // A comment voted on fifty times in one batch is serialised once.
        var json = new Dictionary<long, string>();
        var items = new List<LiveItem>(events.Count);
        foreach (var e in events)
        {
            if (Render(e, comments.GetValueOrDefault(e.CommentId), linked, json) is { } item)
            {
                items.Add(new LiveItem(e.Seq, item));
            }
        }
        return items;
    }

    static SseItem<string>? Render(ThreadEvent e, Comment? comment, Dictionary<long, string> linked, Dictionary<long, string> json)
    {
        if (e.IsAboutThread)
        {
            // The stream speaks of comments only (comment.created, .updated, .deleted); a lock shows on the next read of the page.
            return null;
        }
        var eventId = e.Seq.ToString(CultureInfo.InvariantCulture);
        var shown = comment is { IsVisible: true };
        if (e.Type == ThreadEvent.Deleted)
        {
            // A tombstone keeps its place in the tree (without words or author); anything else is simply gone, even when
            // it came back later: that return has its own event further on.
            var data = shown && comment!.Status == CommentStatus.Deleted ? Json(comment, linked, json) : Gone(e.CommentId);
            return new SseItem<string>(data, ThreadEvent.Deleted) { EventId = eventId };
        }
        if (!shown)
        {
            // Held, rejected, shadow-banned or removed since: nothing to show, and its leaving has an event of its own.
            return null;
        }
        return new SseItem<string>(Json(comment!, linked, json), WireType(e.Type)) { EventId = eventId };
    }

    static string Json(Comment comment, Dictionary<long, string> linked, Dictionary<long, string> cache)
    {
        if (!cache.TryGetValue(comment.Id, out var text))
        {
            var response = linked.TryGetValue(comment.Id, out var html) ? comment.ToResponse() with { Html = html } : comment.ToResponse();
            cache[comment.Id] = text = JsonSerializer.Serialize(response, HearthJson.Default.CommentResponse);
        }
        return text;
    }

    static string Gone(long commentId) => $$"""{"id":{{commentId.ToString(CultureInfo.InvariantCulture)}},"removed":true}""";

    /// <summary>A vote changes a comment's score, which readers see as an update.</summary>
    static string WireType(string type) => type == ThreadEvent.Voted ? ThreadEvent.Updated : type;
}
