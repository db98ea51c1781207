namespace Hearth.Tests.Processes;

public class NotificationsKeptForCliTests
{
    [Theory]
    [InlineData("--Hearth:NotificationsKeptFor=00:10:00")]
    [InlineData("--Hearth:NotificationsKeptFor=-1.00:00:00")]
    public async Task AnInboxKeptLessThanADayStopsTheServerAtStartAndSaysWhy(string setting)
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--data", data.Path, setting);

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("Hearth:NotificationsKeptFor must be at least a day", run.Stderr);
    }
}
