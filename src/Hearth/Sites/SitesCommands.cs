using System.CommandLine;
using System.Text.Json;
using Hearth.Cli;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>hearth sites add|list|sso|set: create and inspect sites from the shell (rename and remove: SiteLifecycleCommands).</summary>
public static class SitesCommands
{
    public static Command Create()
    {
        var sites = new Command("sites", "Create, list, change, rename and remove the sites this instance serves.");
        sites.Subcommands.Add(Add());
        sites.Subcommands.Add(List());
        sites.Subcommands.Add(Sso());
        sites.Subcommands.Add(Set());
        sites.Subcommands.Add(SiteLifecycleCommands.Rename());
        sites.Subcommands.Add(SiteLifecycleCommands.Remove());
        return sites;
    }

    public static string NoSuchSite(string name) => $"There is no site named '{name}'. See hearth sites list.";

    static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Lower-case letters, digits and dashes, e.g. my-blog." };
        var origins = new Option<string[]>("--origin")
        {
            Description = "An origin whose pages may embed and post to the site, e.g. https://blog.example (repeatable).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var moderation = new Option<string>("--moderation")
        {
            Description = "post: publish at once; pre: every comment waits for a moderator; first: a person's first comment waits.",
            DefaultValueFactory = _ => "post",
        };
        moderation.AcceptOnlyFromAmong("post", "pre", "first");
        var command = new Command("add", "Create a site and print it as JSON.") { name, origins, moderation, CliHost.DataOption() };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var siteName = parse.GetValue(name)!;
            if (!Site.IsValidName(siteName))
            {
                return output.Fail($"'{siteName}' is not a valid site name: use 1-64 lower-case letters, digits and dashes.");
            }
            var normalised = new List<string>();
            foreach (var origin in parse.GetValue(origins) ?? [])
            {
                if (!SiteOrigin.TryNormalize(origin, out var clean))
                {
                    return output.Fail($"'{origin}' is not an origin: give scheme, host and optional port, e.g. https://blog.example.");
                }
                if (!normalised.Contains(clean))
                {
                    normalised.Add(clean);
                }
            }
            var db = services.GetRequiredService<HearthDb>();
            if (await db.Sites.AnyAsync(s => s.Name == siteName, ct))
            {
                return output.Fail($"A site named '{siteName}' already exists.");
            }
            var site = new Site
            {
                Name = siteName,
                Origins = normalised,
                Moderation = parse.GetValue(moderation) switch { "pre" => ModerationMode.Pre, "first" => ModerationMode.First, _ => ModerationMode.Post },
                CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            };
            db.Sites.Add(site);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another command created it between the check and the insert.
                return output.Fail($"A site named '{siteName}' already exists.");
            }
            output.Json(JsonSerializer.Serialize(site.ToResponse(), CliHost.Indented(HearthJson.Default.SiteResponse)));
            return 0;
        }, ct));
        return command;
    }

    static Command List()
    {
        var command = new Command("list", "Print every site as a JSON array.") { CliHost.DataOption() };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var db = services.GetRequiredService<HearthDb>();
            var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
            output.Json(JsonSerializer.Serialize(sites.Select(s => s.ToResponse()).ToList(), CliHost.Indented(HearthJson.Default.ListSiteResponse)));
            return 0;
        }, ct));
        return command;
    }

    static Command Sso()
    {
        var name = new Argument<string>("name") { Description = "The site." };
        var rotate = new Option<bool>("--rotate")
        {
            Description = "Make a new secret: tokens signed with the old one, and sessions opened with them, stop working.",
        };
        var command = new Command("sso", "Print the site's single sign-on secret as JSON, creating it the first time.") { name, rotate, CliHost.DataOption() };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var siteName = parse.GetValue(name)!;
            var db = services.GetRequiredService<HearthDb>();
            if (await db.Sites.FirstOrDefaultAsync(s => s.Name == siteName, ct) is not { } site)
            {
                return output.Fail(NoSuchSite(siteName));
            }
            var secrets = services.GetRequiredService<SsoSecrets>();
            var secret = parse.GetValue(rotate) ? null : secrets.Read(site);
            if (secret is null && site.SsoSecret is not null && !parse.GetValue(rotate))
            {
                return output.Fail($"The site's SSO secret cannot be decrypted: the keys folder of this data folder is not the one it was made with. " +
                    $"Restore that folder, or make a new secret with hearth sites sso {siteName} --rotate (tokens signed with the old one stop working).");
            }
            secret ??= await SsoSecretRotation.RotateAsync(db, secrets, site, null, "command line",
                services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
            output.Json(JsonSerializer.Serialize(new SiteSsoResponse(site.Name, secret), CliHost.Indented(HearthJson.Default.SiteSsoResponse)));
            return 0;
        }, ct));
        return command;
    }

    static Command Set()
    {
        var name = new Argument<string>("name") { Description = "The site." };
        var origins = new Option<string[]>("--origin") { Description = "Replace the origins (repeatable).", Arity = ArgumentArity.OneOrMore };
        var moderation = new Option<string?>("--moderation") { Description = "post, pre or first." };
        moderation.AcceptOnlyFromAmong("post", "pre", "first");
        var signIn = new Option<bool?>("--require-sign-in") { Description = "true: only signed-in people may comment." };
        var maxLinks = new Option<int?>("--max-links") { Description = "A comment with more links, or little besides links, waits for a moderator (-1: no limit)." };
        var banned = new Option<string?>("--banned-words") { Description = "Comma-separated words or phrases that keep a comment from being shown (\"\" clears)." };
        var suspect = new Option<string?>("--suspect-words") { Description = "Comma-separated words or phrases that make a comment wait (\"\" clears)." };
        var closeAfter = new Option<int?>("--close-after-days") { Description = "Close threads this many days after they began (0: never)." };
        var reports = new Option<int?>("--report-threshold") { Description = "This many readers reporting a comment take it down until a moderator looks." };
        var profiles = new Option<bool?>("--list-on-profiles") { Description = "false: keep this site's comments off people's public profiles." };
        var community = new Option<bool?>("--community-page") { Description = "true: publish the site's community page (off by default)." };
        var explore = new Option<bool?>("--list-on-explore") { Description = "true: list the site's liveliest conversations on Explore (off by default)." };
        var command = new Command("set", "Change a site's settings and print them all as JSON.")
        {
            name, origins, moderation, signIn, maxLinks, banned, suspect, closeAfter, reports, profiles, community, explore, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var siteName = parse.GetValue(name)!;
            var db = services.GetRequiredService<HearthDb>();
            if (await db.Sites.FirstOrDefaultAsync(s => s.Name == siteName, ct) is not { } site)
            {
                return output.Fail(NoSuchSite(siteName));
            }
            var request = new SiteSettingsRequest(
                parse.GetValue(origins) is { Length: > 0 } given ? [.. given] : null,
                parse.GetValue(moderation),
                parse.GetValue(profiles),
                parse.GetValue(signIn),
                parse.GetValue(maxLinks),
                parse.GetValue(banned) is { } b ? [b] : null,
                parse.GetValue(suspect) is { } w ? [w] : null,
                parse.GetValue(closeAfter),
                parse.GetValue(reports),
                CommunityPage: parse.GetValue(community),
                ListOnExplore: parse.GetValue(explore));
            var before = site.ToSettingsResponse();
            if (SiteSettingsChange.Apply(site, request) is { } problem)
            {
                return output.Fail($"{problem.Message} (--{Kebab(problem.Field)})");
            }
            db.AuditLog.Add(SiteSettingsChange.Audit(site, before, null, "command line", services.GetRequiredService<TimeProvider>()));
            await db.SaveChangesAsync(ct);
            output.Json(JsonSerializer.Serialize(site.ToSettingsResponse(), CliHost.Indented(HearthJson.Default.SiteSettingsResponse)));
            return 0;
        }, ct));
        return command;
    }

    static string Kebab(string field) => field switch
    {
        "origins" => "origin",
        "maxLinks" => "max-links",
        "closeAfterDays" => "close-after-days",
        "reportThreshold" => "report-threshold",
        _ => field,
    };
}
