using System.Security.Cryptography;
using System.Text;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Accounts;

/// <summary>
/// The one-time codes that let whoever runs a new instance (and so can read its log) make the first admin account in
/// the browser, and nobody else on the network. A node that starts without an admin writes a fresh code's hash beside
/// the instance's settings and prints the code; making the admin spends the code typed and drops every other.
/// </summary>
public static class SetupCodes
{
    const string Prefix = "setup-code:";

    // 32 letters and digits without the look-alikes (0/O, 1/I): 12 of them are 60 random bits, far beyond guessing
    // through the rate-limited form.
    const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static Task<bool> InstanceHasAdminAsync(HearthDb db, CancellationToken ct) => db.Users.AnyAsync(u => u.IsAdmin, ct);

    /// <summary>Prints a fresh code when the instance has no admin yet; returns it (null when there is an admin).</summary>
    public static async Task<string?> OfferAsync(HearthDb db, ILogger logger, CancellationToken ct)
    {
        if (await InstanceHasAdminAsync(db, ct))
        {
            // Made admin another way (the command line): no code printed before may make another.
            await ForgetAllAsync(db, ct);
            return null;
        }
        var code = New();
        // The row is the code's hash; its value says nothing.
        db.InstanceSettings.Add(new InstanceSetting { Name = Prefix + Hash(code), Value = "offered" });
        await db.SaveChangesAsync(ct);
        logger.LogWarning("This instance has no admin yet. Open /account/setup in a browser and give the setup code {SetupCode} to make the admin account (the code works once), or run: hearth users grant EMAIL --role admin",
            code);
        return code;
    }

    /// <summary>
    /// Spends the code if it is one of the printed ones: true for exactly one request, however many send it at once
    /// (the row's delete is the gate). Run inside the transaction that makes the admin, so a refusal after it puts the
    /// code back.
    /// </summary>
    public static async Task<bool> TrySpendAsync(HearthDb db, string? typed, CancellationToken ct)
    {
        var normalised = new string((typed ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        if (normalised.Length != 12)
        {
            return false;
        }
        var name = Prefix + Hash(normalised);
        return await db.InstanceSettings.Where(s => s.Name == name).ExecuteDeleteAsync(ct) == 1;
    }

    /// <summary>Once there is an admin, no code made before it may make another.</summary>
    public static Task ForgetAllAsync(HearthDb db, CancellationToken ct) =>
        db.InstanceSettings.Where(s => s.Name.StartsWith(Prefix)).ExecuteDeleteAsync(ct);

    static string New()
    {
        Span<char> code = stackalloc char[12];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code.Replace("-", "", StringComparison.Ordinal))));
}
