using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests;

public static class HearthDbInterceptors
{
    /// <summary>Adds interceptors (meters, holds, meetings) to whichever engine's context the run uses.</summary>
    public static IServiceCollection InterceptHearthDb(this IServiceCollection services, params IInterceptor[] interceptors)
    {
        services.ConfigureDbContext<SqliteHearthDb>(db => db.AddInterceptors(interceptors));
        services.ConfigureDbContext<PostgresHearthDb>(db => db.AddInterceptors(interceptors));
        return services;
    }
}
