namespace Hearth.Tests;

/// <summary>A test about SQLite alone (its file, its pragmas, its cost in steps): skipped, with the reason, when the tests run on PostgreSQL.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute(string why)
    {
        if (TestDatabase.IsPostgres)
        {
            Skip = "About SQLite alone: " + why;
        }
    }
}

/// <summary>A test about PostgreSQL alone: skipped, with the reason, when the tests run on SQLite.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute(string why)
    {
        if (!TestDatabase.IsPostgres)
        {
            Skip = $"About PostgreSQL alone ({why}): run with {TestDatabase.Variable}=postgres.";
        }
    }
}

/// <summary>The theory form of <see cref="SqliteFactAttribute"/>.</summary>
public sealed class SqliteTheoryAttribute : TheoryAttribute
{
    public SqliteTheoryAttribute(string why)
    {
        if (TestDatabase.IsPostgres)
        {
            Skip = "About SQLite alone: " + why;
        }
    }
}
