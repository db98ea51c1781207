using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace Hearth.Tests.Accounts;

/// <summary>
/// The SMTP server's connections with Nagle's algorithm off, so its short replies go out at once. With it on (the package's own
/// listener), each short reply waited for the client's delayed acknowledgement, about 40 ms on Linux, so a message
/// took that long whatever the sender did. Also linked into bench/Belonging's mail sink.
/// </summary>
public sealed class PromptSmtpListenerFactory : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpoint)
    {
        var listener = new TcpListener(endpoint.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    sealed class Listener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            return new Pipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    sealed class Pipe : ISecurableDuplexPipe
    {
        readonly TcpClient _client;
        Stream _stream;

        public Pipe(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
            (Input, Output) = (PipeReader.Create(_stream), PipeWriter.Create(_stream));
        }

        public PipeReader Input { get; private set; }
        public PipeWriter Output { get; private set; }
        public bool IsSecure => _stream is SslStream;
        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocols,
            }, cancellationToken);
            _stream = tls;
            (Input, Output) = (PipeReader.Create(_stream), PipeWriter.Create(_stream));
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
