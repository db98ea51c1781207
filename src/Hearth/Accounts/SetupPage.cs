using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

public sealed record SetupForm(string? Code, string? Email, string? Name, string? Password);

/// <summary>
/// The first run in the browser: on an instance without an admin, whoever has the setup code from the server's log
/// makes the admin account (or makes their existing account the admin, with its password), and is signed in. Once
/// there is an admin, the page is gone and every code with it.
/// </summary>
public static class SetupPage
{
    public static void MapSetupPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/setup").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        // Binding the form checks its anti-forgery token; the limit is per address, so that nobody can lock the
        // instance's owner out by guessing wrong on purpose.
        pages.MapPost("", SubmitAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
    }

    static IResult SetUpAlready(HttpContext http) =>
        Page(http, "Set up already", "<p>This Hearth has its admin. <a href=\"/account/signin\">Sign in</a>.</p>", status: 404);

    static async Task<IResult> ShowAsync(HttpContext http, HearthDb db, CancellationToken ct) =>
        await SetupCodes.InstanceHasAdminAsync(db, ct) ? SetUpAlready(http) : Form(http);

    static IResult Form(HttpContext http, string? error = null, SetupForm? typed = null, int status = 200) => Page(http, "Set up this Hearth", $"""
        <p>This Hearth has no admin yet. The admin adds sites, gives people roles and can act on every site.</p>
        <p class="hint">The server printed a setup code in its log when it started (a line with "setup code"). It works once.</p>
        {Error(error)}
        <form method="post" action="/account/setup" novalidate>
        {Csrf(http)}
        <label for="code">Setup code</label><input id="code" name="code" autocomplete="one-time-code" required maxlength="40" spellcheck="false" placeholder="ABCD-EFGH-JKLM">
        <label for="email">Your e-mail</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="{E(typed?.Email)}">
        <label for="name">Name others see</label><input id="name" name="name" autocomplete="nickname" required maxlength="80" value="{E(typed?.Name)}">
        <label for="password">Password (at least 10 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="10">
        <p class="hint">If this address has an account here already, give its password: that account becomes the admin.</p>
        <button type="submit">Make the admin account</button>
        </form>
        """, status: status);

    static async Task<IResult> SubmitAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] SetupForm form, HearthDb db,
        UserManager<HearthUser> users, StaffNames staff, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        if (await SetupCodes.InstanceHasAdminAsync(db, ct))
        {
            return SetUpAlready(http);
        }
        var typed = form with { Code = null, Password = null };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The code first, so that without it nobody learns anything, not even whether an address has an account. A
        // refusal below rolls the transaction back, and the code with it.
        if (!await SetupCodes.TrySpendAsync(db, form.Code, ct))
        {
            return Form(http, "That is not the setup code. Copy it from the server's log (a line with \"setup code\"); a restart prints a new one.", typed, 400);
        }
        var (person, _, problem) = GuestInput.From(new GuestAuthorRequest(form.Name, form.Email?.Trim(), null));
        if (person?.Email is null)
        {
            return Form(http, person is null ? problem?.Replace(" to comment as a guest", "", StringComparison.Ordinal) ?? "Please check the name."
                : "Please give your e-mail address.", typed, 400);
        }
        var existing = await users.FindByEmailAsync(person.Email);
        var user = existing ?? new HearthUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N"),
            Email = person.Email,
            DisplayName = person.Name,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        if (existing is null)
        {
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, form.Password ?? "");
                if (!result.Succeeded)
                {
                    return Form(http, string.Join(" ", result.Errors.Select(e => e.Description)), typed, 400);
                }
            }
        }
        if (existing is not null)
        {
            if (existing.PasswordHash is null || !await users.CheckPasswordAsync(existing, form.Password ?? ""))
            {
                await transaction.RollbackAsync(ct);
                return Form(http, "This address has an account here: give its password to make it the admin.", typed, 400);
            }
            existing.IsAdmin = true;
            existing.EmailConfirmed = true;
            var updated = await users.UpdateAsync(existing);
            if (!updated.Succeeded)
            {
                await transaction.RollbackAsync(ct);
                return Form(http, string.Join(" ", updated.Errors.Select(e => e.Description)), typed, 400);
            }
        }
        else
        {
            if (await staff.WouldImpersonateAsync(person.Name, null, ct))
            {
                await transaction.RollbackAsync(ct);
                return Form(http, "That name is too close to the name of someone on a site's team. Please choose another.", typed, 400);
            }
            // Whoever holds the code runs the server, and so its mail: the address is theirs to give.
            user.EmailConfirmed = true;
            user.IsAdmin = true;
            var created = await users.CreateAsync(user, form.Password!);
            if (!created.Succeeded)
            {
                await transaction.RollbackAsync(ct);
                return Form(http, string.Join(" ", created.Errors.Select(e => e.Description)), typed, 400);
            }
        }
        await SetupCodes.ForgetAllAsync(db, ct);
        db.AuditLog.Add(new Moderation.AuditEntry
        {
            SiteId = null, ActorUserId = user.Id, ActorName = user.DisplayName, Action = "grant",
            Target = Moderation.AuditEntry.UserTarget(user.Id, user.DisplayName), Before = "none", After = "admin (first-run setup)",
            At = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logs.CreateLogger(typeof(SetupPage)).LogWarning("The instance's admin account was made in the browser with a setup code: user {UserId}", user.Id);
        await AccountSessions.SignInAsync(http, user);
        return TypedResults.Redirect("/account/sites");
    }
}
