using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

/// <summary>
/// Posting a comment, top to bottom: check the input, render it, then in one transaction replay an earlier answer
/// to the same Idempotency-Key, find or create the thread, check the parent, return a twin instead of storing it,
/// store the comment, count it and log the event; finally drop the thread's cached pages.
/// </summary>
public sealed class PostComment(
    HearthDb db,
    WriteGate gate,
    MarkdownRenderer markdown,
    InstanceKey keys,
    ThreadChanges changes,
    IReadOnlyList<Moderation.ICommentCheck> checks,
    Moderation.PostingRateCheck pace,
    TimeProvider clock,
    IOptions<HearthOptions> options)
{
    public async Task<Results<Created<CommentResponse>, Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        Site site, PostCommentRequest request, Member? member, string ipHash, string? idempotencyKey, CancellationToken ct)
    {
        var (input, field, error) = CommentInput.From(request, site.Origins, asGuest: member is null);
        if (input is null)
        {
            return Problems.Invalid(field!, error!);
        }
        if (idempotencyKey is { Length: 0 or > 128 })
        {
            return Problems.Invalid("Idempotency-Key", "The Idempotency-Key header must be 1 to 128 characters.");
        }
        var body = markdown.Render(input.Body);
        if (body.Problem is { } unfit)
        {
            return Problems.Invalid("body", unfit);
        }
        var author = member is null ? GuestAuthor(input.Author!) : MemberAuthor(member);
        var requestHash = idempotencyKey is null ? null : HashRequest(request, member);
        var settings = options.Value;

        // Pace first, outside the write lock: a flood is turned away before it queues for the database. A refused
        // retry of a post that was stored (same Idempotency-Key) is let through, to get its first answer again; only
        // then is that looked up, so an ordinary post pays nothing for it.
        var now = clock.GetUtcNow().UtcDateTime;
        var key = input.Address.Key;
        if (await pace.RunAsync(new Moderation.CommentDraft(site, null, key, author, member, body, ipHash, now), ct) is Moderation.Refuse tooFast
            && !(idempotencyKey is not null && await db.IdempotencyRecords.AsNoTracking()
                .AnyAsync(r => r.SiteId == site.Id && r.Key == idempotencyKey && r.CreatedAt > now - settings.IdempotencyWindow, ct)))
        {
            return Problems.RetryLater(tooFast.Code, tooFast.Detail, tooFast.RetryAfter!.Value);
        }

        using var turn = await gate.EnterAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        now = clock.GetUtcNow().UtcDateTime;

        if (idempotencyKey is not null)
        {
            var earlier = await db.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Key == idempotencyKey && r.CreatedAt > now - settings.IdempotencyWindow, ct);
            if (earlier is not null)
            {
                return await ReplayAsync(earlier, requestHash!, site, ct);
            }
        }

        var thread = await db.Threads.FirstOrDefaultAsync(t => t.SiteId == site.Id && t.Key == key, ct);
        Comment? parent = null;
        if (input.ParentId is { } parentId)
        {
            parent = thread is null ? null : await db.Comments.AsNoTracking()
                .FirstOrDefaultAsync(c => c.Id == parentId && c.ThreadId == thread.Id, ct);
            if (parent is null)
            {
                return Problems.Invalid("parentId", "parentId must be the id of a comment in this thread.");
            }
            if (parent.Status != CommentStatus.Published)
            {
                return Problems.Invalid("parentId", "That comment cannot be answered: it is deleted or not yet published.");
            }
        }

        if (thread is not null)
        {
            var since = now - settings.DuplicateWindow;
            var twin = await db.Comments.AsNoTracking()
                .Where(c => c.ThreadId == thread.Id && c.BodyHash == body.Hash && c.Author.Key == author.Key
                    && c.CreatedAt >= since && c.Status != CommentStatus.Deleted)
                .OrderBy(c => c.Id)
                .FirstOrDefaultAsync(ct);
            if (twin is not null)
            {
                // The words are the ones just sent; the status is what the author was told the first time.
                var existing = twin.ToResponse() with { Status = twin.StatusForAuthor() };
                await RememberAsync(site, idempotencyKey, requestHash, StatusCodes.Status200OK, twin.Id, now, ct);
                await transaction.CommitAsync(ct);
                return TypedResults.Ok(existing);
            }
        }

        var verdict = await ModerateAsync(new Moderation.CommentDraft(site, thread, key, author, member, body, ipHash, now), ct);
        if (verdict is Moderation.Refuse refusal)
        {
            return refusal.RetryAfter is { } wait
                ? Problems.RetryLater(refusal.Code, refusal.Detail, wait)
                : Problems.Of(refusal.Status, refusal.Code, refusal.Detail);
        }
        var hold = verdict as Moderation.Hold;

        if (thread is null)
        {
            thread = new CommentThread
            {
                SiteId = site.Id,
                Key = key,
                Url = input.Address.Url,
                Identifier = input.Address.Identifier,
                Title = input.Title,
                CreatedAt = now,
            };
            db.Threads.Add(thread);
            await db.SaveChangesAsync(ct);
        }
        else if (thread.Title is null && input.Title is not null)
        {
            thread.Title = input.Title;
        }

        var comment = Comment.Create(thread, parent, author, body, hold?.Status ?? CommentStatus.Published, hold?.Reason, hold?.Detail, ipHash, now,
            settings.MaxReplyDepth);
        db.Comments.Add(comment);
        if (comment.Status == CommentStatus.Published)
        {
            thread.CommentCount++;
        }
        await db.SaveChangesAsync(ct);

        var response = comment.ToResponse() with
        {
            // Whatever held it, the writer sees the same neutral state: a spammer learns nothing about the rules.
            Status = comment.Status == CommentStatus.Published || hold is { Silent: true } ? CommentStatus.Published.ToWire() : CommentStatus.Pending.ToWire(),
            // The comment answered was just checked to be published, so its author can be named at once.
            ReplyTo = comment.ReplyToId is { } answered ? new ReplyToResponse(answered, parent!.Author.Name) : null,
            EditToken = EditTokens.For(keys, comment.Id),
            EditableUntil = comment.CreatedAt + settings.EditWindow,
        };
        db.ThreadEvents.Add(ThreadEvents.For(comment, ThreadEvent.Created, now));
        await RememberAsync(site, idempotencyKey, requestHash, StatusCodes.Status201Created, comment.Id, now, ct);
        await db.SaveChangesAsync(ct);
        await Moderation.SimilarityBand.StoreAsync(db, comment, body, ct);
        await transaction.CommitAsync(ct);

        changes.Changed(ThreadPageCache.ThreadKey(site.Id, key));
        return TypedResults.Created($"/api/v1/sites/{site.Name}/comments/{comment.Id}", response);
    }

    /// <summary>The checks in their order; the first that has something to say decides.</summary>
    async Task<Moderation.CheckOutcome?> ModerateAsync(Moderation.CommentDraft draft, CancellationToken ct)
    {
        foreach (var check in checks)
        {
            if (await check.RunAsync(draft, ct) is { } outcome)
            {
                return outcome;
            }
        }
        return null;
    }

    CommentAuthor GuestAuthor(GuestInput guest) => new()
    {
        Kind = AuthorKind.Guest,
        Name = guest.Name,
        Email = guest.Email,
        Website = guest.Website,
        Key = keys.Hash("author", "guest\n" + guest.Name.ToLowerInvariant() + "\n" + guest.Email),
    };

    /// <summary>A member's name and badges are copied into the comment as they are now, like a signature.</summary>
    CommentAuthor MemberAuthor(Member member) => new()
    {
        Kind = AuthorKind.Member,
        UserId = member.UserId,
        Name = member.Name,
        Website = member.Website,
        Avatar = member.Avatar,
        Badges = member.Badges.Count == 0 ? null : string.Join(' ', member.Badges),
        Key = keys.Hash("author", "member\n" + member.UserId),
    };

    async Task RememberAsync(Site site, string? idempotencyKey, string? requestHash, int status, long commentId,
        DateTime now, CancellationToken ct)
    {
        if (idempotencyKey is null)
        {
            return;
        }
        // An expired record with the same key makes way for the new one.
        await db.IdempotencyRecords.Where(r => r.SiteId == site.Id && r.Key == idempotencyKey).ExecuteDeleteAsync(ct);
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            SiteId = site.Id,
            Key = idempotencyKey,
            RequestHash = requestHash!,
            StatusCode = status,
            CommentId = commentId,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The first answer again, with the comment as it is now: an edit shows, and a comment its author deleted or a
    /// moderator rejected is not handed back (410), so a retry never brings back words that left.
    /// </summary>
    async Task<Results<Created<CommentResponse>, Ok<CommentResponse>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        IdempotencyRecord earlier, string requestHash, Site site, CancellationToken ct)
    {
        if (earlier.RequestHash != requestHash)
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request.");
        }
        var comment = earlier.CommentId is { } id
            ? await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.SiteId == site.Id, ct)
            : null;
        if (comment?.ForAuthor() is not { } response)
        {
            return Problems.Of(StatusCodes.Status410Gone, "comment_removed",
                "The comment this request created has since been deleted or removed by a moderator.");
        }
        if (earlier.StatusCode != StatusCodes.Status201Created)
        {
            return TypedResults.Ok(response);
        }
        // Only the answer that created the comment carried its edit token.
        return TypedResults.Created($"/api/v1/sites/{site.Name}/comments/{comment.Id}", response with
        {
            EditToken = EditTokens.For(keys, comment.Id),
            EditableUntil = comment.CreatedAt + options.Value.EditWindow,
        });
    }

    /// <summary>Who posts is part of the request: a key replayed by someone else is a different request.</summary>
    static string HashRequest(PostCommentRequest request, Member? member) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            (member is null ? "" : $"member {member.UserId}\n") + JsonSerializer.Serialize(request, HearthJson.Default.PostCommentRequest))));
}
