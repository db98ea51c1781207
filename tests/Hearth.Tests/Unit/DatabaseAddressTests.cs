using Hearth.Storage;
using Npgsql;

namespace Hearth.Tests.Unit;

/// <summary>How a Hearth:Database address becomes a PostgreSQL connection, and what is refused.</summary>
public class DatabaseAddressTests
{
    [Theory]
    [InlineData("postgres://hearth:s3cret@db.example:6543/comments", "db.example", 6543, "comments", "hearth", "s3cret")]
    [InlineData("postgresql://hearth:s3cret@db.example/comments", "db.example", 5432, "comments", "hearth", "s3cret")]
    [InlineData("postgres://hearth:p%40ss%3Aw%2Frd@10.0.0.5:5432/my%20db", "10.0.0.5", 5432, "my db", "hearth", "p@ss:w/rd")]
    [InlineData("postgres://hearth@[::1]:5433/comments", "::1", 5433, "comments", "hearth", null)]
    public void AnAddressGivesHostPortDatabaseUserAndPassword(string address, string host, int port, string database, string user, string? password)
    {
        var (connection, error) = DatabaseAddress.ParsePostgres(address);

        Assert.Null(error);
        var built = new NpgsqlConnectionStringBuilder(connection);
        Assert.Equal((host, port, database, user, password), (built.Host, built.Port, built.Database, built.Username, built.Password));
    }

    [Fact]
    public void ConnectionSettingsFollowAsAQuery()
    {
        var (connection, error) = DatabaseAddress.ParsePostgres("postgres://hearth:pw@db.example/comments?sslmode=require&Maximum%20Pool%20Size=40");

        Assert.Null(error);
        var built = new NpgsqlConnectionStringBuilder(connection);
        Assert.Equal((SslMode.Require, 40), (built.SslMode, built.MaxPoolSize));
    }

    [Fact]
    public void StatementsArePreparedAndPooledConnectionsKeptAsTheyAreUnlessTheAddressSaysOtherwise()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseAddress.ParsePostgres("postgres://hearth@db.example/comments").ConnectionString);
        Assert.Equal((256, 2, true), (built.MaxAutoPrepare, built.AutoPrepareMinUsages, built.NoResetOnClose));

        var own = new NpgsqlConnectionStringBuilder(DatabaseAddress.ParsePostgres(
            "postgres://hearth@db.example/comments?Max%20Auto%20Prepare=0&No%20Reset%20On%20Close=false").ConnectionString);
        Assert.Equal((0, false), (own.MaxAutoPrepare, own.NoResetOnClose));
    }

    [Theory]
    [InlineData("mysql://hearth:topsecret@db.example/comments", "postgres://")]
    [InlineData("db.example:5432/comments", "postgres://")]
    [InlineData("postgres://hearth:topsecret@db.example:5432", "names no database")]
    [InlineData("postgres://hearth:topsecret@db.example:5432/", "names no database")]
    [InlineData("postgres://hearth:topsecret@db.example:port/comments", "postgres://")]
    [InlineData("postgres://hearth:topsecret@db.example/comments?colour=blue", "'colour'")]
    public void AnAddressThatCannotBeUsedIsRefusedWithoutRepeatingIt(string address, string reason)
    {
        var (connection, error) = DatabaseAddress.ParsePostgres(address);

        Assert.Null(connection);
        Assert.NotNull(error);
        Assert.Contains(reason, error);
        Assert.DoesNotContain("topsecret", error);
    }
}
