using System.Net;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hearth.Tests.FirstRun;

/// <summary>A new instance whose log the test reads, as its operator would.</summary>
public sealed class FreshInstanceApp : AccountsApp
{
    public LogLines Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

/// <summary>
/// The first visitor of a new instance makes its admin in the browser, but only with the code the server printed:
/// a wrong code is refused and leaves the code good, a right one works once, and then the door is shut.
/// </summary>
public class FirstRunTests
{
    const string Password = "the first lantern lit";

    static (string, string)[] Fields(string code, string email, string name = "Ada Admin", string password = Password) =>
        [("code", code), ("email", email), ("name", name), ("password", password)];

    [Fact]
    public async Task TheCodeFromTheLogMakesTheAdminOnceAndAWrongCodeChangesNothing()
    {
        await using var app = new FreshInstanceApp();
        var home = await app.NewBrowser().GetAsync("/");
        Assert.Contains("id=\"first-run\"", home);
        var code = Assert.Single(app.Log.SetupCodes);

        var browser = app.NewBrowser();
        var email = $"ada-{Guid.NewGuid():N}@mail.example";
        using (var wrong = await browser.SubmitAsync("/account/setup", "/account/setup", Fields("ABCD-EFGH-JKLM", email)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("not the setup code", await wrong.Content.ReadAsStringAsync());
        }
        Assert.False(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == email)));

        // Typed as people type codes: small letters, no dashes.
        using (var right = await browser.SubmitAsync("/account/setup", "/account/setup", Fields(code.Replace("-", "").ToLowerInvariant(), email)))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.Equal("/account/sites", right.Headers.Location!.OriginalString);
        }
        var admin = await app.InDatabaseAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.True(admin.IsAdmin);
        Assert.True(admin.EmailConfirmed);
        Assert.Contains("Ada Admin", await browser.GetAsync("/account"));
        var audit = await app.InDatabaseAsync(db => db.AuditLog.AsNoTracking().Where(a => a.SiteId == null && a.After == "admin (first-run setup)").ToListAsync());
        Assert.Single(audit);

        // The door is shut: the page is gone, the same code does nothing, the home page no longer offers it.
        var stranger = app.NewBrowser();
        using (var page = await stranger.Client.GetAsync("/account/setup"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        using (var again = await stranger.SubmitAsync("/account/signup", "/account/setup", Fields(code, $"eve-{Guid.NewGuid():N}@mail.example", "Eve")))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
        Assert.Equal(1, await app.InDatabaseAsync(db => db.Users.CountAsync(u => u.IsAdmin)));
        Assert.DoesNotContain("id=\"first-run\"", await stranger.GetAsync("/"));
        Assert.False(await app.InDatabaseAsync(db => db.InstanceSettings.AnyAsync(s => s.Name.StartsWith("setup-code:"))));
    }

    [Fact]
    public async Task AnExistingAccountBecomesTheAdminOnlyWithItsPasswordAndAFailedTryLeavesTheCodeGood()
    {
        await using var app = new FreshInstanceApp();
        _ = app.Server;
        var code = Assert.Single(app.Log.SetupCodes);
        var (_, email) = await app.ConfirmedAccountAsync("Bea Before", Password);

        var browser = app.NewBrowser();
        // Without the code nothing is said about the address: the same answer whether it has an account or not.
        foreach (var address in new[] { email, $"nobody-{Guid.NewGuid():N}@mail.example" })
        {
            using var guessed = await browser.SubmitAsync("/account/setup", "/account/setup", Fields("ABCD-EFGH-JKLM", address, "Bea Before", "short"));
            Assert.Equal(HttpStatusCode.BadRequest, guessed.StatusCode);
            Assert.Contains("not the setup code", await guessed.Content.ReadAsStringAsync());
        }
        using (var wrongPassword = await browser.SubmitAsync("/account/setup", "/account/setup", Fields(code, email, "Bea Before", "not her password at all")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
            Assert.Contains("give its password", await wrongPassword.Content.ReadAsStringAsync());
        }
        Assert.False(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.IsAdmin)));
        using (var right = await browser.SubmitAsync("/account/setup", "/account/setup", Fields(code, email, "Bea Before")))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        }
        Assert.True(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == email && u.IsAdmin)));
    }

    [Fact]
    public async Task AFormWithoutTheAntiForgeryTokenIsRefusedAndAnInstanceWithAnAdminPrintsNoCode()
    {
        await using var app = new FreshInstanceApp();
        _ = app.Server;
        var code = Assert.Single(app.Log.SetupCodes);
        using (var forged = await app.NewBrowser().PostAsync("/account/setup", Fields(code, $"mallory-{Guid.NewGuid():N}@mail.example")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.False(await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.IsAdmin)));

        // Made admin another way (the command line), the instance offers nothing more, even after a restart.
        var (_, email) = await app.ConfirmedAccountAsync("Cli Admin", Password);
        await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true)));
        using var page = await app.NewBrowser().Client.GetAsync("/account/setup");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var preparation = (Hearth.Storage.StoragePreparation)app.Services.GetService(typeof(Hearth.Storage.StoragePreparation))!;
        await preparation.RunAsync(seedDemo: true, CancellationToken.None);
        Assert.Single(app.Log.SetupCodes);
    }
}
