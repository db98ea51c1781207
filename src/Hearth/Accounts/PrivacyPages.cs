using System.Text.Json;
using Hearth.Identity;
using Microsoft.AspNetCore.Identity;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>A person's own data: take it all with them as JSON, or have the account deleted.</summary>
public static class PrivacyPages
{
    public static async Task<IResult> DownloadAsync(HttpContext http, AccountExport export, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await export.RunAsync(userId, ct) is not { } account)
        {
            return TypedResults.Redirect("/account/signin");
        }
        http.Response.Headers.CacheControl = "no-store";
        // Written as it is read: years of comments never sit whole in the server's memory.
        return TypedResults.Stream(body => JsonSerializer.SerializeAsync(body, account, AccountExport.Indented, ct), "application/json",
            $"hearth-account-{userId}.json");
    }

    public static async Task<IResult> DeleteFormAsync(HttpContext http, UserManager<HearthUser> users) =>
        await users.GetUserAsync(http.User) is { } user ? DeleteForm(http, user.PasswordHash is not null) : TypedResults.Redirect("/account/signin");

    /// <summary>Confirmed with the password, or, for an account without one (passkeys, a provider), by typing its address.</summary>
    static IResult DeleteForm(HttpContext http, bool hasPassword, string? error = null, int status = 200) =>
        Page(http, "Delete your account", $"""
                <p>Your profile, sessions, API tokens, votes, reports and roles go for good, and so do the address hashes your
                comments were sent from and the words of them a moderator edited away. Choose what happens to your comments:</p>
                {Error(error)}
                <form method="post" action="/account/delete">
                {Csrf(http)}
                <fieldset><legend>Your comments</legend>
                <label><input type="radio" name="comments" value="remove" checked> Remove them (where others replied, a "deleted" marker keeps the conversation readable)</label>
                <label><input type="radio" name="comments" value="keep"> Keep them, signed "former member", with nothing that leads back to you</label>
                </fieldset>
                {(hasPassword
                    ? """<label for="password">Your password, to confirm</label><input id="password" name="password" type="password" autocomplete="current-password" required>"""
                    : """<label for="password">Your account's e-mail address, to confirm</label><input id="password" name="password" type="email" autocomplete="off" required>""")}
                <button type="submit">Delete my account</button>
                </form>
                <p class="muted">What stays: a ban a site put on you keeps working against your e-mail address (and an address
                your comments came from), held only as a keyed hash nobody can read back, so deleting is no way round it; what
                you did as a moderator or owner stays in that site's log under your name, so it can tell who decided what.
                Backups of the database made before keep what they held.</p>
                <p class="muted"><a href="/account">Keep my account</a> · <a href="/account/data">Download my data first</a></p>
                """, status: status);

    public static async Task<IResult> DeleteAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] DeleteAccountForm form,
        UserManager<HearthUser> users, AccountDeletion deletion, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var hasPassword = user.PasswordHash is not null;
        if (form.Comments is not ("remove" or "keep"))
        {
            return DeleteForm(http, hasPassword, "Choose what happens to your comments.", 400);
        }
        var confirmed = hasPassword
            ? await users.CheckPasswordAsync(user, form.Password ?? "")
            : user.Email is not null && string.Equals(user.Email, form.Password?.Trim(), StringComparison.OrdinalIgnoreCase);
        if (!confirmed)
        {
            return DeleteForm(http, hasPassword, hasPassword ? "That is not your password." : "That is not your account's address.", 400);
        }
        await deletion.RunAsync(userId, keepComments: form.Comments == "keep", CancellationToken.None);
        await http.RequestServices.GetRequiredService<SignInManager<HearthUser>>().SignOutAsync();
        return Page(http, "Your account is deleted", "<p>Everything that said who you were is gone, but for the bans and the log entries the deletion page named. Thank you for the conversations.</p>");
    }
}

public sealed record DeleteAccountForm(string? Comments, string? Password);
