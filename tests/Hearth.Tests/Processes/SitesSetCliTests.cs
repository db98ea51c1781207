using System.Text.Json;

namespace Hearth.Tests.Processes;

public class SitesSetCliTests
{
    [Fact]
    public async Task SitesSetChangesTheModerationSettingsAndRefusesBadValuesWithoutChangingAnything()
    {
        using var data = new DataFolder();
        Assert.Equal(0, (await HearthCommand.RunAsync("sites", "add", "shop", "--origin", "https://shop.example", "--data", data.Path)).ExitCode);

        var set = await HearthCommand.RunAsync("sites", "set", "shop", "--moderation", "first", "--max-links", "2",
            "--banned-words", "spam, Ｓｃａｍ", "--suspect-words", "casino", "--close-after-days", "30", "--require-sign-in", "true",
            "--origin", "https://shop.example", "--origin", "https://www.shop.example", "--data", data.Path);

        Assert.True(set.ExitCode == 0, set.ToString());
        var settings = JsonDocument.Parse(set.Stdout).RootElement;
        Assert.Equal("first", settings.GetProperty("moderation").GetString());
        Assert.Equal(2, settings.GetProperty("maxLinks").GetInt32());
        Assert.Equal(["spam", "Ｓｃａｍ"], settings.GetProperty("bannedWords").EnumerateArray().Select(w => w.GetString()!).ToArray());
        Assert.Equal(30, settings.GetProperty("closeAfterDays").GetInt32());
        Assert.True(settings.GetProperty("requireSignIn").GetBoolean());
        Assert.Equal(2, settings.GetProperty("origins").GetArrayLength());

        foreach (var (args, message) in new[]
        {
            (new[] { "shop", "--max-links", "99" }, "maxLinks must be between 0 and 50"),
            (new[] { "shop", "--origin", "ftp://shop.example" }, "'ftp://shop.example' is not an origin"),
            (new[] { "nowhere", "--max-links", "1" }, "There is no site named 'nowhere'"),
        })
        {
            var refused = await HearthCommand.RunAsync(["sites", "set", .. args, "--data", data.Path]);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains(message, refused.Stderr);
        }
        var unchanged = await HearthCommand.RunAsync("sites", "set", "shop", "--data", data.Path);
        Assert.Equal(set.Stdout, unchanged.Stdout);
    }
}
