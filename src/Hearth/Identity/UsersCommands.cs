using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Cli;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>What users grant and revoke print: the person's role on the site (null: none) and whether they are an admin.</summary>
public sealed record RoleResponse(
    string Email,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Site,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Role,
    bool Admin);

/// <summary>hearth users grant|revoke: who owns and moderates which site, and who runs the instance.</summary>
public static class UsersCommands
{
    public static Command Create()
    {
        var users = new Command("users", "Give people roles: owner or moderator of a site, or admin of this instance.");
        users.Subcommands.Add(Change("grant", "Give a person with an account a role and print it as JSON.", grant: true));
        users.Subcommands.Add(Change("revoke", "Take a role away and print what is left as JSON.", grant: false));
        return users;
    }

    static Command Change(string name, string description, bool grant)
    {
        var email = new Argument<string>("email") { Description = "The e-mail address of the person's account." };
        var site = new Option<string?>("--site") { Description = "The site (for owner and moderator)." };
        var role = new Option<string>("--role") { Description = "owner, moderator (with --site) or admin (the whole instance).", Required = true };
        role.AcceptOnlyFromAmong("owner", "moderator", "admin");
        var command = new Command(name, description) { email, site, role, CliHost.DataOption() };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var address = parse.GetValue(email)!.Trim();
            var siteName = parse.GetValue(site);
            var roleName = parse.GetValue(role)!;
            if ((roleName == "admin") != (siteName is null))
            {
                return output.Fail(roleName == "admin"
                    ? "admin is a role on the whole instance: leave out --site."
                    : $"{roleName} is a role on one site: add --site NAME.");
            }
            var db = services.GetRequiredService<HearthDb>();
            var normalized = address.ToUpperInvariant();
            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
            if (user is null)
            {
                return output.Fail($"No account has the address '{address}': the person creates one first (/account/signup).");
            }
            if (!user.EmailConfirmed)
            {
                // A role must go to whoever holds the address, not to someone who merely typed it in.
                return output.Fail($"The account with the address '{address}' has not confirmed it yet: the e-mail's link comes first.");
            }
            var clock = services.GetRequiredService<TimeProvider>();
            if (roleName == "admin")
            {
                if (user.IsAdmin != grant)
                {
                    db.AuditLog.Add(Audit(null, user, user.IsAdmin ? "admin" : "none", grant ? "admin" : "none", grant, clock));
                }
                user.IsAdmin = grant;
                await db.SaveChangesAsync(ct);
                output.Json(Print(new RoleResponse(user.Email!, null, null, user.IsAdmin)));
                return 0;
            }
            var target = await db.Sites.FirstOrDefaultAsync(s => s.Name == siteName, ct);
            if (target is null)
            {
                return output.Fail(Sites.SitesCommands.NoSuchSite(siteName!));
            }
            var member = await db.SiteMembers.FirstOrDefaultAsync(m => m.SiteId == target.Id && m.UserId == user.Id, ct);
            var wanted = roleName == "owner" ? SiteRole.Owner : SiteRole.Moderator;
            var before = member?.Role;
            if (grant)
            {
                if (member is null)
                {
                    db.SiteMembers.Add(member = new SiteMember { SiteId = target.Id, UserId = user.Id, JoinedAt = clock.GetUtcNow().UtcDateTime });
                }
                member.Role = wanted;
            }
            else if (member?.Role == wanted)
            {
                member.Role = null;
            }
            if (member?.Role != before)
            {
                db.AuditLog.Add(Audit(target.Id, user, Name(before), Name(member?.Role), grant, clock));
            }
            await db.SaveChangesAsync(ct);
            output.Json(Print(new RoleResponse(user.Email!, target.Name, member?.Role?.ToString().ToLowerInvariant(), user.IsAdmin)));
            return 0;
        }, ct));
        return command;
    }

    /// <summary>A role given or taken away, in the site's log (an admin's, which reaches every site, in the instance's).</summary>
    static Moderation.AuditEntry Audit(long? siteId, HearthUser user, string before, string after, bool grant, TimeProvider clock) => new()
    {
        SiteId = siteId, ActorName = "command line", Action = grant ? "grant" : "revoke", Target = Moderation.AuditEntry.UserTarget(user.Id, user.DisplayName),
        Before = before, After = after, At = clock.GetUtcNow().UtcDateTime,
    };

    static string Name(SiteRole? role) => role?.ToString().ToLowerInvariant() ?? "none";

    static string Print(RoleResponse response) =>
        JsonSerializer.Serialize(response, CliHost.Indented(HearthJson.Default.RoleResponse));
}
