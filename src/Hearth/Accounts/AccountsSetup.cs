using Hearth.Mail;
using Hearth.Web;
using Microsoft.AspNetCore.Identity;

namespace Hearth.Accounts;

public static class AccountsSetup
{
    /// <summary>The account pages: Identity's cookie (HttpOnly, SameSite=Lax, Secure over https), anti-forgery tokens and e-mail.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHearthMail();
        services.AddSingleton<AccountLimits>();
        services.AddScoped<AccountMail>();
        services.AddScoped<AccountExport>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<GuestClaims>();
        services.AddScoped<MemberComments>();
        var authentication = services.AddAuthentication(IdentityConstants.ApplicationScheme);
        authentication.AddIdentityCookies();
        authentication.AddExternalProviders(configuration);
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "hearth.account";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/account";
            cookie.LoginPath = "/account/signin";
            cookie.ExpireTimeSpan = AccountSessions.Lifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnValidatePrincipal = AccountSessions.ValidateAsync;
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "hearth.antiforgery";
            antiforgery.Cookie.Path = "/account";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = "csrf";
            antiforgery.HeaderName = "X-CSRF";
        });
        return services;
    }

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account").ExcludeFromDescription();
        pages.MapGet("/signup", (HttpContext http) => SignUpPages.Form(http));
        pages.MapPost("/signup", SignUpPages.SubmitAsync).RequireRateLimiting(RateLimits.SignUps);
        pages.MapGet("/confirm", SignUpPages.ConfirmAsync);
        pages.MapGet("/signin", (HttpContext http, string? returnUrl) => SignInPages.Form(http, returnUrl));
        pages.MapPost("/signin", SignInPages.SubmitAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapPost("/signout", (Delegate)SignInPages.SignOutAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapGet("/forgot", (HttpContext http) => PasswordResetPages.ForgotForm(http));
        pages.MapPost("/forgot", PasswordResetPages.ForgotAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/reset", (HttpContext http, long user, string? code, int? confirmed) =>
            PasswordResetPages.ResetForm(http, user, code, confirmed: confirmed == 1));
        pages.MapPost("/reset", PasswordResetPages.ResetAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("", AccountHomePage.ShowAsync);
        pages.MapPost("/sessions/{id:long}/end", AccountHomePage.EndSessionAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapGet("/profile", ProfilePages.FormAsync);
        pages.MapPost("/profile", ProfilePages.SaveAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapPost("/avatar", ProfilePages.UploadAvatarAsync).RequireRateLimiting(RateLimits.AccountActions)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Avatars.AvatarImages.MaxUploadBytes + 64 * 1024));
        pages.MapGet("/communities", ProfileCommunities.FormAsync);
        pages.MapPost("/communities", ProfileCommunities.SaveAsync);
        pages.MapPost("/avatar/remove", ProfilePages.RemoveAvatarAsync).AddEndpointFilter<RequireAntiforgery>()
            .RequireRateLimiting(RateLimits.AccountActions);
        pages.MapPost("/passkeys/creation-options", Passkeys.CreationOptionsAsync);
        pages.MapPost("/passkeys", Passkeys.AddAsync);
        pages.MapPost("/passkeys/remove", Passkeys.RemoveAsync);
        pages.MapPost("/passkeys/request-options", Passkeys.RequestOptionsAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapPost("/signin/passkey", Passkeys.SignInAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/external/done", ExternalProviders.DoneAsync);
        pages.MapGet("/external/{name}", (HttpContext http, string name, string? returnUrl) => ExternalProviders.Challenge(http, name, returnUrl));
        pages.MapGet("/tokens", ApiTokens.ShowAsync);
        pages.MapPost("/tokens", ApiTokens.CreateAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapPost("/tokens/{id:long}/revoke", ApiTokens.RevokeAsync).AddEndpointFilter<RequireAntiforgery>();
        pages.MapGet("/claim", GuestClaims.ShowAsync);
        pages.MapPost("/claim", GuestClaims.SubmitAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/claim/confirm", GuestClaims.ConfirmAsync);
        pages.MapGet("/data", PrivacyPages.DownloadAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/delete", PrivacyPages.DeleteFormAsync);
        pages.MapPost("/delete", PrivacyPages.DeleteAsync).RequireRateLimiting(RateLimits.AccountActions);
        pages.MapGet("/widget", WidgetSignIn.AskAsync);
        pages.MapPost("/widget", WidgetSignIn.GrantAsync).RequireRateLimiting(RateLimits.AccountActions);
        app.MapGet("/", HomePage.ShowAsync).ExcludeFromDescription();
        app.MapSetupPage();
        app.MapGet("/people/{id:long}", ProfilePages.PublicAsync).ExcludeFromDescription();
    }
}
