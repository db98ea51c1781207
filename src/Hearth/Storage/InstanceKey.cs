using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// The instance's secret for keyed hashes (IP addresses, voters, edit tokens). It lives in the database so that
/// every node of one instance hashes alike; it is created on first start.
/// </summary>
public sealed class InstanceKey
{
    const string SettingName = "hash-key";
    byte[]? _key;

    byte[] Key => _key ?? throw new InvalidOperationException("The instance key is loaded when storage starts.");

    public async Task LoadAsync(HearthDb db, CancellationToken ct)
    {
        var stored = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Name == SettingName, ct);
        if (stored is null)
        {
            stored = new InstanceSetting { Name = SettingName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.InstanceSettings.Add(stored);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node or process created it first; use theirs.
                db.ChangeTracker.Clear();
                stored = await db.InstanceSettings.FirstAsync(s => s.Name == SettingName, ct);
            }
        }
        _key = Convert.FromBase64String(stored.Value);
    }

    /// <summary>A short, URL-safe keyed hash: the same input always gives the same output, and nobody without the key can reverse or forge it.</summary>
    public string Hash(string purpose, string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(purpose + "\n" + value), mac);
        return Base64Url(mac[..18]);
    }

    public bool Matches(string purpose, string value, string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(purpose, value)), Encoding.ASCII.GetBytes(candidate));

    static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
