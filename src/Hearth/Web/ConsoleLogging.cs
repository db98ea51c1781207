using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging.Console;

namespace Hearth.Web;

/// <summary>
/// The server's console: readable text by default, for the person who started it (each message under a line naming
/// its time, level and source, so "Now listening on" and an e-mail's link each stand on a line of their own);
/// single-line JSON for log collectors with Logging:Console:FormatterName=json. Both can be tuned through
/// Logging:Console:FormatterOptions, which wins over the defaults set here.
/// </summary>
public static class ConsoleLogging
{
    public static WebApplicationBuilder AddHearthConsoleLogging(this WebApplicationBuilder builder)
    {
        var formatterOptions = builder.Configuration.GetSection("Logging:Console:FormatterOptions");
        // Without a name the console logger falls back to its old settings, which would drop the options below.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(text =>
        {
            text.TimestampFormat = "HH:mm:ss ";
            formatterOptions.Bind(text);
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.TimestampFormat = "O";
            json.UseUtcTimestamp = true;
            // A log is not HTML: "&" in a link stays "&" (not \u0026), so a link copied from the log works.
            json.JsonWriterOptions = json.JsonWriterOptions with { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
            formatterOptions.Bind(json);
        });
        return builder;
    }
}
