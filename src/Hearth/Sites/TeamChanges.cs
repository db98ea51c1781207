using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Mail;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>Why a change to a team was refused: 400 names the field, the others say what stands in the way.</summary>
public sealed record TeamRefusal(int Status, string Code, string Field, string Message);

/// <summary>Who changes a team, as the audit log names them.</summary>
public sealed record TeamActor(long UserId, string Name);

/// <summary>
/// A site's team, changed by its owners (and the instance's admins) from the console or the API with one set of rules:
/// people join by an invitation sent to their address and accepted from the account confirmed with it, so a role
/// never goes to someone who merely typed an address in (as with <c>hearth users grant</c>); owners change roles and
/// remove people; a site always keeps an owner; every change is in the site's audit log.
/// </summary>
public sealed class TeamChanges(HearthDb db, MailQueue mail, AccountLimits limits, PublicAddress publicAddress, TimeProvider clock)
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);

    public static SiteRole? ParseRole(string? role) => role switch
    {
        "moderator" => SiteRole.Moderator,
        "owner" => SiteRole.Owner,
        _ => null,
    };

    public static string Name(SiteRole? role) => role?.ToString().ToLowerInvariant() ?? "none";

    public async Task<(TeamInvite? Invite, TeamRefusal? Refusal)> InviteAsync(Site site, TeamActor actor, string? email, string? role, CancellationToken ct)
    {
        var wanted = ParseRole(role);
        if (wanted is null)
        {
            return (null, new TeamRefusal(400, "invalid", "role", "choose moderator or owner."));
        }
        var address = (email ?? "").Trim().ToLowerInvariant();
        if (address.Length > 254 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            return (null, new TeamRefusal(400, "invalid", "email", "give one e-mail address, e.g. sam@example.com."));
        }
        var normalized = address.ToUpperInvariant();
        var current = await db.SiteMembers.AsNoTracking()
            .Where(m => m.SiteId == site.Id && m.Role != null && db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized && u.EmailConfirmed))
            .Select(m => m.Role).FirstOrDefaultAsync(ct);
        if (current >= wanted)
        {
            return (null, new TeamRefusal(409, "already_on_team", "email", $"{address} is already {Article(current)} of {site.Name}."));
        }
        // A site's owners send a bounded number of messages to addresses nobody has proven, and all they sent stays in view.
        var now = clock.GetUtcNow().UtcDateTime;
        var dayAgo = now.AddDays(-1);
        if (await db.TeamInvites.CountAsync(i => i.SiteId == site.Id && i.ExpiresAt > now, ct) >= MaxWaiting)
        {
            return (null, new TeamRefusal(429, "too_many_invites", "email",
                $"{site.Name} has {MaxWaiting} invitations waiting: take some back, or wait until they are accepted or expire."));
        }
        if (await db.AuditLog.CountAsync(a => a.SiteId == site.Id && a.Action == "invite" && a.At > dayAgo, ct) >= MaxPerDay)
        {
            return (null, new TeamRefusal(429, "too_many_invites", "email", $"{site.Name} has sent {MaxPerDay} invitations today: wait until tomorrow."));
        }
        // The message goes to an address nobody has proven: each inbox gets a few a day, whoever sends them.
        if (!await limits.TryMailAsync(address, ct))
        {
            return (null, new TeamRefusal(429, "too_many_mails", "email", $"{address} has had enough messages from this Hearth for today. Try again tomorrow."));
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var invite = new TeamInvite
        {
            SiteId = site.Id, Email = address, Role = wanted.Value, TokenHash = Hash(token), InvitedByUserId = actor.UserId,
            CreatedAt = now, ExpiresAt = now + InviteLifetime,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Inviting the same address again replaces the invitation: the older link stops working.
        await db.TeamInvites.Where(i => i.SiteId == site.Id && i.Email == address).ExecuteDeleteAsync(ct);
        db.TeamInvites.Add(invite);
        // The words are Hearth's and the site's name (which an admin chose); nothing the inviting owner typed.
        mail.Add(db, new OutgoingMail(address, $"You are invited to the team of {site.Name} on Hearth",
            $"Hello,\n\nyou are invited to help run the conversations of the site {site.Name} on Hearth, as {Article(wanted)}. " +
            $"To accept, open this link and sign in with the account of this address ({address}), or create one with it:\n\n" +
            $"{publicAddress.Link("/account/invite?token=" + token)}\n\n" +
            $"The link works once, for {(int)InviteLifetime.TotalDays} days. If this means nothing to you, ignore this message: nothing happens without the link.\n"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another owner invited the same address at the same moment: theirs stands.
            db.ChangeTracker.Clear();
            return (null, new TeamRefusal(409, "already_invited", "email", $"{address} was invited a moment ago by someone else."));
        }
        // The log, which moderators read too, names the invitation and only enough of the address to tell it apart.
        db.AuditLog.Add(Audit(site.Id, actor, "invite", InviteTarget(invite), null, Name(wanted)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        mail.Wake();
        return (invite, null);
    }

    /// <summary>The invitation a link's secret stands for, if it still works.</summary>
    public Task<TeamInvite?> FindAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return Task.FromResult<TeamInvite?>(null);
        }
        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return db.TeamInvites.AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash && i.ExpiresAt > now, ct);
    }

    public async Task<(SiteRole? Role, TeamRefusal? Refusal)> AcceptAsync(string? token, HearthUser user, CancellationToken ct)
    {
        var invite = await FindAsync(token, ct);
        if (invite is null)
        {
            return (null, new TeamRefusal(410, "invite_gone", "token",
                "This invitation does not work any more: it was accepted, taken back or replaced, or it expired. Ask the site's owner for a new one."));
        }
        if (!user.EmailConfirmed || !string.Equals(user.NormalizedEmail, invite.Email.ToUpperInvariant(), StringComparison.Ordinal))
        {
            return (null, new TeamRefusal(403, "other_address", "email",
                $"This invitation is for {Masked(invite.Email)}. Sign in with the account confirmed with that address, or create one with it."));
        }
        // An invitation speaks for whoever sent it only while they still run the site: one sent by an owner who was
        // since taken off the team (or who deleted their account) brings nobody in.
        if (invite.InvitedByUserId is not { } inviter || !await db.Users.AnyAsync(u => u.Id == inviter
            && (u.IsAdmin || db.SiteMembers.Any(m => m.SiteId == invite.SiteId && m.UserId == u.Id && m.Role == SiteRole.Owner)), ct))
        {
            return (null, new TeamRefusal(410, "invite_gone", "token", "Whoever sent this invitation no longer runs the site."));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Taking the invitation out is what makes it work once, whichever node the two clicks reach.
        if (await db.TeamInvites.Where(i => i.Id == invite.Id).ExecuteDeleteAsync(ct) == 0)
        {
            return (null, new TeamRefusal(410, "invite_gone", "token", "This invitation was accepted a moment ago."));
        }
        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == invite.SiteId && m.UserId == user.Id, ct);
        if (member is null)
        {
            db.SiteMembers.Add(member = new SiteMember { SiteId = invite.SiteId, UserId = user.Id, JoinedAt = clock.GetUtcNow().UtcDateTime });
        }
        var before = member.Role;
        // An owner who accepts an older invitation to moderate stays an owner.
        member.Role = before > invite.Role ? before : invite.Role;
        if (member.Role != before)
        {
            db.AuditLog.Add(Audit(invite.SiteId, new TeamActor(user.Id, user.DisplayName), "grant", AuditEntry.UserTarget(user.Id, user.DisplayName),
                Name(before), Name(member.Role) + " (invitation accepted)"));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (member.Role, null);
    }

    public async Task<TeamRefusal?> CancelInviteAsync(Site site, TeamActor actor, long inviteId, CancellationToken ct)
    {
        var invite = await db.TeamInvites.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inviteId && i.SiteId == site.Id, ct);
        if (invite is null || await db.TeamInvites.Where(i => i.Id == inviteId).ExecuteDeleteAsync(ct) == 0)
        {
            return NoInvite;
        }
        db.AuditLog.Add(Audit(site.Id, actor, "invite-withdrawn", InviteTarget(invite), Name(invite.Role), null));
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Gives someone already on the team another role, or (role null) takes them off it; badges they hold stay.</summary>
    public async Task<TeamRefusal?> ChangeAsync(Site site, TeamActor actor, long userId, SiteRole? role, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Every team change of a site writes its row first, so two owners taking each other's role at once on
        // different nodes are told apart: the second waits for the first and counts the owners it left.
        await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, x => x.Name), ct);
        // Whoever asks is asked again under that lock: an owner taken off a moment ago by another owner changes nothing.
        if (!await db.Users.AnyAsync(u => u.Id == actor.UserId
            && (u.IsAdmin || db.SiteMembers.Any(m => m.SiteId == site.Id && m.UserId == u.Id && m.Role == SiteRole.Owner)), ct))
        {
            return new TeamRefusal(403, "forbidden", "user", "Only the site's owners may do this.");
        }
        var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == site.Id && m.UserId == userId && m.Role != null, ct);
        if (member is null)
        {
            return new TeamRefusal(404, "not_on_team", "user", "That person is not on this site's team.");
        }
        var before = member.Role;
        if (before == role)
        {
            return null;
        }
        if (before == SiteRole.Owner && await db.SiteMembers.CountAsync(m => m.SiteId == site.Id && m.Role == SiteRole.Owner, ct) == 1)
        {
            return new TeamRefusal(409, "last_owner", "user", $"{site.Name} keeps at least one owner: make someone else an owner first.");
        }
        member.Role = role;
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(ct);
        db.AuditLog.Add(Audit(site.Id, actor, role is null ? "revoke" : "grant", AuditEntry.UserTarget(userId, name), Name(before), Name(role)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    public static TeamRefusal NoInvite { get; } = new(404, "no_invite", "invite", "There is no such invitation: it was accepted, taken back or replaced.");

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    AuditEntry Audit(long siteId, TeamActor actor, string action, string target, string? before, string? after) => new()
    {
        SiteId = siteId, ActorUserId = actor.UserId, ActorName = actor.Name, Action = action, Target = target, Before = before, After = after,
        At = clock.GetUtcNow().UtcDateTime,
    };

    /// <summary>Invitations waiting at once on one site, and sent in a day: enough for any team, and none hidden from its owners.</summary>
    public const int MaxWaiting = 50;
    public const int MaxPerDay = 50;

    static string InviteTarget(TeamInvite invite)
    {
        var target = $"invitation {invite.Id} ({Masked(invite.Email)})";
        return target.Length <= 64 ? target : target[..63] + "…";
    }

    static string Article(SiteRole? role) => role == SiteRole.Owner ? "an owner" : "a moderator";

    /// <summary>Enough of an address for its owner to know it, not enough to learn it from a forwarded link.</summary>
    public static string Masked(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "…" + email[Math.Max(at, 0)..] : email[0] + new string('•', Math.Min(at - 1, 6)) + email[at..];
    }
}
