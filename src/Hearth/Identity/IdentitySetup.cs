using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Hearth.Identity;

public static class IdentitySetup
{
    /// <summary>Identity's table layout; the design-time model for migrations uses the same.</summary>
    public static readonly Version SchemaVersion = IdentitySchemaVersions.Version3;

    public static void ConfigureStores(IdentityOptions options) => options.Stores.SchemaVersion = SchemaVersion;

    /// <summary>Accounts, sessions, roles and single sign-on; the command line needs them too (sites sso, users grant).</summary>
    public static IServiceCollection AddHearthIdentity(this IServiceCollection services)
    {
        // Keys live in the database, so every node (and the command line, and a restart) reads the same ones: a cookie,
        // a session or an e-mail link made on one node works on all. Keys from before, in the data folder, are imported
        // at start (KeyFilesImport).
        services.AddDataProtection(o => o.ApplicationDiscriminator = "Hearth").PersistKeysToDbContext<Storage.HearthDb>();

        services.AddIdentityCore<HearthUser>(identity =>
            {
                ConfigureStores(identity);
                // Every address is still held by one account at most (sign-up and providers check first); not requiring
                // one lets someone whose provider could not vouch for their address have an account without any.
                identity.User.RequireUniqueEmail = false;
                identity.SignIn.RequireConfirmedEmail = true;
                // Length is what makes a password hard to guess; composition rules mostly make it hard to remember.
                identity.Password.RequiredLength = 10;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<Storage.HearthDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // PBKDF2 with HMAC-SHA512: 210,000 rounds is the current OWASP advice (Identity's default is 100,000).
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(24));
        services.AddSingleton<SsoSecrets>();
        services.AddScoped<SessionTokens>();
        services.AddScoped<SignInWithSso>();
        services.AddScoped<StaffNames>();
        return services;
    }

    /// <summary>Background work of the server only.</summary>
    public static IServiceCollection AddIdentityMaintenance(this IServiceCollection services)
    {
        services.AddHostedService<SessionCleanup>();
        return services;
    }
}
