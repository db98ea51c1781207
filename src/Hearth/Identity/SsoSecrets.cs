using System.Security.Cryptography;
using Hearth.Sites;
using Microsoft.AspNetCore.DataProtection;

namespace Hearth.Identity;

/// <summary>
/// A site's single sign-on secret. The database holds it encrypted with the instance's Data Protection keys (kept in
/// the data folder), so a copy of the database alone cannot mint sign-ins.
/// </summary>
public sealed class SsoSecrets(IDataProtectionProvider protection)
{
    readonly IDataProtector _protector = protection.CreateProtector("Hearth.Identity.SiteSsoSecret");

    /// <summary>A new secret for the site; the old one stops working at once.</summary>
    public string Rotate(Site site)
    {
        var secret = "hsso_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        site.SsoSecret = _protector.Protect(secret);
        return secret;
    }

    /// <summary>The site's secret, or null when it has none (or the keys that encrypted it are gone).</summary>
    public string? Read(Site site)
    {
        if (site.SsoSecret is null)
        {
            return null;
        }
        try
        {
            return _protector.Unprotect(site.SsoSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
