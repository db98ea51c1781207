using Hearth.Storage;
using Hearth.Tests.Conversations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests;

/// <summary>Hearth with every SQL command it sends, and SQLite's steps for it (on SQLite), counted while the meter runs.</summary>
public sealed class MeasuredHearthApp : HearthApp
{
    public SqlMeter Meter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.InterceptHearthDb(Meter);
        });
    }
}
