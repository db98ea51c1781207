using System.Net;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// Before the bans API hashed an address typed into an ip ban (ffecb41), it stored the address itself, and such a ban
/// matched nobody: posts are checked by their sender's hash. At every start, an ip ban still holding an address is
/// given the hash that address is known by, so the data keeps no raw address and the ban starts to hold. A glance when
/// there is none: hashes and sealed values hold neither '.' nor ':'.
/// </summary>
public static class IpBanRepair
{
    /// <returns>The bans hashed, and the ids of those left as they were because their value is no address.</returns>
    public static async Task<(int Hashed, IReadOnlyList<long> NotAddresses)> RunAsync(HearthDb db, InstanceKey keys, CancellationToken ct)
    {
        var plain = await db.Bans.Where(b => b.Kind == Ban.Ip && (b.Value.Contains(".") || b.Value.Contains(":")))
            .Select(b => new { b.Id, b.Value }).ToListAsync(ct);
        var hashed = 0;
        var notAddresses = new List<long>();
        foreach (var ban in plain)
        {
            if (!IPAddress.TryParse(ban.Value, out var address))
            {
                notAddresses.Add(ban.Id);
                continue;
            }
            var hash = Web.ClientAddress.Hash(keys, address);
            // Matched on the old value too: two nodes starting together hash it once.
            hashed += await db.Bans.Where(b => b.Id == ban.Id && b.Value == ban.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Value, hash), ct);
        }
        return (hashed, notAddresses);
    }
}
