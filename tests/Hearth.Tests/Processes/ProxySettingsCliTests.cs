namespace Hearth.Tests.Processes;

public class ProxySettingsCliTests
{
    [Theory]
    [InlineData("--Hearth:KnownNetworks=10.0.0.0/99")]
    [InlineData("--Hearth:KnownProxies=proxy.example")]
    public async Task AProxySettingThatIsNoAddressStopsTheServerAtStartAndSaysWhich(string setting)
    {
        using var data = new DataFolder();

        var run = await HearthCommand.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--data", data.Path, "--Hearth:TrustForwardedHeaders=true", setting);

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains(setting[2..setting.IndexOf('=')], run.Stderr);
    }
}
