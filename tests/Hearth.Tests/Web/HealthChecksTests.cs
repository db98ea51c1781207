using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hearth.Tests.Web;

/// <summary>Hearth with one more part whose connection is down and which reports itself unhealthy.</summary>
public sealed class AppWithAPartDown : HearthApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddHealthChecks()
            .AddCheck("another-part", () => HealthCheckResult.Unhealthy("no answer")));
    }
}

public sealed class HealthChecksTests(AppWithAPartDown app) : IClassFixture<AppWithAPartDown>
{
    [Fact]
    public async Task HealthzIsUnhealthyWith503WhenAnyCheckIs()
    {
        using var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }
}
