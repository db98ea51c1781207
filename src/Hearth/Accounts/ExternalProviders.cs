using System.Security.Claims;
using Hearth.Conversations;
using Hearth.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>One OpenID Connect provider people may sign in with (Hearth:OpenIdConnect:NAME).</summary>
public sealed class OpenIdProviderOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? DisplayName { get; set; }
}

/// <summary>
/// Sign-in with any OpenID Connect provider named in settings: authorization code with PKCE, the answer as a query
/// (a top-level GET, so SameSite=Lax cookies keep the flow's state), and the provider's verified address trusted as
/// the account's. An address that already has an account is not taken over: its owner signs in as before.
/// </summary>
public static class ExternalProviders
{
    public const string Section = "Hearth:OpenIdConnect";

    public static string Scheme(string name) => "oidc-" + name;

    public static IReadOnlyDictionary<string, OpenIdProviderOptions> Read(IConfiguration configuration) =>
        configuration.GetSection(Section).GetChildren()
            .Where(c => c.Key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
            .ToDictionary(c => c.Key.ToLowerInvariant(), c => c.Get<OpenIdProviderOptions>() ?? new OpenIdProviderOptions());

    public static AuthenticationBuilder AddExternalProviders(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        foreach (var (name, provider) in Read(configuration))
        {
            if (provider.Authority is null || provider.ClientId is null)
            {
                throw new InvalidOperationException($"{Section}:{name} needs an Authority and a ClientId.");
            }
            authentication.AddOpenIdConnect(Scheme(name), provider.DisplayName ?? name, oidc =>
            {
                oidc.SignInScheme = IdentityConstants.ExternalScheme;
                oidc.Authority = provider.Authority;
                oidc.ClientId = provider.ClientId;
                oidc.ClientSecret = provider.ClientSecret;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.CallbackPath = "/account/oidc/" + name;
                oidc.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email" })
                {
                    oidc.Scope.Add(scope);
                }
                oidc.MapInboundClaims = false;
                oidc.SaveTokens = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                // Plain http only for a provider on this machine (development, tests).
                oidc.RequireHttpsMetadata = !Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority) || !authority.IsLoopback;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        }
        return authentication;
    }

    /// <summary>The buttons on the sign-in page, one per provider.</summary>
    public static string Buttons(HttpContext http, string? returnUrl)
    {
        var providers = Read(http.RequestServices.GetRequiredService<IConfiguration>());
        var back = ReturnUrls.Safe(returnUrl);
        return string.Concat(providers.Select(p =>
            $"""<p><a class="provider" href="/account/external/{E(p.Key)}{(back is null ? "" : "?returnUrl=" + Uri.EscapeDataString(back))}">Sign in with {E(p.Value.DisplayName ?? p.Key)}</a></p>"""));
    }

    public static IResult Challenge(HttpContext http, string name, string? returnUrl)
    {
        if (!Read(http.RequestServices.GetRequiredService<IConfiguration>()).ContainsKey(name))
        {
            return Page(http, "No such sign-in", "<p>This Hearth does not offer that way to sign in.</p>", status: 404);
        }
        var done = "/account/external/done" + (ReturnUrls.Safe(returnUrl) is { } back ? "?returnUrl=" + Uri.EscapeDataString(back) : "");
        var properties = http.RequestServices.GetRequiredService<SignInManager<HearthUser>>().ConfigureExternalAuthenticationProperties(Scheme(name), done);
        return TypedResults.Challenge(properties, [Scheme(name)]);
    }

    public static async Task<IResult> DoneAsync(HttpContext http, string? returnUrl, SignInManager<HearthUser> signIn, UserManager<HearthUser> users,
        StaffNames staff, TimeProvider clock, CancellationToken ct)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return Page(http, "Sign-in did not finish", """<p>The provider's answer was missing or has expired. <a href="/account/signin">Try again</a>.</p>""", status: 400);
        }
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (user is null)
        {
            var email = info.Principal.FindFirstValue("email");
            var verified = string.Equals(info.Principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
            // Only an address the provider vouches for is looked up: anything else would let anyone ask who has an account.
            if (verified && email is not null && await users.FindByEmailAsync(email) is not null)
            {
                return Page(http, "You already have an account", $"""
                    <p>An account with the address {E(email)} exists already. Sign in to it the way you created it; it was not joined to {E(info.ProviderDisplayName)}, so nobody can take an account over through another provider.</p>
                    <p><a href="/account/signin">Sign in</a></p>
                    """, status: 409);
            }
            // The provider's word for the name is taken when it is one Hearth would take from a form; otherwise the
            // sign-in still goes through, under a plain name the person can change on their profile.
            var name = TextRules.CleanName(info.Principal.FindFirstValue("name") ?? info.Principal.FindFirstValue("preferred_username") ?? "");
            for (var tries = 0; tries < 20 && (name.Length is 0 or > CommentInput.MaxNameLength || await staff.WouldImpersonateAsync(name, null, ct)); tries++)
            {
                name = "Member " + Random.Shared.Next(1000, 10000);
            }
            user = new HearthUser
            {
                UserName = "u" + Guid.NewGuid().ToString("N"),
                Email = verified ? email : null,
                EmailConfirmed = verified && email is not null,
                DisplayName = name,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            IdentityResult created;
            try
            {
                created = await users.CreateAsync(user);
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // The address's unique index: an account with it was stored since the look-up above (another node).
                return Page(http, "You already have an account", $"""
                    <p>An account with the address {E(email)} exists already. Sign in to it the way you created it.</p>
                    <p><a href="/account/signin">Sign in</a></p>
                    """, status: 409);
            }
            if (created.Succeeded)
            {
                created = await users.AddLoginAsync(user, info);
            }
            if (!created.Succeeded)
            {
                return Page(http, "Sign-in did not finish", $"<p>{E(string.Join(" ", created.Errors.Select(e => e.Description)))}</p>", status: 400);
            }
        }
        await AccountSessions.SignInAsync(http, user);
        return TypedResults.Redirect(ReturnUrls.Safe(returnUrl) ?? "/account");
    }
}
