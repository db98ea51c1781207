using System.Xml.Linq;
using Hearth.Storage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Identity;

/// <summary>
/// Data Protection keys used to be files in the data folder (keys/). At start, each key found there and not yet in the
/// database is copied in, so the cookies, links and SSO secrets they protect keep working. The files stay as they
/// were: the folder is not read again for anything else and can go once backups no longer need it.
/// </summary>
static class KeyFilesImport
{
    public static async Task<int> RunAsync(HearthDb db, HearthOptions options, ILogger logger, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetFullPath(options.DataDirectory), "keys");
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        // The files still hold the keys in plain form: the folder stays the owner's only, as it always was.
        PrivateFolder.Ensure(folder);
        var files = new FileSystemXmlRepository(new DirectoryInfo(folder), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .GetAllElements()
            .Select(e => (Name: "key-" + (string?)e.Attribute("id"), Xml: e.ToString(SaveOptions.DisableFormatting)))
            .ToList();
        if (files.Count == 0)
        {
            return 0;
        }
        // In one transaction, so two nodes starting on the same old folder cannot both copy a key in.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var known = (await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var (name, xml) in files.Where(f => !known.Contains(f.Name)))
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = xml });
            added++;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (added > 0)
        {
            logger.LogInformation("Moved {Count} Data Protection keys from {Folder} into the database; the folder is no longer read", added, folder);
        }
        return added;
    }
}
