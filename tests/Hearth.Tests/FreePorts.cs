using System.Net;
using System.Net.Sockets;

namespace Hearth.Tests;

/// <summary>A loopback port nothing listens on right now, for a server a test starts (Hearth, PostgreSQL, Redis).</summary>
public static class FreePorts
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
