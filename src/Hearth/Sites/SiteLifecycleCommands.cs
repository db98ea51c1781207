using System.CommandLine;
using System.Text.Json;
using Hearth.Cli;
using Hearth.Conversations;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Sites;

/// <summary>hearth sites remove|rename: the end of a site, and a new name for it.</summary>
public static class SiteLifecycleCommands
{
    public static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The site to remove." };
        var yes = new Option<bool>("--yes") { Description = "Do not ask: needed when no terminal is there to ask on (scripts, pipes)." };
        var command = new Command("remove",
            "Remove a site and everything Hearth holds for it, for good: its threads with their comments, votes, reports and live " +
            "events; its bans, settings, single sign-on secret and spam-filter training; its API tokens and every session on it; " +
            "people's roles and badges on it, and the people its single sign-on made; its audit entries. Accounts people made on " +
            "Hearth stay, with what they wrote elsewhere. Prints what was removed as JSON. On a terminal it asks for the site's " +
            "name first; elsewhere it needs --yes.")
        {
            name, yes, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var siteName = parse.GetValue(name)!;
            var db = services.GetRequiredService<HearthDb>();
            if (await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == siteName, ct) is not { } site)
            {
                return output.Fail(SitesCommands.NoSuchSite(siteName));
            }
            if (!parse.GetValue(yes))
            {
                if (!output.CanAsk)
                {
                    return output.Fail($"Removing the site '{siteName}' cannot be undone, and there is no terminal to ask on: add --yes to remove it.");
                }
                var threads = await db.Threads.CountAsync(t => t.SiteId == site.Id, ct);
                var comments = await db.Comments.CountAsync(c => c.SiteId == site.Id, ct);
                var answer = output.Ask($"This removes the site '{siteName}' for good, with its {Count(threads, "thread")} and {Count(comments, "comment")}, " +
                    $"its settings, bans, tokens, roles and audit log.\nType the site's name to remove it: ");
                if (answer != siteName)
                {
                    return output.Fail("Nothing was removed: the name typed was not the site's.");
                }
            }
            var removed = await SiteRemoval.RemoveAsync(db, site, ct);
            output.Json(SiteRemoval.Print(removed));
            return 0;
        }, ct));
        return command;
    }

    static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    public static Command Rename()
    {
        var oldName = new Argument<string>("old") { Description = "The site's name now." };
        var newName = new Argument<string>("new") { Description = "Its new name: lower-case letters, digits and dashes." };
        var command = new Command("rename",
            "Give a site a new name and print it as JSON. Its threads, comments, settings, roles and tokens stay with it. " +
            "Embeds that name the old one (data-site=\"OLD\") stop loading its threads within 10 seconds: change them to the new name. " +
            "Single sign-on tokens must carry the new name as their audience (aud); the moderation pages move to the new name.")
        {
            oldName, newName, CliHost.DataOption(),
        };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, output) =>
        {
            var from = parse.GetValue(oldName)!;
            var to = parse.GetValue(newName)!;
            if (!Site.IsValidName(to))
            {
                return output.Fail($"'{to}' is not a valid site name: use 1-64 lower-case letters, digits and dashes.");
            }
            var db = services.GetRequiredService<HearthDb>();
            if (await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name == from, ct) is not { } site)
            {
                return output.Fail(SitesCommands.NoSuchSite(from));
            }
            if (from == to)
            {
                return output.Fail($"The site is already named '{to}'.");
            }
            if (await db.Sites.AnyAsync(s => s.Name == to, ct))
            {
                return output.Fail($"A site named '{to}' already exists.");
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Name, to), ct);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
            {
                // Another command took the name between the check and the update.
                return output.Fail($"A site named '{to}' already exists.");
            }
            db.AuditLog.Add(new AuditEntry
            {
                SiteId = site.Id,
                ActorName = "command line",
                Action = "rename",
                Target = $"site {to}",
                Before = from,
                After = to,
                At = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            var renamed = await db.Sites.AsNoTracking().FirstAsync(s => s.Id == site.Id, ct);
            output.Json(JsonSerializer.Serialize(renamed.ToResponse(), CliHost.Indented(HearthJson.Default.SiteResponse)));
            return 0;
        }, ct));
        return command;
    }
}
