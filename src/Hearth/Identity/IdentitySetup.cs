using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Hearth.Identity;

public static class IdentitySetup
{
    /// <summary>Identity's table layout; the design-time model for migrations uses the same.</summary>
    public static readonly Version SchemaVersion = IdentitySchemaVersions.Version3;

    public static void ConfigureStores(IdentityOptions options) => options.Stores.SchemaVersion = SchemaVersion;

    /// <summary>Accounts, sessions and single sign-on; the command line needs them too (sites sso).</summary>
    public static IServiceCollection AddHearthIdentity(this IServiceCollection services)
    {
        // Keys live in the data folder, so the server and the command line (and a restart) read the same secrets.
        services.AddDataProtection(o => o.ApplicationDiscriminator = "Hearth");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<HearthOptions>, ILoggerFactory>((keys, hearth, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetFullPath(hearth.Value.DataDirectory), "keys")), logs));
        services.Configure<IdentityOptions>(ConfigureStores);
        services.AddSingleton<SsoSecrets>();
        services.AddScoped<SessionTokens>();
        services.AddScoped<SignInWithSso>();
        return services;
    }
}
