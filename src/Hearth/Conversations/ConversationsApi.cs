using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder site)
    {
        site.MapGet("/thread", GetThread)
            .WithSummary("A page of a thread: top-level comments in the chosen order, each followed by its first 100 replies (moreReplies: true on a comment with more; replies=ID&after=LAST gives its next ones). view=1 on a first page counts one page view for the dashboard (a count per page and day, nothing about the reader; not counted with DNT: 1 or Sec-GPC: 1).")
            .Produces<ThreadPageResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        site.MapGet("/thread/participants", ThreadParticipants.GetAsync)
            .WithSummary("Who can be mentioned in a thread (url, identifier, q: what was typed after @): up to 20 names, newest first.")
            .Produces<ParticipantsResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var writes = site.MapGroup("/comments").RequireRateLimiting(RateLimits.CommentWrites).AddEndpointFilter<RetryAfterHeader>();
        writes.MapPost("", PostComment).WithSummary("Post a comment or a reply: as a guest (author in the body) or as a signed-in member (Authorization: Bearer).");
        writes.MapPatch("/{id:long}", EditComment).WithSummary("Edit your comment within the edit window (X-Edit-Token).");
        writes.MapDelete("/{id:long}", DeleteComment).WithSummary("Delete your comment within the edit window (X-Edit-Token).");

        site.MapPost("/comments/mine", (HttpContext http, OwnCommentsRequest request, OwnHeldComments flow, CancellationToken ct) =>
                flow.RunAsync(http.Site(), request, ct))
            .RequireRateLimiting(RateLimits.Previews)
            .WithSummary("Your own comments readers do not see yet, by id and edit token, as you were told when posting them.");

        site.MapPost("/comments/{id:long}/vote", Vote)
            .RequireRateLimiting(RateLimits.Votes)
            .WithSummary("Vote a comment up (1) or down (-1), or take the vote back (0).");

        site.MapPost("/comments/{id:long}/report", Report)
            .RequireRateLimiting(RateLimits.Reports)
            .WithSummary("Report a comment with a reason; enough different readers take it down until a moderator looks.");

        site.MapGet("/counts", Counts)
            .WithSummary("Comment counts of many threads at once: repeat thread=URL-or-identifier (at most 100).");
        site.MapPost("/preview", Preview)
            .RequireRateLimiting(RateLimits.Previews)
            .WithSummary("Render Markdown exactly as a posted comment would be, without storing anything.");
        return site;
    }

    static async Task<IResult> GetThread(HttpContext http, ThreadPageCache cache, Live.IChangeBus bus, InstanceKey keys, IOptions<HearthOptions> options,
        string? url, string? identifier, string? sort, string? cursor, int? limit, string? author, string? view, long? replies,
        [FromQuery(Name = "after")] long? afterReply, [FromQuery(Name = "at")] DateTime? afterAt)
    {
        var site = http.Site();
        var (address, field, error) = CommentInput.ReadAddress(url, identifier, site.Origins);
        if (address is null)
        {
            return Problems.Invalid(field!, error!);
        }
        if (!ThreadCursor.TryParseSort(sort, out var order))
        {
            return Problems.Invalid("sort", "sort must be best, oldest or newest.");
        }
        var pageSize = limit ?? options.Value.PageSize;
        if (pageSize is < 1 or > 200)
        {
            return Problems.Invalid("limit", "limit must be between 1 and 200.");
        }
        var pageAuthor = People.PageAuthor.Named(author);
        if (pageAuthor is { Length: > People.PageAuthor.MaxLength })
        {
            return Problems.Invalid("author", $"author (the page's author, as the snippet names them) must be at most {People.PageAuthor.MaxLength} characters.");
        }
        if (replies is not null || afterReply is not null)
        {
            return await MoreRepliesAsync(http, site.Id, address.Value, replies, afterReply, afterAt, pageAuthor);
        }
        var threadKey = ThreadPageCache.ThreadKey(site.Id, address.Value.Key);
        if (!ThreadCursor.TryDecode(keys, threadKey, order, pageSize, cursor, out var after))
        {
            return Problems.Invalid("cursor", "The cursor is not one this thread handed out for this sort and limit.");
        }

        // The badges' window: a badge earned through a write to another thread reaches this page within EarnedBadges.Lag.
        var window = People.EarnedBadges.Window(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        var authorKey = pageAuthor is null ? null
            : await http.RequestServices.GetRequiredService<People.PageAuthor>().KeyAsync(site.Id, pageAuthor, http.RequestAborted);
        var variant = $"{order}|{cursor}|{pageSize}|{window}|{authorKey}";
        if (cache.TryGet(threadKey, variant, out var page) && !await bus.IsCurrentAsync(threadKey, page.Seq))
        {
            // Another node acknowledged a write whose message has not reached this one yet.
            cache.Invalidate(threadKey);
            page = null;
        }
        if (page is null)
        {
            var reader = http.RequestServices.GetRequiredService<ReadThread>();
            // Not the request's token: other readers may be waiting on this build.
            page = await cache.GetOrBuildAsync(threadKey, variant, async () =>
            {
                var response = await reader.RunAsync(site.Id, address.Value, order, after, pageSize, CancellationToken.None, authorKey);
                return CachedPage.From(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(response, HearthJson.Default.ThreadPageResponse),
                    forMissingThread: response.Thread.Id is null, threadId: response.Thread.Id, seq: response.LastEventId);
            });
        }
        if (view == "1" && cursor is null && !Analytics.PageViewConsent.Declined(http.Request.Headers))
        {
            // A page with a thread gets its own count; any other address only adds to the site's, so that addresses
            // made up by the thousand leave no rows behind.
            var origin = http.Request.Headers.Origin.ToString();
            http.RequestServices.GetRequiredService<Analytics.ViewCounter>().Count(site.Id, page.ThreadId is null ? null : address.Value.Key,
                Sites.SiteOrigin.TryNormalize(origin, out var seen) && site.Origins.Contains(seen) ? seen : null, http.IpHash());
        }
        return new CachedJsonResult(page);
    }

    /// <summary>
    /// The next replies under a top-level comment whose page carried only its first ones: read afresh (never cached), a
    /// page's share at a time, so each answer costs what a page does.
    /// </summary>
    static async Task<IResult> MoreRepliesAsync(HttpContext http, long siteId, ThreadAddress address, long? root, long? after, DateTime? at,
        string? pageAuthor)
    {
        if (root is null || after is null)
        {
            return Problems.Invalid(root is null ? "replies" : "after",
                "Give replies (a top-level comment's id) and after (the id of the last of its replies you have) together.");
        }
        var authorKey = pageAuthor is null ? null
            : await http.RequestServices.GetRequiredService<People.PageAuthor>().KeyAsync(siteId, pageAuthor, http.RequestAborted);
        var reader = http.RequestServices.GetRequiredService<ReadThread>();
        var page = await reader.RepliesAsync(siteId, address, root.Value, after.Value, at?.ToUniversalTime(), http.RequestAborted, authorKey);
        return page is null ? Problems.CommentNotFound() : TypedResults.Json(page, HearthJson.Default.ThreadPageResponse);
    }

    static async Task<Results<Ok<CountsResponse>, ValidationProblem>> Counts(HttpContext http, ThreadCounts counts,
        [FromQuery(Name = "thread")] string[]? threads, CancellationToken ct)
    {
        if (threads is not { Length: > 0 } || threads.Length > ThreadCounts.MaxThreads)
        {
            return Problems.Invalid("thread", $"Give 1 to {ThreadCounts.MaxThreads} thread parameters (page URLs or identifiers).");
        }
        return TypedResults.Ok(await counts.RunAsync(http.Site().Id, threads, ct));
    }

    static Results<Ok<PreviewResponse>, ValidationProblem> Preview(EditCommentRequest request, MarkdownRenderer markdown)
    {
        if (CommentInput.CheckBody(request.Body) is { } error)
        {
            return Problems.Invalid("body", error);
        }
        var body = markdown.Render(request.Body!);
        return body.Refusal is { } refusal ? Problems.Invalid("body", refusal) : TypedResults.Ok(new PreviewResponse(body.Html));
    }

    static async Task<Results<Created<CommentResponse>, Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> PostComment(
        HttpContext http, PostCommentRequest request, PostComment flow,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return await flow.RunAsync(http.Site(), request, member, http.IpHash(), idempotencyKey, ct);
    }

    static Task<Results<Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> EditComment(
        HttpContext http, long id, EditCommentRequest request, EditComment flow,
        [FromHeader(Name = EditTokens.Header)] string? editToken, CancellationToken ct) =>
        flow.RunAsync(http.Site(), id, request, editToken, http.IpHash(), ct);

    static Task<Results<NoContent, ProblemHttpResult>> DeleteComment(
        HttpContext http, long id, DeleteComment flow,
        [FromHeader(Name = EditTokens.Header)] string? editToken, CancellationToken ct) =>
        flow.RunAsync(http.Site(), id, editToken, ct);

    static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Report(
        HttpContext http, long id, Moderation.ReportRequest request, Moderation.ReportComment flow, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return await flow.RunAsync(http.Site(), id, request, member is null ? http.IpHash() : $"member:{member.UserId}", ct);
    }

    /// <summary>A member votes as themselves on any device; a guest as their (hashed) address.</summary>
    static async Task<Results<Ok<VoteResponse>, ValidationProblem, ProblemHttpResult>> Vote(
        HttpContext http, long id, VoteRequest request, VoteOnComment flow, CancellationToken ct)
    {
        var (member, refusal) = await http.MemberAsync(ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return await flow.RunAsync(http.Site(), id, request, member is null ? http.IpHash() : $"member:{member.UserId}", ct);
    }
}
