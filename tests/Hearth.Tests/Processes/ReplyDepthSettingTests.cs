namespace Hearth.Tests.Processes;

/// <summary>Hearth:MaxReplyDepth has a hard limit: a value outside 1 to 50 stops the server at start, naming the option.</summary>
public class ReplyDepthSettingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("100000")]
    public async Task AMaximumOutsideItsLimitsStopsTheServerAtStart(string value)
    {
        using var data = new DataFolder();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            HearthProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Hearth__MaxReplyDepth"] = value }));
        Assert.Contains("Hearth:MaxReplyDepth must be between 1 and 50", error.Message);
    }
}
