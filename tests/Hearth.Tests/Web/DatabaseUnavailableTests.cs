using Hearth.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Web;

/// <summary>
/// Which failures are the database being away (503, try again) and which are not (a bug: 500). The answer itself, on
/// PostgreSQL stopped under two nodes, is in the scale tests' DatabaseOutageTests.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    [Theory]
    [InlineData(5)] // SQLITE_BUSY: another writer held the file past the busy timeout
    [InlineData(6)] // SQLITE_LOCKED
    [InlineData(10)] // SQLITE_IOERR
    [InlineData(13)] // SQLITE_FULL
    [InlineData(14)] // SQLITE_CANTOPEN
    public void SqliteFileTroubleIsTheDatabaseBeingAway(int code)
    {
        var cause = new SqliteException("file trouble", code);
        Assert.Same(cause, DatabaseUnavailableHandler.Cause(new DbUpdateException("saving", cause)));
    }

    [Fact]
    public void AConstraintOrABugIsNot()
    {
        Assert.Null(DatabaseUnavailableHandler.Cause(new DbUpdateException("saving", new SqliteException("UNIQUE constraint failed", 19))));
        Assert.Null(DatabaseUnavailableHandler.Cause(new InvalidOperationException("a bug")));
        Assert.Null(DatabaseUnavailableHandler.Cause(new Npgsql.PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
    }

    [Theory]
    [InlineData("28P01")] // a wrong password, say after a rotation
    [InlineData("3D000")] // a database that does not exist
    public void ADatabaseThatAnswersButRefusesIsAConfigurationErrorNotAnOutage(string sqlState)
    {
        Assert.Null(DatabaseUnavailableHandler.Cause(new Npgsql.PostgresException("refused", "FATAL", "FATAL", sqlState)));
    }

    [Fact]
    public void APostgresServerShuttingDownOrUnreachableIs()
    {
        var shutdown = new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01");
        Assert.Same(shutdown, DatabaseUnavailableHandler.Cause(shutdown));
        var refused = new Npgsql.NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111));
        Assert.Same(refused, DatabaseUnavailableHandler.Cause(new InvalidOperationException("wrapped", refused)));
    }

    [Fact]
    public void AnEndlessChainOfInnerExceptionsIsReadOnlySoFar()
    {
        Exception e = new SqliteException("busy", 5);
        for (var i = 0; i < 100; i++)
        {
            e = new InvalidOperationException("wrapped", e);
        }
        Assert.Null(DatabaseUnavailableHandler.Cause(e));
    }
}
