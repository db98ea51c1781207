using Hearth.Identity;
using Hearth.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Hearth.Accounts;

/// <summary>
/// The e-mails accounts need: confirm an address, reset a password, claim guest comments, and "someone tried to sign
/// up as you". A message to an address its owner has not proven carries no word chosen by whoever asked for it (not
/// even the name they signed up under), so nobody can use Hearth to send their text to a stranger's inbox.
/// </summary>
public sealed class AccountMail(MailQueue queue, Storage.HearthDb db, UserManager<HearthUser> users, IOptions<MailOptions> options, PublicAddress address)
{
    /// <summary>The paragraph the "check your inbox" pages add when no mail server is configured, else nothing.</summary>
    public string UndeliveredNote => options.Value.HasServer ? "" : $"<p class=\"hint\">{AccountHtml.E(MailOptions.NoServerNote)}</p>";

    public async Task ConfirmAsync(HearthUser user, CancellationToken ct)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = address.Link($"/account/confirm?user={user.Id}&code={Uri.EscapeDataString(code)}");
        await SendAsync(new OutgoingMail(user.Email!, "Confirm your e-mail address for Hearth",
            $"Hello,\n\nplease confirm that this is your address for your new Hearth account by opening this link:\n\n{link}\n\n" +
            "The link works for 24 hours. If you did not create an account, ignore this message: nothing happens without the link.\n"), ct);
    }

    public async Task ResetAsync(HearthUser user, CancellationToken ct)
    {
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var link = address.Link($"/account/reset?user={user.Id}&code={Uri.EscapeDataString(code)}");
        await SendAsync(new OutgoingMail(user.Email!, "Choose a new Hearth password",
            $"Hello{(user.EmailConfirmed ? " " + user.DisplayName : "")},\n\nsomeone (probably you) asked to reset the password of your account. Choose a new one here:\n\n{link}\n\n" +
            "The link works for 24 hours and once. If you did not ask, ignore this message: your password stays as it is.\n"), ct);
    }

    public Task ClaimAsync(string email, string token, CancellationToken ct) =>
        SendAsync(new OutgoingMail(email, "Claim your comments on Hearth",
            "Hello,\n\nsomeone with a Hearth account asked to add the comments written as a guest with this address to their profile. If that was you, open this link while signed in:\n\n" +
            $"{address.Link("/account/claim/confirm?token=" + Uri.EscapeDataString(token))}\n\nIf not, ignore this message: nothing happens without the link.\n"), ct);

    public Task AlreadyRegisteredAsync(string email, CancellationToken ct) =>
        SendAsync(new OutgoingMail(email, "Someone tried to create a Hearth account with your address",
            "Hello,\n\nsomeone tried to create an account with this address, which already has one. If it was you, sign in here:\n\n" +
            $"{address.Link("/account/signin")}\n\nForgot your password? Choose a new one here:\n\n{address.Link("/account/forgot")}\n\n" +
            "If it was not you, nothing changed and you need not do anything.\n"), ct);

    /// <summary>
    /// Queued in the database and sent in the background by whichever node holds the mail lease: the page answers at
    /// once, whether or not the mail server is up, and failures are tried again and reach the log, where the operator
    /// finds them.
    /// </summary>
    Task SendAsync(OutgoingMail mail, CancellationToken ct) => queue.EnqueueAsync(db, mail, ct);
}
