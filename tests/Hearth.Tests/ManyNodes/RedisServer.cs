using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Tests.ManyNodes;

/// <summary>A throwaway redis-server on a free loopback port, kept in memory only, that a test can stop and start again.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    Process? _process;

    public int Port { get; } = FreePorts.Next();
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.RunAsync();
        return server;
    }

    public async Task RunAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install -y redis-server).");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        // Ready when it accepts a connection; it has nothing to load, so this is a matter of milliseconds.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException) when (!_process.HasExited)
            {
                await Task.Yield();
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
