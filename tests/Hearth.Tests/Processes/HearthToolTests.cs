using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Hearth.Tests.Processes;

/// <summary>The two other ways to have a `hearth` command: scripts/hearth in a clone, and the .NET tool.</summary>
public class HearthToolTests
{
    [Fact]
    public async Task ScriptsHearthRunsTheCommandFromTheCallersFolderWithItsDataInHearthData()
    {
        using var folder = new DataFolder();
        Directory.CreateDirectory(folder.Path);
        var script = Path.Combine(DocumentedCommandsTests.RepositoryRoot(), "scripts", "hearth");

        var add = await RunAsync(folder.Path, script, "sites", "add", "my-blog", "--origin", "https://blog.example");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("my-blog", JsonDocument.Parse(add.Stdout).RootElement.GetProperty("name").GetString());
        Assert.True(DataFolder.HoldsDataIn(Path.Combine(folder.Path, "hearth-data")), add.ToString());
        var refused = await RunAsync(folder.Path, script, "sites", "bogus");
        Assert.True(refused.ExitCode == 2, refused.ToString());
    }

    [Fact]
    public async Task ThePackedToolInstallsAsHearthAndRunsACommand()
    {
        using var work = new DataFolder();
        Directory.CreateDirectory(work.Path);
        var packages = Path.Combine(work.Path, "packages");
        var tools = Path.Combine(work.Path, "tools");
        var project = Path.Combine(DocumentedCommandsTests.RepositoryRoot(), "src", "Hearth");
        // The build under test is packed as it is, so the test does not build Hearth a second time.
        var configuration = typeof(Hearth.Cli.HearthCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        var pack = await RunAsync(work.Path, "dotnet", "pack", project, "--no-build", "-c", configuration, "-o", packages, "--nologo");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = await RunAsync(work.Path, "dotnet", "tool", "install", "--tool-path", tools, "--source", packages, "Hearth");
        Assert.True(install.ExitCode == 0, install.ToString());

        var add = await RunAsync(work.Path, Path.Combine(tools, "hearth"), "sites", "add", "shop", "--origin", "https://shop.example");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("shop", JsonDocument.Parse(add.Stdout).RootElement.GetProperty("name").GetString());
        Assert.True(DataFolder.HoldsDataIn(Path.Combine(work.Path, "hearth-data")), add.ToString());
        var help = await RunAsync(work.Path, Path.Combine(tools, "hearth"), "--help");
        Assert.Contains("hearth [command] [options]", help.Stdout);
    }

    /// <summary>A program run from a folder, with none of the test runner's Hearth settings, to completion.</summary>
    static async Task<CliResult> RunAsync(string folder, string program, params string[] args)
    {
        var info = HearthProcess.StartInfo(args);
        info.FileName = program;
        info.ArgumentList.Remove(HearthProcess.DllPath);
        info.WorkingDirectory = folder;
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
