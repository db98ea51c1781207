using System.Net;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation;

/// <summary>
/// Before the bans API hashed what was typed into an ip ban (ffecb41), it stored the text itself, and such a ban
/// matched nobody: posts are checked by their sender's hash. At every start, an ip ban still holding an address is
/// given the hash that address is known by, so the data keeps no raw address and the ban starts to hold. Any other
/// text with an address in it (a range, a port, "010.0.0.1", which .NET would read as 8.0.0.1) cannot be told apart
/// from a mistake: it is sealed as a deleted account's ban is (<see cref="Ban.Sealed"/>), and keeps matching nobody,
/// since no sender's address hash holds a '.' or a ':'; the ban and its reason stay listed and the text is gone. A glance when there is nothing to do: hashes and sealed values hold neither '.' nor ':'.
/// </summary>
public static class IpBanRepair
{
    /// <returns>The bans given their address's hash, and those whose text was sealed because it is no single address.</returns>
    public static async Task<(int Hashed, int Sealed)> RunAsync(HearthDb db, InstanceKey keys, CancellationToken ct)
    {
        var plain = await db.Bans.Where(b => b.Kind == Ban.Ip && (b.Value.Contains(".") || b.Value.Contains(":")))
            .Select(b => new { b.Id, b.Value }).ToListAsync(ct);
        int hashed = 0, sealedText = 0;
        foreach (var ban in plain)
        {
            var address = Address(ban.Value);
            var value = address is null ? Ban.Sealed(keys, Ban.Ip, ban.Value) : Web.ClientAddress.Hash(keys, address);
            // Matched on the old value too: two nodes starting together change it once.
            var changed = await db.Bans.Where(b => b.Id == ban.Id && b.Value == ban.Value)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Value, value), ct);
            if (address is null)
            {
                sealedText += changed;
            }
            else
            {
                hashed += changed;
            }
        }
        return (hashed, sealedText);
    }

    /// <summary>The one host the text names: an address as the API takes it now, or an IPv4 address with a port.</summary>
    static IPAddress? Address(string text)
    {
        if (Web.ClientAddress.TryParseTyped(text, out var address))
        {
            return address;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon == text.LastIndexOf(':') && int.TryParse(text.AsSpan(colon + 1), out _)
            && Web.ClientAddress.TryParseTyped(text[..colon], out address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address
            : null;
    }
}
