using Hearth.Storage;
using Hearth.Tests.ManyNodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Accounts;

/// <summary>
/// Hearth whose database commands can be made to meet, so two requests both read a row before either deletes it, or
/// be held once run, so a test sees what a request does half-way.
/// </summary>
public sealed class AccountsAppThatMeets : AccountsApp
{
    public MeetingBeforeWrite Meeting { get; } = new();

    public HoldAfterStatement Hold { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.InterceptHearthDb(Meeting, Hold);
        });
    }
}
