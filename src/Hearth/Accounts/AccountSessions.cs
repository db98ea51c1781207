using System.Security.Claims;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>
/// The browser session on Hearth's own pages: an Identity cookie that also names a row in MemberSessions, so a
/// person can see where they are signed in and end any of those sessions, and an ended one stops working at once.
/// </summary>
public static class AccountSessions
{
    public const string SessionClaim = "hearth:sid";
    public const string Kind = "account";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static async Task SignInAsync(HttpContext http, HearthUser user)
    {
        var db = http.RequestServices.GetRequiredService<HearthDb>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var (session, sid) = MemberSession.Start(user.Id, null, Kind, now, Lifetime, Device(http));
        db.MemberSessions.Add(session);
        await db.SaveChangesAsync(http.RequestAborted);
        var signIn = http.RequestServices.GetRequiredService<SignInManager<HearthUser>>();
        await signIn.SignInWithClaimsAsync(user, isPersistent: true, [new Claim(SessionClaim, sid)]);
    }

    public static async Task SignOutAsync(HttpContext http)
    {
        if (http.User.FindFirst(SessionClaim)?.Value is { } sid)
        {
            var db = http.RequestServices.GetRequiredService<HearthDb>();
            var hash = SessionTokens.Hash(sid);
            await db.MemberSessions.Where(s => s.TokenHash == hash).ExecuteDeleteAsync(http.RequestAborted);
            // The moderation pages opened from this account end with it.
            if (http.User.UserId() is { } userId)
            {
                await db.MemberSessions.Where(s => s.UserId == userId && s.Kind == MemberSession.ModerationPage).ExecuteDeleteAsync(http.RequestAborted);
            }
        }
        await http.RequestServices.GetRequiredService<SignInManager<HearthUser>>().SignOutAsync();
    }

    /// <summary>The id of the session this request's cookie stands for, or null.</summary>
    public static async Task<long?> CurrentAsync(HttpContext http)
    {
        if (http.User.FindFirst(SessionClaim)?.Value is not { } sid)
        {
            return null;
        }
        var db = http.RequestServices.GetRequiredService<HearthDb>();
        var hash = SessionTokens.Hash(sid);
        return await db.MemberSessions.Where(s => s.TokenHash == hash).Select(s => (long?)s.Id).FirstOrDefaultAsync(http.RequestAborted);
    }

    /// <summary>Every request with the cookie checks that its session still exists: ending a session ends it everywhere.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var sid = context.Principal?.FindFirst(SessionClaim)?.Value;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var alive = false;
        if (sid is not null)
        {
            var hash = SessionTokens.Hash(sid);
            var db = http.RequestServices.GetRequiredService<HearthDb>();
            alive = await db.MemberSessions.AnyAsync(s => s.TokenHash == hash && s.ExpiresAt > now, http.RequestAborted);
        }
        if (!alive)
        {
            context.RejectPrincipal();
            await http.RequestServices.GetRequiredService<SignInManager<HearthUser>>().SignOutAsync();
        }
    }

    /// <summary>The browser in a few words ("Firefox on Windows"): all a session keeps of the User-Agent header.</summary>
    public static string Device(HttpContext http) => BrowserNames.Describe(http.Request.Headers.UserAgent.ToString());

    public static long? UserId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
