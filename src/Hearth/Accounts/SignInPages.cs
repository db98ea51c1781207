using Hearth.Identity;
using Microsoft.AspNetCore.Identity;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// Signing in with e-mail and password. A wrong address and a wrong password get the same answer in about the same
/// time; five wrong passwords lock the account for 15 minutes.
/// </summary>
public static class SignInPages
{
    /// <summary>
    /// One answer for an unknown address, a wrong password and a locked account: telling them apart would tell a
    /// stranger which addresses have accounts, or, while locked, which guess was right.
    /// </summary>
    const string Wrong = "That e-mail address and password do not match an account, or the account is locked for 15 minutes after too many tries. Check both, or reset your password.";

    /// <summary>A hash of nothing, made with the instance's own settings, checked when the address has no account so the answer takes as long.</summary>
    static string? _dummyHash;

    public static IResult Form(HttpContext http, string? returnUrl, string? error = null, string? email = null, int status = 200) => Page(http, "Sign in", $"""
        {Error(error)}
        <form method="post" action="/account/signin" novalidate>
        {Csrf(http)}
        <input type="hidden" name="returnUrl" value="{E(ReturnUrls.Safe(returnUrl))}">
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required value="{E(email)}">
        <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        </form>
        <p>or</p>
        <p id="passkey-error" class="error" role="alert"></p>
        <button type="button" id="passkey-signin">Sign in with a passkey</button>
        {ExternalProviders.Buttons(http, returnUrl)}
        <p class="muted"><a href="/account/forgot">Forgot your password?</a> · <a href="/account/signup">Create an account</a></p>
        """, script: Passkeys.SignInScript, status: status);

    public static async Task<IResult> SubmitAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] SignInForm form,
        UserManager<HearthUser> users, AccountLimits limits, AccountMail mail, CancellationToken ct)
    {
        var email = form.Email?.Trim() ?? "";
        var password = form.Password ?? "";
        if (email.Length == 0 || password.Length == 0)
        {
            return Form(http, form.ReturnUrl, "Please give your e-mail address and your password.", email, 400);
        }
        if (!await limits.TryAttemptAsync("signin", email, ct))
        {
            return Form(http, form.ReturnUrl, "Too many attempts for this address. Please wait a few minutes and try again.", email, 429);
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            _dummyHash ??= users.PasswordHasher.HashPassword(new HearthUser(), Guid.NewGuid().ToString());
            users.PasswordHasher.VerifyHashedPassword(new HearthUser(), _dummyHash, password);
            return Form(http, form.ReturnUrl, Wrong, email, 400);
        }
        // The password is checked first and always, so nothing below answers differently to someone who does not know it.
        if (user.PasswordHash is null)
        {
            _dummyHash ??= users.PasswordHasher.HashPassword(new HearthUser(), Guid.NewGuid().ToString());
            users.PasswordHasher.VerifyHashedPassword(new HearthUser(), _dummyHash, password);
        }
        var passwordRight = user.PasswordHash is not null && await users.CheckPasswordAsync(user, password);
        if (await users.IsLockedOutAsync(user))
        {
            return Form(http, form.ReturnUrl, Wrong, email, 400);
        }
        if (!passwordRight)
        {
            await users.AccessFailedAsync(user);
            return Form(http, form.ReturnUrl, Wrong, email, 400);
        }
        await users.ResetAccessFailedCountAsync(user);
        if (!user.EmailConfirmed)
        {
            await mail.ConfirmAsync(user, ct);
            return Form(http, form.ReturnUrl, "Please confirm your e-mail address first: we have sent you a new link.", email, 403);
        }
        await AccountSessions.SignInAsync(http, user);
        return TypedResults.Redirect(ReturnUrls.Safe(form.ReturnUrl) ?? "/account");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await AccountSessions.SignOutAsync(http);
        return TypedResults.Redirect("/account/signin");
    }
}
