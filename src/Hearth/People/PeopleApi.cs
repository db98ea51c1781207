using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>A person as the site's team sees them: counters and the name they last wrote under, never an address.</summary>
public sealed record PersonResponse(long Id, string Kind, string Name, string Key, DateTime? FirstCommentAt, DateTime? LastCommentAt,
    int Comments, int Approved, int RepliesGiven, int RepliesReceived, int DaysActive, int ReportsAgainst, int TrustLevel, long? MergedIntoId);

public sealed record PeoplePage(IReadOnlyList<PersonResponse> People);

/// <summary>The people of a site, for its moderators and owners (and the instance's admins): private data, never public.</summary>
public static class PeopleApi
{
    const int DefaultLimit = 50;
    const int MaxLimit = 100;

    public static RouteGroupBuilder MapPeople(this RouteGroupBuilder site)
    {
        var people = site.MapGroup("/people").WithTags("Site administration")
            .AddEndpointFilter(async (context, next) =>
            {
                var (member, refusal) = await SiteAccess.RequireAsync(context.HttpContext, SiteRole.Moderator, context.HttpContext.RequestAborted);
                if (refusal is not null)
                {
                    return refusal;
                }
                // The one who asks, for an endpoint that acts as them: found once per request, here.
                context.HttpContext.Items[typeof(Member)] = member;
                return await next(context);
            });
        people.MapGet("", List).WithSummary("The site's people (those merged into another left out): sort=recent (default) or comments, limit up to 100.");
        people.MapGet("/newcomers", ListNewcomers)
            .WithSummary($"People whose first comment here (within Hearth:Trust:NewcomerDays) is public and answered by no one yet, oldest first, at most {Newcomers.Limit}: {{ newcomers: [{{ personId, name, kind, firstCommentAt, comment: {{ id, html, createdAt, threadId, threadUrl, threadTitle }} }}] }}.");
        people.MapPost("/newcomers/{commentId:long}/reply", ReplyToNewcomer)
            .RequireRateLimiting(RateLimits.CommentWrites).AddEndpointFilter<RetryAfterHeader>()
            .WithSummary("Answer a newcomer's comment as yourself, from the team's list: { body }. Posted exactly as the widget posts a reply (the same checks, pace and moderation); 201 with the reply.");
        people.MapGet("/{id:long}", One).WithSummary("One person of the site, merged or not.");
        return site;
    }

    static async Task<Results<Ok<PeoplePage>, ValidationProblem>> List(HttpContext http, HearthDb db, string? sort, string? limit, CancellationToken ct)
    {
        if (sort is not (null or "recent" or "comments"))
        {
            return Problems.Invalid("sort", "sort must be recent or comments.");
        }
        // Read here rather than bound as a number, so whoever may not read people hears that first, and a bad number is
        // told as this API tells everything else.
        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take)
            || take is < 1 or > MaxLimit))
        {
            return Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        }
        var siteId = http.Site().Id;
        var query = db.People.AsNoTracking().Where(p => p.SiteId == siteId && p.MergedIntoId == null);
        // Ties break by id, and a person who never commented here (only took over a guest) sorts last on either engine.
        query = sort == "comments"
            ? query.OrderByDescending(p => p.Comments).ThenByDescending(p => p.Id)
            : query.OrderBy(p => p.LastCommentAt == null).ThenByDescending(p => p.LastCommentAt).ThenByDescending(p => p.Id);
        var people = await query.Take(take).ToListAsync(ct);
        return TypedResults.Ok(new PeoplePage([.. people.Select(ToResponse)]));
    }

    static async Task<Ok<NewcomersPage>> ListNewcomers(HttpContext http, HearthDb db, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<HearthOptions> options, CancellationToken ct) =>
        TypedResults.Ok(new NewcomersPage(await Newcomers.ListAsync(db, http.Site().Id, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct)));

    /// <summary>
    /// The welcome in one click: a reply to the comment, as the team member asking (their name, their badges), through
    /// <see cref="Conversations.PostComment"/> like any reply. Only a public comment of this site can be answered here.
    /// </summary>
    static async Task<Results<Created<Conversations.CommentResponse>, Ok<Conversations.CommentResponse>, ValidationProblem, ProblemHttpResult>> ReplyToNewcomer(
        HttpContext http, HearthDb db, Conversations.PostComment post, long commentId, Conversations.EditCommentRequest request, CancellationToken ct)
    {
        var site = http.Site();
        var asking = (Member)http.Items[typeof(Member)]!;
        var answered = await (from c in db.Comments.AsNoTracking()
                              where c.Id == commentId && c.SiteId == site.Id && c.Status == Conversations.CommentStatus.Published
                              join t in db.Threads on c.ThreadId equals t.Id
                              select new { t.Url, t.Identifier }).FirstOrDefaultAsync(ct);
        if (answered is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "comment_not_found", "No public comment of this site has that id.");
        }
        // The team member writes as themselves (their name and badges on this site), as their sign-in in the widget would.
        return await post.RunAsync(site, new Conversations.PostCommentRequest(answered.Url, answered.Identifier, Title: null, commentId,
            request.Body, Author: null), asking, http.IpHash(), idempotencyKey: null, ct);
    }

    static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> One(HttpContext http, HearthDb db, long id, CancellationToken ct)
    {
        var siteId = http.Site().Id;
        // The site is part of the query: another site's person is simply not found.
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.SiteId == siteId, ct);
        return person is null
            ? Problems.Of(StatusCodes.Status404NotFound, "person_not_found", "No one with that id has commented on this site.")
            : TypedResults.Ok(ToResponse(person));
    }

    static PersonResponse ToResponse(Person p) => new(p.Id, p.Kind.ToString().ToLowerInvariant(), p.Name, p.Key, p.FirstCommentAt, p.LastCommentAt,
        p.Comments, p.Approved, p.RepliesGiven, p.RepliesReceived, p.DaysActive, p.ReportsAgainst, p.TrustLevel, p.MergedIntoId);
}
