using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hearth.Storage;

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without starting the server.</summary>
sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHearthDb>
{
    public SqliteHearthDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite("Data Source=design-time.db").Options);
}
