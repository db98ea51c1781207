using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Portability;

namespace Hearth.Cli;

/// <summary>What a command prints: results on stdout, messages on stderr, so output can be piped.</summary>
public sealed class CliOutput
{
    public void Json(string json) => Console.Out.WriteLine(json);

    public int Fail(string message)
    {
        Console.Error.WriteLine($"hearth: {message}");
        return 1;
    }

    /// <summary>Whether a person is at the keyboard to answer a question (stdin is a terminal, not a pipe or a file).</summary>
    public bool CanAsk => !Console.IsInputRedirected;

    /// <summary>Asks on stderr and reads the answer from stdin; null when input has ended.</summary>
    public string? Ask(string question)
    {
        Console.Error.Write(question);
        return Console.In.ReadLine()?.Trim();
    }
}

/// <summary>
/// The services a command needs (configuration, storage, the same options as the server) without the web server,
/// so a command and a running server read and write one database the same way.
/// </summary>
public static class CliHost
{
    public static Option<string?> DataOption() => new("--data")
    {
        Description = "The data folder (default ./hearth-data, or HEARTH_DATA).",
    };

    public static Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CliOutput, Task<int>> command, CancellationToken ct) =>
        RunAsync(parse, prepareStorage: true, command, ct);

    /// <param name="prepareStorage">
    /// Migrate and load the instance key first, as the server does at start; a command that is about migrating does it itself.
    /// </param>
    public static async Task<int> RunAsync(ParseResult parse, bool prepareStorage, Func<IServiceProvider, CliOutput, Task<int>> command,
        CancellationToken ct)
    {
        var args = new List<string>();
        if (parse.GetValue<string?>("--data") is { } data)
        {
            args.Add($"--{HearthOptions.Section}:{nameof(HearthOptions.DataDirectory)}={data}");
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. args], DisableDefaults = false });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHearthOptions();
        builder.Services.AddHearthStorage();
        builder.Services.AddSites();
        builder.Services.AddConversations();
        builder.Services.AddPortability();
        builder.Services.AddHearthIdentity();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var output = new CliOutput();
        try
        {
            if (prepareStorage)
            {
                // Only the server plants the demo: a command pointed at a new folder should not invent a site.
                await scope.ServiceProvider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, ct);
            }
            return await command(scope.ServiceProvider, output);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            return output.Fail(string.Join(' ', e.Failures));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException
            or Npgsql.NpgsqlException)
        {
            return output.Fail(e.Message);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException e)
            when (e.InnerException is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
        {
            return output.Fail(e.InnerException!.Message);
        }
    }

    public static JsonTypeInfo<T> Indented<T>(JsonTypeInfo<T> info) =>
        (JsonTypeInfo<T>)new JsonSerializerOptions(info.Options) { WriteIndented = true }.GetTypeInfo(typeof(T));
}
