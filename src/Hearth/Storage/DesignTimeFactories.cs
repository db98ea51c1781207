using Hearth.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hearth.Storage;

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without starting the server.</summary>
sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHearthDb>
{
    public SqliteHearthDb CreateDbContext(string[] args)
    {
        // Identity reads its table layout from IdentityOptions in the application's services; give it the server's.
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        return new(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(services).Options);
    }
}

/// <summary>Lets `dotnet ef migrations add --context PostgresHearthDb` build the PostgreSQL model; no server is contacted.</summary>
sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHearthDb>
{
    public PostgresHearthDb CreateDbContext(string[] args)
    {
        var services = new ServiceCollection().Configure<IdentityOptions>(IdentitySetup.ConfigureStores).BuildServiceProvider();
        return new(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql("Host=localhost;Database=hearth-design-time")
            .UseApplicationServiceProvider(services).Options);
    }
}
