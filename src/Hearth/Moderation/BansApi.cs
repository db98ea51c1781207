using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>kind: user, email or ip; the value, or a comment whose author to ban. days: null or 0 for good.</summary>
public sealed record BanRequest(string? Kind, string? Value, long? CommentId, string? Reason, int? Days, bool? Shadow);

public sealed record BanResponse(long Id, string Kind, string Value, string Reason, DateTime? Until, bool Shadow, string CreatedBy, DateTime CreatedAt);

/// <summary>Banning and unbanning, by value or by pointing at a comment (the way a moderator usually meets someone).</summary>
public static class BansApi
{
    public static RouteGroupBuilder MapBans(this RouteGroupBuilder site)
    {
        var bans = site.MapGroup("/moderation/bans").WithTags("Site administration");
        bans.MapGet("", List).WithSummary("The site's bans, newest first.");
        bans.MapPost("", Create).WithSummary("Ban an account, e-mail address or address hash, for some days or for good; shadow bans store what they write unseen.");
        bans.MapDelete("/{id:long}", Remove).WithSummary("Lift a ban.");
        return site;
    }

    static async Task<Results<Ok<List<BanResponse>>, ProblemHttpResult>> List(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if ((await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct)).Refusal is { } refusal)
        {
            return refusal;
        }
        var siteId = http.Site().Id;
        var bans = await db.Bans.AsNoTracking().Where(b => b.SiteId == siteId).OrderByDescending(b => b.Id).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(bans.Select(ToResponse).ToList());
    }

    static async Task<Results<Created<BanResponse>, ValidationProblem, ProblemHttpResult>> Create(HttpContext http, BanRequest request,
        HearthDb db, InstanceKey keys, TimeProvider clock, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var site = http.Site();
        if (request.Kind is not (Ban.User or Ban.Email or Ban.Ip))
        {
            return Problems.Invalid("kind", "kind must be user, email or ip.");
        }
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 300)
        {
            return Problems.Invalid("reason", "Give a reason of 1 to 300 characters: the person sees it.");
        }
        if (request.Days is < 0 or > 36500)
        {
            return Problems.Invalid("days", "days must be between 1 and 36500, or 0 for good.");
        }
        var value = request.Value?.Trim();
        if (request.CommentId is { } commentId)
        {
            var author = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.SiteId == site.Id)
                .Select(c => new { c.Author.UserId, c.Author.Email, c.IpHash }).FirstOrDefaultAsync(ct);
            if (author is null)
            {
                return Problems.CommentNotFound();
            }
            value = request.Kind switch
            {
                Ban.User => author.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ban.Email => author.Email,
                _ => author.IpHash,
            };
            if (value is null)
            {
                return Problems.Invalid("kind", $"That comment's author has no {request.Kind} to ban by.");
            }
        }
        if (string.IsNullOrEmpty(value) || value.Length > 254)
        {
            return Problems.Invalid("value", "Give the value to ban, or the commentId of something they wrote.");
        }
        if (request.Kind == Ban.Ip && request.CommentId is null)
        {
            // An address typed in is kept as the hash every comment's sender is known by, never as itself.
            if (!ClientAddress.TryParseTyped(value, out var address))
            {
                return Problems.Invalid("value",
                    "An ip ban takes one IPv4 address written as four numbers (203.0.113.7) or one IPv6 address (Hearth keeps only its hash), or the commentId of something they wrote.");
            }
            value = ClientAddress.Hash(keys, address);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var ban = new Ban
        {
            SiteId = site.Id,
            Kind = request.Kind,
            Value = request.Kind == Ban.Email ? value.ToLowerInvariant() : value,
            Reason = request.Reason.Trim(),
            Until = request.Days is > 0 ? now.AddDays(request.Days.Value) : null,
            Shadow = request.Shadow ?? false,
            CreatedBy = member!.Name,
            CreatedAt = now,
        };
        db.Bans.Add(ban);
        db.AuditLog.Add(new AuditEntry
        {
            SiteId = site.Id, ActorUserId = member.UserId, ActorName = member.Name, Action = ban.Shadow ? "shadow-ban" : "ban",
            Target = $"{ban.Kind} {(ban.Kind == Ban.Ip ? "(address hash)" : ban.Value)}", After = ban.Reason, At = now,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/sites/{site.Name}/moderation/bans/{ban.Id}", ToResponse(ban));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Remove(HttpContext http, long id, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        var (member, refusal) = await SiteAccess.RequireAsync(http, SiteRole.Moderator, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var siteId = http.Site().Id;
        var ban = await db.Bans.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id && b.SiteId == siteId, ct);
        // Whoever deletes the row lifts the ban: a second moderator lifting it at the same moment (on another node)
        // deleted nothing, and is told what a later one would be, rather than failing on a row already gone.
        if (ban is null || await db.Bans.Where(b => b.Id == id && b.SiteId == siteId).ExecuteDeleteAsync(ct) == 0)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "ban_not_found", "There is no such ban on this site.");
        }
        db.AuditLog.Add(new AuditEntry
        {
            SiteId = siteId, ActorUserId = member!.UserId, ActorName = member.Name, Action = "unban",
            Target = $"{ban.Kind} {(ban.Kind == Ban.Ip ? "(address hash)" : ban.Value)}", Before = ban.Reason, At = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static BanResponse ToResponse(Ban b) => new(b.Id, b.Kind, b.Value, b.Reason, b.Until, b.Shadow, b.CreatedBy, b.CreatedAt);
}
