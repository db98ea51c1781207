using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hearth.Mail;

/// <summary>
/// Where links in e-mails point: the configured public address (Hearth:Mail:PublicUrl), else the address the server
/// listens on; never a request's Host header, which anyone can set. Works without a request, for background mail.
/// </summary>
public sealed class PublicAddress(IOptions<MailOptions> options, IServer server)
{
    public string Root => (options.Value.PublicUrl is { Length: > 0 } configured
        ? configured
        : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:8080").TrimEnd('/');

    public string Link(string pathAndQuery) => Root + pathAndQuery;
}
