using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// Creating an account: the page answers the same whether or not the address already has one (the owner of the
/// address learns which by e-mail), and takes about as long either way, so nobody can probe who has an account.
/// </summary>
public static class SignUpPages
{
    public static IResult Form(HttpContext http, string? error = null, SignUpForm? values = null, int status = 200) => Page(http, "Create an account", $"""
        <p class="hint">One account for every site of this Hearth. We send a link to confirm your address.</p>
        {Error(error)}
        <form method="post" action="/account/signup" novalidate>
        {Csrf(http)}
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="{E(values?.Email)}">
        <label for="name">Name others see</label><input id="name" name="name" autocomplete="nickname" required maxlength="80" value="{E(values?.Name)}">
        <label for="password">Password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="10" aria-describedby="password-hint">
        <p class="hint" id="password-hint">Or leave it empty: the link we send signs you in once, and you add a passkey (your device's fingerprint, face or PIN) instead.</p>
        <button type="submit">Create account</button>
        </form>
        <p class="muted">Have an account? <a href="/account/signin">Sign in</a></p>
        """, status: status);

    public static async Task<IResult> SubmitAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] SignUpForm form,
        UserManager<HearthUser> users, StaffNames staff, AccountLimits limits, AccountMail mail, TimeProvider clock, HearthDb db,
        CancellationToken ct)
    {
        var email = form.Email?.Trim() ?? "";
        var (person, _, problem) = GuestInput.From(new GuestAuthorRequest(form.Name, email, null));
        if (email.Length == 0 || person?.Email is null)
        {
            return Form(http, email.Length == 0 ? "Please give your e-mail address."
                : problem?.Replace(" to comment as a guest", "", StringComparison.Ordinal) ?? "Please check the name.", form, 400);
        }
        if (await staff.WouldImpersonateAsync(person.Name, null, ct))
        {
            return Form(http, "That name is too close to the name of someone on the team. Please choose another.", form, 400);
        }
        var user = new HearthUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N"),
            Email = person.Email,
            DisplayName = person.Name,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var passwordless = string.IsNullOrEmpty(form.Password);
        foreach (var validator in passwordless ? [] : users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, user, form.Password ?? "");
            if (!checkedPassword.Succeeded)
            {
                return Form(http, string.Join(" ", checkedPassword.Errors.Select(e => e.Description)), form with { Password = null }, 400);
            }
        }
        if (!await limits.TryAttemptAsync("signup", person.Email, ct))
        {
            return Form(http, "Too many attempts for this address. Please wait a few minutes and try again.", form with { Password = null }, 429);
        }
        // Either way one message goes to an address nobody has proven yet: counted against that inbox.
        if (!await limits.TryMailAsync(person.Email, ct))
        {
            return Form(http, "We have sent enough messages to this address for today. Please try again tomorrow.", form with { Password = null }, 429);
        }

        var taken = await users.FindByEmailAsync(person.Email) is not null;
        if (!taken)
        {
            // Null when another sign-up (on this node or another) took the address since the look-up above; the work of
            // creating the account is done, so the answer's timing is as if it had been created.
            var created = await CreateUnlessTakenAsync(users, db, user, passwordless ? null : form.Password!);
            if (created is { Succeeded: false })
            {
                return Form(http, string.Join(" ", created.Errors.Select(e => e.Description)), form with { Password = null }, 400);
            }
            if (created is not null)
            {
                await mail.ConfirmAsync(user, ct);
                PendingSignUp.Remember(http, user.Id);
            }
            taken = created is null;
        }
        else
        {
            // The work of creating the account, without creating it (the same checks, the same hash), so the answer's
            // timing does not tell either.
            foreach (var validator in users.UserValidators)
            {
                await validator.ValidateAsync(users, user);
            }
            if (!passwordless)
            {
                users.PasswordHasher.HashPassword(user, form.Password!);
            }
        }
        if (taken)
        {
            await mail.AlreadyRegisteredAsync(person.Email, ct);
            // The same cookie as a new sign-up gets, naming no account: its presence must not tell either.
            PendingSignUp.RememberNone(http);
        }
        return Page(http, "Check your inbox", $"""
            <p>We sent a message to <strong>{E(person.Email)}</strong>. Open the link in it to finish.</p>
            <p class="muted">Nothing there after a few minutes? Look in the spam folder, or <a href="/account/signup">try again</a>.</p>
            {mail.UndeliveredNote}
            """);
    }

    /// <summary>
    /// Creates the account, or answers null when the address's unique index refused it because another sign-up stored
    /// the same address between this one's look-up and its insert: that sign-up won, and this one is answered as a
    /// sign-up with a taken address is.
    /// </summary>
    static async Task<IdentityResult?> CreateUnlessTakenAsync(UserManager<HearthUser> users, HearthDb db, HearthUser user, string? password)
    {
        try
        {
            return password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        }
        catch (DbUpdateException)
        {
            // The refused account stays tracked as one to add: the mail queued next is saved by the same context.
            db.ChangeTracker.Clear();
            if (await users.FindByEmailAsync(user.Email!) is null)
            {
                throw;
            }
            return null;
        }
    }

    /// <summary>
    /// The link proves the address. Opened in the browser that signed up, it finishes that sign-up (and, for an
    /// account without a password, signs in once so a passkey can be added). Opened anywhere else, whatever was set up
    /// before the address was proven (a password, passkeys, sessions: possibly by someone who typed in another
    /// person's address) is dropped, and whoever holds the address chooses a password now.
    /// </summary>
    public static async Task<IResult> ConfirmAsync(HttpContext http, long user, string? code, UserManager<HearthUser> users, HearthDb db, CancellationToken ct)
    {
        var found = await users.FindByIdAsync(user.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var firstConfirmation = found is { EmailConfirmed: false };
        if (found is null || string.IsNullOrEmpty(code) || !(await users.ConfirmEmailAsync(found, code)).Succeeded)
        {
            return Page(http, "This link does not work", """
                <p>It may have expired (links work for 24 hours) or been used already.</p>
                <p><a href="/account/signin">Sign in</a> to get a new one.</p>
                """, status: 400);
        }
        if (!firstConfirmation)
        {
            return Page(http, "Your address is confirmed", """<p><a href="/account/signin">Sign in</a>.</p>""");
        }
        if (PendingSignUp.IsFrom(http, found.Id))
        {
            PendingSignUp.Forget(http);
            if (found.PasswordHash is null)
            {
                await AccountSessions.SignInAsync(http, found);
                return TypedResults.Redirect("/account#passkeys");
            }
            return Page(http, "Your address is confirmed", """<p>Welcome. <a href="/account/signin">Sign in</a> to start.</p>""");
        }
        await users.RemovePasswordAsync(found);
        foreach (var passkey in await users.GetPasskeysAsync(found))
        {
            await users.RemovePasskeyAsync(found, passkey.CredentialId);
        }
        await db.MemberSessions.Where(s => s.UserId == found.Id).ExecuteDeleteAsync(ct);
        await users.UpdateSecurityStampAsync(found);
        var reset = await users.GeneratePasswordResetTokenAsync(found);
        return TypedResults.Redirect($"/account/reset?user={found.Id}&code={Uri.EscapeDataString(reset)}&confirmed=1");
    }
}
