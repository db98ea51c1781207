using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// A banned account, address or e-mail is refused, with the reason and how long; a shadow-banned one is stored unseen.
/// An e-mail ban holds against a guest who gives the address and a member whose account has it, and a ban sealed
/// when its account was deleted (<see cref="Ban.Sealed"/>) holds like the plain one.
/// </summary>
public sealed class BanCheck(HearthDb db, InstanceKey keys) : ICommentCheck
{
    public const string ShadowReason = "shadow_ban";

    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        var siteId = draft.Site.Id;
        var user = draft.Member?.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var email = (draft.Author.Email ?? draft.Member?.Email)?.ToLowerInvariant();
        var sealedEmail = email is null ? null : Ban.Sealed(keys, Ban.Email, email);
        var ip = draft.IpHash;
        var sealedIp = Ban.Sealed(keys, Ban.Ip, ip);
        var bans = new List<Ban>();
        await foreach (var match in Matching(db, siteId, draft.Now, user, email, sealedEmail, ip, sealedIp).WithCancellation(ct))
        {
            bans.Add(match);
        }
        if (bans.FirstOrDefault(b => !b.Shadow) is { } ban)
        {
            var until = ban.Until is { } end ? $" until {end:yyyy-MM-dd HH:mm} UTC" : "";
            return new Refuse(StatusCodes.Status403Forbidden, "banned", $"You may not comment on this site{until}. Reason: {ban.Reason}");
        }
        return bans.Count > 0 ? new Hold(ShadowReason, $"Shadow-banned: {bans[0].Reason}", CommentStatus.Rejected, Silent: true) : null;
    }

    /// <summary>Compiled once: every post asks it.</summary>
    static readonly Func<HearthDb, long, DateTime, string?, string?, string?, string, string, IAsyncEnumerable<Ban>> Matching =
        EF.CompileAsyncQuery((HearthDb db, long siteId, DateTime now, string? user, string? email, string? sealedEmail, string ip, string sealedIp) =>
            db.Bans.AsNoTracking()
                .Where(b => b.SiteId == siteId && (b.Until == null || b.Until > now)
                    && ((b.Kind == Ban.User && b.Value == user)
                        || (b.Kind == Ban.Email && (b.Value == email || b.Value == sealedEmail))
                        || (b.Kind == Ban.Ip && (b.Value == ip || b.Value == sealedIp)))));
}
