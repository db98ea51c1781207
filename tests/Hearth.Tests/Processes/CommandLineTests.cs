using System.Text.Json;

namespace Hearth.Tests.Processes;

/// <summary>What the hearth command does with a command line it cannot act on, and that it still serves when asked to.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task AnUnknownCommandPrintsTheCommandsOnStderrExitsWithTwoAndServesNothing()
    {
        using var data = new DataFolder();

        // Were it served, the command would not end and the run would time out.
        var run = await HearthCommand.RunAsync("frobnicate", "x", "--urls", "http://127.0.0.1:1", "--data", data.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains("hearth: Unrecognized command or argument 'frobnicate'.", run.Stderr);
        Assert.Contains("Usage:\n  hearth [command] [options]", run.Stderr);
        Assert.Contains("serve", run.Stderr);
        Assert.Contains("sites", run.Stderr);
        Assert.Contains("users", run.Stderr);
        Assert.False(File.Exists(data.DatabasePath), "A refused command line must not create a data folder.");
    }

    public static TheoryData<string[], string, string> UnknownOptions => new()
    {
        { ["--bogus"], "hearth: Unrecognized command or argument '--bogus'.", "hearth [command] [options]" },
        { ["sites", "list", "--bogus"], "hearth: Unrecognized command or argument '--bogus'.", "hearth sites list [options]" },
        { ["sites", "add", "blog", "--origin", "https://blog.example", "--moderaton", "pre"], "hearth: Unrecognized command or argument '--moderaton'.",
            "hearth sites add <name> [options]" },
        { ["sites", "bogus"], "hearth: Unrecognized command or argument 'bogus'.", "hearth sites [command] [options]" },
        { ["users", "grant", "a@b.example"], "hearth: Option '--role' is required.", "hearth users grant <email> [options]" },
        { ["sites", "list", "--Hearth:PageSize=5"], "hearth: '--Hearth:PageSize=5' is a server setting: give it to hearth serve",
            "hearth sites list [options]" },
    };

    [Theory]
    [MemberData(nameof(UnknownOptions))]
    public async Task AnUnknownOptionSaysWhatIsWrongAndShowsTheHelpOfItsCommandOnStderr(string[] args, string message, string usage)
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync([.. args, "--data", data.Path]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains(message, run.Stderr);
        Assert.Contains(usage, run.Stderr);
        Assert.False(File.Exists(data.DatabasePath), run.ToString());
    }

    [Theory]
    [InlineData("sites", "'hearth sites' needs one of its commands: add, list, sso, set, rename, remove.", new[] { "add <name>", "remove <name>", "rename <old> <new>" })]
    [InlineData("users", "'hearth users' needs one of its commands: grant, revoke.", new[] { "grant <email>", "revoke <email>" })]
    public async Task AGroupWithoutACommandListsItsCommandsOnStderr(string group, string message, string[] listed)
    {
        var run = await HearthCommand.RunAsync(group);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.Contains($"hearth: {message}", run.Stderr);
        Assert.Contains("Commands:", run.Stderr);
        Assert.All(listed, command => Assert.Contains(command, run.Stderr));
        Assert.DoesNotContain("Required command was not provided", run.Stderr);
    }

    [Fact]
    public async Task HelpGoesToStdoutAndSucceeds()
    {
        var run = await HearthCommand.RunAsync("sites", "remove", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("hearth sites remove <name> [options]", run.Stdout);
        Assert.Contains("--yes", run.Stdout);
    }

    [Fact]
    public async Task HearthWithNoArgumentsServesFromTheEnvironmentsAddressAndFolder()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path, noArguments: true);

        Assert.Equal("Healthy", await server.Client.GetStringAsync("/healthz"));
        Assert.True(data.HoldsData, server.Output);
    }

    [Fact]
    public async Task HearthServeTakesItsAddressFolderAndServerSettings()
    {
        using var data = new DataFolder();
        using var server = await HearthProcess.StartAsync(data.Path, serveArguments: ["--Hearth:PageSize=2", "--environment", "Production"]);

        var page = JsonDocument.Parse(await server.Client.GetStringAsync(
            "/api/v1/sites/demo/thread?sort=oldest&identifier=hearth-demo&url=" + Uri.EscapeDataString("http://localhost:8080/demo"))).RootElement;

        // The demo has four conversations; a page size of 2 from the command line leaves a next page.
        Assert.Equal(2, page.GetProperty("comments").EnumerateArray().Count(c => c.GetProperty("parentId").ValueKind == JsonValueKind.Null));
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);
        Assert.True(data.HoldsData, server.Output);
    }
}
