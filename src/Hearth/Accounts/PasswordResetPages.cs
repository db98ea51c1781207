using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>Forgotten passwords: the answer never says whether the address has an account; the e-mail does the rest.</summary>
public static class PasswordResetPages
{
    public static IResult ForgotForm(HttpContext http, string? error = null, int status = 200) => Page(http, "Reset your password", $"""
        <p class="hint">Give the address of your account and we send you a link to choose a new password.</p>
        {Error(error)}
        <form method="post" action="/account/forgot" novalidate>
        {Csrf(http)}
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="email" required>
        <button type="submit">Send the link</button>
        </form>
        """, status: status);

    public static async Task<IResult> ForgotAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] ForgotForm form,
        UserManager<HearthUser> users, AccountLimits limits, AccountMail mail, CancellationToken ct)
    {
        var email = form.Email?.Trim() ?? "";
        if (email.Length == 0)
        {
            return ForgotForm(http, "Please give your e-mail address.", 400);
        }
        if (!await limits.TryAttemptAsync("reset", email, ct))
        {
            return ForgotForm(http, "Too many attempts for this address. Please wait a few minutes and try again.", 429);
        }
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            // Unconfirmed accounts too: whoever holds the address may take over one someone else started with it.
            await mail.ResetAsync(user, ct);
        }
        return Page(http, "Check your inbox", $"""
            <p>If <strong>{E(email)}</strong> belongs to an account, a link to choose a new password is on its way.</p>
            {mail.UndeliveredNote}
            """);
    }

    public static IResult ResetForm(HttpContext http, long user, string? code, string? error = null, int status = 200, bool confirmed = false) => Page(http, "Choose a new password", $"""
        {(confirmed ? "<p>Your address is confirmed. This link was opened in another browser than the one that signed up, so choose the password now.</p>" : "")}
        {Error(error)}
        <form method="post" action="/account/reset" novalidate>
        {Csrf(http)}
        <input type="hidden" name="user" value="{user}"><input type="hidden" name="code" value="{E(code)}">
        <label for="password">New password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
        <button type="submit">Save the password</button>
        </form>
        """, status: status);

    public static async Task<IResult> ResetAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] ResetForm form,
        UserManager<HearthUser> users, HearthDb db, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(form.User.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null || string.IsNullOrEmpty(form.Code))
        {
            return Page(http, "This link does not work", """<p>It may have expired or been used. <a href="/account/forgot">Ask for a new one.</a></p>""", status: 400);
        }
        var result = await users.ResetPasswordAsync(user, form.Code, form.Password ?? "");
        if (!result.Succeeded)
        {
            var expired = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
            return expired
                ? Page(http, "This link does not work", """<p>It may have expired or been used. <a href="/account/forgot">Ask for a new one.</a></p>""", status: 400)
                : ResetForm(http, form.User, form.Code, string.Join(" ", result.Errors.Select(e => e.Description)), 400);
        }
        // A new password ends every session and every passkey: whoever knew the old password, or added a key with it,
        // is out. Holding the address proves it, so an account not yet confirmed is confirmed now.
        await db.MemberSessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
        var passkeys = await users.GetPasskeysAsync(user);
        foreach (var passkey in passkeys)
        {
            await users.RemovePasskeyAsync(user, passkey.CredentialId);
        }
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        var note = passkeys.Count == 0 ? "" : " Your passkeys were removed too: add them again from your account page.";
        return Page(http, "Your password is changed", $"""<p>You have been signed out everywhere.{note} <a href="/account/signin">Sign in</a> with the new password.</p>""");
    }
}
