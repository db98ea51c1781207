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
    const string Wrong = "That e-mail address and password do not match an account. Check both, or reset your password.";

    /// <summary>A hash of nothing, checked when the address has no account so the answer takes as long as a real check.</summary>
    static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<HearthUser>().HashPassword(new HearthUser(), Guid.NewGuid().ToString()));

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
        UserManager<HearthUser> users, SignInManager<HearthUser> signIn, AccountLimits limits, AccountMail mail, CancellationToken ct)
    {
        var email = form.Email?.Trim() ?? "";
        var password = form.Password ?? "";
        if (email.Length == 0 || password.Length == 0)
        {
            return Form(http, form.ReturnUrl, "Please give your e-mail address and your password.", email, 400);
        }
        if (!limits.TryAttempt("signin", email))
        {
            return Form(http, form.ReturnUrl, "Too many attempts for this address. Please wait a few minutes and try again.", email, 429);
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new HearthUser(), DummyHash.Value, password);
            return Form(http, form.ReturnUrl, Wrong, email, 400);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Form(http, form.ReturnUrl, "Too many wrong passwords: this account is locked for 15 minutes. You can reset the password meanwhile.", email, 429);
        }
        if (result.IsNotAllowed)
        {
            // Only someone who knows the password gets this far, so saying why is safe.
            await mail.ConfirmAsync(http, user, ct);
            return Form(http, form.ReturnUrl, "Please confirm your e-mail address first: we have sent you a new link.", email, 403);
        }
        if (!result.Succeeded)
        {
            return Form(http, form.ReturnUrl, Wrong, email, 400);
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
