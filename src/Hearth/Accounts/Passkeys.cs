using System.Globalization;
using System.Text;
using Hearth.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// Passkeys with Identity's WebAuthn support: a signed-in person adds one from their account page, and signs in with
/// it afterwards, no password typed. The ceremony's state rides in Identity's own short-lived cookie; each step that
/// changes something checks the page's anti-forgery token (sent as the X-CSRF header).
/// </summary>
public static class Passkeys
{
    /// <summary>The account page's passkey list, with a way to add one and to remove each.</summary>
    public static async Task<string> SectionAsync(HttpContext http, UserManager<HearthUser> users, HearthUser user)
    {
        var rows = new StringBuilder();
        foreach (var passkey in await users.GetPasskeysAsync(user))
        {
            var id = Convert.ToBase64String(passkey.CredentialId).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{E(passkey.Name ?? "Passkey")}</td><td><time datetime="{passkey.CreatedAt:O}">{passkey.CreatedAt:yyyy-MM-dd}</time></td>
                <td><form method="post" action="/account/passkeys/remove">{Csrf(http)}<input type="hidden" name="id" value="{id}"><button class="quiet" type="submit">Remove</button></form></td></tr>
                """);
        }
        return $"""
            <h2 id="passkeys">Passkeys</h2>
            <p class="hint">Sign in with your device's lock (fingerprint, face or PIN) instead of a password.</p>
            {(rows.Length == 0 ? "" : $"<table><tbody>{rows}</tbody></table>")}
            <p id="passkey-error" class="error" role="alert"></p>
            <button type="button" id="add-passkey">Add a passkey</button>
            """;
    }

    public const string AddScript = """
        document.getElementById("add-passkey")?.addEventListener("click", async () => {
          const error = document.getElementById("passkey-error");
          const csrf = document.querySelector("input[name=csrf]").value;
          try {
            const options = await (await fetch("/account/passkeys/creation-options", { method: "POST", headers: { "X-CSRF": csrf } })).json();
            const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
            const saved = await fetch("/account/passkeys", { method: "POST", headers: { "X-CSRF": csrf, "Content-Type": "application/json" }, body: JSON.stringify(credential) });
            if (!saved.ok) throw new Error((await saved.json()).detail);
            location.reload();
          } catch (e) {
            error.textContent = e.name === "NotAllowedError" ? "The passkey was not created." : e.message || "The passkey could not be added.";
          }
        });
        """;

    public const string SignInScript = """
        document.getElementById("passkey-signin")?.addEventListener("click", async () => {
          const error = document.getElementById("passkey-error");
          const csrf = document.querySelector("input[name=csrf]").value;
          try {
            const options = await (await fetch("/account/passkeys/request-options", { method: "POST", headers: { "X-CSRF": csrf } })).json();
            const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
            const returnUrl = document.querySelector("input[name=returnUrl]").value;
            const signedIn = await fetch("/account/signin/passkey", { method: "POST", headers: { "X-CSRF": csrf, "Content-Type": "application/json" },
              body: JSON.stringify({ credential: JSON.stringify(credential), returnUrl }) });
            const answer = await signedIn.json();
            if (!signedIn.ok) throw new Error(answer.detail);
            location.assign(answer.next);
          } catch (e) {
            error.textContent = e.name === "NotAllowedError" ? "Signing in with a passkey was cancelled." : e.message || "Signing in with a passkey did not work.";
          }
        });
        """;

    public static async Task<IResult> CreationOptionsAsync(HttpContext http, UserManager<HearthUser> users, SignInManager<HearthUser> signIn, IAntiforgery antiforgery)
    {
        if (await users.GetUserAsync(http.User) is not { } user)
        {
            return NotSignedIn();
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Forged();
        }
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = await users.GetUserIdAsync(user),
            Name = user.Email ?? user.UserName!,
            DisplayName = user.DisplayName,
        });
        return TypedResults.Content(options, "application/json");
    }

    public static async Task<IResult> AddAsync(HttpContext http, UserManager<HearthUser> users, SignInManager<HearthUser> signIn, IAntiforgery antiforgery)
    {
        if (await users.GetUserAsync(http.User) is not { } user)
        {
            return NotSignedIn();
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Forged();
        }
        var credential = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        var attestation = await signIn.PerformPasskeyAttestationAsync(credential);
        if (!attestation.Succeeded)
        {
            return Web.Problems.Of(StatusCodes.Status400BadRequest, "passkey_invalid", $"The passkey could not be added: {attestation.Failure.Message}");
        }
        // Only the account that asked for the options may store the passkey they produced.
        if (attestation.UserEntity.Id != await users.GetUserIdAsync(user))
        {
            return Forged();
        }
        var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
        return added.Succeeded ? TypedResults.NoContent()
            : Web.Problems.Of(StatusCodes.Status400BadRequest, "passkey_invalid", string.Join(" ", added.Errors.Select(e => e.Description)));
    }

    public static async Task<IResult> RemoveAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] RemovePasskeyForm form, UserManager<HearthUser> users)
    {
        if (await users.GetUserAsync(http.User) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        try
        {
            var id = Convert.FromBase64String((form.Id ?? "").Replace('-', '+').Replace('_', '/').PadRight(((form.Id?.Length ?? 0) + 3) / 4 * 4, '='));
            await users.RemovePasskeyAsync(user, id);
        }
        catch (FormatException)
        {
            // Not an id of any passkey: nothing to remove.
        }
        return TypedResults.Redirect("/account");
    }

    public static async Task<IResult> RequestOptionsAsync(HttpContext http, SignInManager<HearthUser> signIn, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Forged();
        }
        // No user named: the browser offers whichever passkey of this site the person has, so nobody learns who has one.
        return TypedResults.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");
    }

    public static async Task<IResult> SignInAsync(HttpContext http, PasskeySignInRequest request, SignInManager<HearthUser> signIn,
        UserManager<HearthUser> users, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Forged();
        }
        var assertion = await signIn.PerformPasskeyAssertionAsync(request.Credential ?? "");
        if (!assertion.Succeeded)
        {
            return Web.Problems.Of(StatusCodes.Status401Unauthorized, "passkey_refused", "That passkey does not open an account here.");
        }
        if (!await signIn.CanSignInAsync(assertion.User) || await users.IsLockedOutAsync(assertion.User))
        {
            return Web.Problems.Of(StatusCodes.Status403Forbidden, "sign_in_not_allowed", "This account cannot sign in right now.");
        }
        // The signature counter moves with every use; keeping it up to date is how a cloned authenticator shows itself.
        await users.AddOrUpdatePasskeyAsync(assertion.User, assertion.Passkey);
        await AccountSessions.SignInAsync(http, assertion.User);
        return TypedResults.Json(new { next = ReturnUrls.Safe(request.ReturnUrl) ?? "/account" });
    }

    static IResult NotSignedIn() => Web.Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "Sign in first.");

    static IResult Forged() => Web.Problems.Of(StatusCodes.Status400BadRequest, "antiforgery", "The page's anti-forgery token is missing or stale. Reload the page.");
}

public sealed record RemovePasskeyForm(string? Id);

public sealed record PasskeySignInRequest(string? Credential, string? ReturnUrl);
