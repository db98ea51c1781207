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
/// Posting a comment, top to bottom: check the input, render it and work out its fingerprints, check the pace, run the
/// checks that need not see the posts stored just before it; then store it with whatever other posts are waiting, in one transaction (<see cref="StoreNewComment"/>); once that
/// has committed, drop the thread's cached pages and answer.
/// </summary>
public sealed class PostComment(
    HearthDb db,
    GroupCommit commits,
    MarkdownRenderer markdown,
    InstanceKey keys,
    ThreadChanges changes,
    Moderation.PostingRateCheck pace,
    IReadOnlyList<Moderation.ICommentCheck> checks,
    Web.HearthMetrics metrics,
    TimeProvider clock,
    IOptions<HearthOptions> options,
    IServiceScopeFactory scopes)
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

        // Worked out here, alongside other requests, rather than in the batch that stores posts one after another:
        // the fingerprints, the spam filter's reading, and every check that does not need to see the posts stored
        // just before this one.
        _ = body.WordsHash;
        _ = body.Fingerprint;
        var spamTokens = Moderation.SpamFilter.SpamFeatures.Of(body.Html, author);
        CommentThread? thread;
        Moderation.CheckPlan plan;
        // One opening of the connection for the reads before the queue, rather than one per read; closed again before
        // the post waits for its batch, so no connection is held while it waits.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            thread = await StoreNewComment.ThreadByKey(db, site.Id, key, ct);
            plan = await Moderation.CheckPlan.PrepareAsync(checks,
                new Moderation.CommentDraft(site, thread, key, author, member, body, ipHash, now) { SpamTokens = spamTokens }, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // Even a refusal goes on to the batch: a retry of a stored post gets its first answer, and a twin the first
        // comment, before any verdict.
        var post = new NewComment(site, input, author, member, body, ipHash, idempotencyKey, requestHash, thread, spamTokens, plan);
        var (answer, moved) = await commits.RunAsync(
            (services, token) => services.GetRequiredService<StoreNewComment>().RunAsync(post, token), ct,
            new PostLocks(site.Id, thread?.Id, key, author.Key, input.ParentId));
        if (moved is not null)
        {
            await changes.PublishAsync(moved);
            metrics.CommentPosted();
        }
        // Asked for replies by e-mail: only now, in a small transaction (and a context) of its own, so the post costs
        // nothing more and nothing this request read is saved with it.
        var stored = answer.Result switch { Created<CommentResponse> c => c.Value, Ok<CommentResponse> o => o.Value, _ => null };
        if (request.NotifyReplies == true && member is null && stored is not null)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<GuestReplies.GuestSubscriptions>().TryAskAsync(stored.Id, ct);
        }
        return answer;
    }

    CommentAuthor GuestAuthor(GuestInput guest) => new()
    {
        Kind = AuthorKind.Guest,
        Name = guest.Name,
        Email = guest.Email,
        Website = guest.Website,
        Key = GuestKey(keys, guest.Name, guest.Email),
    };

    /// <summary>
    /// The key a guest's comments carry: the same name and address make the same key, wherever the comment came from (a
    /// post, an import), so a guest can claim them all later.
    /// </summary>
    public static string GuestKey(InstanceKey keys, string name, string? email) =>
        keys.Hash("author", "guest\n" + name.ToLowerInvariant() + "\n" + email);

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

    /// <summary>Who posts is part of the request: a key replayed by someone else is a different request.</summary>
    static string HashRequest(PostCommentRequest request, Member? member) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            (member is null ? "" : $"member {member.UserId}\n") + JsonSerializer.Serialize(request, HearthJson.Default.PostCommentRequest))));
}
