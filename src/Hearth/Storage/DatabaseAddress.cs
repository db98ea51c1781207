using System.Globalization;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// Which database Hearth keeps its data in: with no Hearth:Database (HEARTH_DATABASE), SQLite in the data folder; with
/// a postgres:// or postgresql:// address, PostgreSQL. Connection-string keywords may follow as a query
/// (?sslmode=require). Errors never repeat the address: it holds a password.
/// </summary>
public static class DatabaseAddress
{
    public const string Setting = "Hearth:Database";
    public const string ShortSetting = "HEARTH_DATABASE";

    public static bool IsPostgres(HearthOptions options) => !string.IsNullOrWhiteSpace(options.Database);

    /// <summary>The Npgsql connection string for a postgres:// address, or why the address cannot be used.</summary>
    public static (string? ConnectionString, string? Error) ParsePostgres(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            return (null, "it is not a postgres:// or postgresql:// address");
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            return (null, "it names no host");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/'))
        {
            return (null, "it names no database (postgres://user:password@host:port/DATABASE)");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.IdnHost.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            // Hearth sends the same few hundred statements over and over: prepared once per connection, PostgreSQL
            // stops parsing and planning each of them on every post (an address's own setting still wins).
            MaxAutoPrepare = 256,
            AutoPrepareMinUsages = 2,
            // Hearth changes no session state (its few settings are SET LOCAL, its locks end with their transaction), so a
            // pooled connection needs no reset: three statements less each time one is taken from the pool.
            NoResetOnClose = true,
        };
        if (uri.UserInfo.Length > 0)
        {
            var (user, password) = uri.UserInfo.IndexOf(':') is var colon and >= 0
                ? (uri.UserInfo[..colon], uri.UserInfo[(colon + 1)..])
                : (uri.UserInfo, null);
            builder.Username = Uri.UnescapeDataString(user);
            if (password is not null)
            {
                builder.Password = Uri.UnescapeDataString(password);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, keyValue) = pair.IndexOf('=') is var equals and >= 0 ? (pair[..equals], pair[(equals + 1)..]) : (pair, "");
            key = Uri.UnescapeDataString(key);
            try
            {
                builder[key] = Uri.UnescapeDataString(keyValue);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"its parameter '{key}' is not a PostgreSQL connection setting with a valid value"));
            }
        }
        return (builder.ConnectionString, null);
    }
}

/// <summary>A database address that cannot be used stops the server (or command) at start, saying which setting and why.</summary>
sealed class DatabaseAddressValidation : Microsoft.Extensions.Options.IValidateOptions<HearthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, HearthOptions options)
    {
        if (!DatabaseAddress.IsPostgres(options) || DatabaseAddress.ParsePostgres(options.Database!).Error is not { } error)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
        }
        return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
            $"{DatabaseAddress.Setting} ({DatabaseAddress.ShortSetting}) must be postgres://user:password@host:port/database, or be left out for SQLite: {error}.");
    }
}
