using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>
/// People a site's sign-in made were once told apart by their user name, "sso-{site id}-..." (accounts are always named
/// "u" and a number). The migration that added <see cref="HearthUser.SsoSiteId"/> filled it from those names; this runs
/// the same at every start, for the few an older node may have made while the instance was being upgraded node by
/// node. One left from a site since removed gets 0, which no site has, so it never gains a public profile.
/// </summary>
public static class SsoSiteBackfill
{
    public static Task<int> RunAsync(Storage.HearthDb db, CancellationToken ct) => db.Database.ExecuteSqlRawAsync("""
        UPDATE "Users" SET "SsoSiteId" = COALESCE((SELECT s."Id" FROM "Sites" s WHERE "Users"."UserName" LIKE 'sso-' || s."Id" || '-%'), 0)
        WHERE "SsoSiteId" IS NULL AND "UserName" LIKE 'sso-%'
        """, ct);
}
