using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hearth.Web;

/// <summary>
/// A request that fails because the database cannot be reached (PostgreSQL down or restarting, its connections used
/// up, SQLite's file busy past its timeout, its disk full or failing) is answered
/// <c>503 database_unavailable</c> with Retry-After, not 500: it was not acknowledged (a write is acknowledged only
/// after its commit), and the same request may be sent again, a post with its Idempotency-Key. An unreachable database
/// is logged in one line, so an outage reads as an outage; one that answered and gave up on the request (a deadlock, a
/// serialisation failure, a statement that ran out of time) is logged with its stack, as it may be a bug's.
/// </summary>
public sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the file, not the request, is the trouble.
    static readonly int[] SqliteUnavailable = [5, 6, 10, 13, 14];

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Cause(exception) is not { } cause)
        {
            return false;
        }
        if (cause is PostgresException answered)
        {
            logger.LogWarning(exception, "The database gave up on {Method} {Path} ({SqlState})", httpContext.Request.Method,
                httpContext.Request.Path, answered.SqlState);
        }
        else
        {
            logger.LogWarning("The database could not be reached for {Method} {Path}: {Kind}: {Reason}", httpContext.Request.Method,
                httpContext.Request.Path, cause.GetType().Name, cause.Message);
        }
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status503ServiceUnavailable, "database_unavailable",
            $"The database cannot be reached just now, so this was not done. Try again in {RetryAfterSeconds} seconds.").ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The exception in the chain that says the database is away, or null when the failure is something else.</summary>
    public static Exception? Cause(Exception exception)
    {
        // Bounded: a chain of inner exceptions is built by libraries, but never trust its length.
        var e = exception;
        for (var depth = 0; e is not null && depth < 16; depth++, e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } || e is SqliteException sqlite && SqliteUnavailable.Contains(sqlite.SqliteErrorCode))
            {
                return e;
            }
        }
        return null;
    }
}
