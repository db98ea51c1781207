using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Hearth.Accounts;

/// <summary>
/// Marks the browser a sign-up was made in, so the confirmation link knows whether it is opened by the same person
/// (finish the sign-up) or in another browser (then trust nothing that was set up before the address was proven).
/// </summary>
public static class PendingSignUp
{
    const string Cookie = "hearth.signup";

    static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Hearth.Accounts.PendingSignUp");

    public static void Remember(HttpContext http, long userId) => Set(http, userId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// For a sign-up that created nothing (the address has an account): a cookie like any other, protected the same
    /// way and as long (ids and this marker are both under one cipher block), that no account's id ever matches.
    /// </summary>
    public static void RememberNone(HttpContext http) => Set(http, "none");

    static void Set(HttpContext http, string value) =>
        http.Response.Cookies.Append(Cookie, Protector(http).Protect(value), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/account",
            MaxAge = TimeSpan.FromHours(24),
        });

    public static bool IsFrom(HttpContext http, long userId)
    {
        if (http.Request.Cookies[Cookie] is not { } value)
        {
            return false;
        }
        try
        {
            return Protector(http).Unprotect(value) == userId.ToString(CultureInfo.InvariantCulture);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static void Forget(HttpContext http) => http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/account" });
}
