using System.Net;
using System.Text.Json;
using Hearth.GuestReplies;
using Hearth.Identity;
using Hearth.Mail;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Hearth.Tests.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Hearth.Tests.Notifications;

/// <summary>Guests asking for replies by e-mail, through the real SMTP sender to a server on loopback (<see cref="MailCatcher"/>).</summary>
public abstract class GuestReplyTestBase(AccountsApp app)
{
    protected AccountsApp App { get; } = app;
    protected readonly HttpClient _client = app.CreateClient();

    protected static string NewAddress() => $"guest-{Guid.NewGuid():N}@mail.example";

    protected Task<HttpResponseMessage> PostAsync(string site, string url, string body, string name, string? email, bool? notifyReplies, long? parentId = null) =>
        _client.PostCommentAsync(site, new { url, parentId, body, author = new { name, email }, notifyReplies });

    protected async Task<long> GuestPostsAsync(string site, string url, string body, string name, string? email, bool? notifyReplies = null, long? parentId = null)
    {
        using var response = await PostAsync(site, url, body, name, email, notifyReplies, parentId);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Id();
    }

    /// <summary>The background job has read the log up to its end, and the queue holds nothing for this address.</summary>
    protected async Task HandedOutAsync(string? email = null)
    {
        var last = await App.InDatabaseAsync(db => db.ThreadEvents.MaxAsync(e => (long?)e.Id)) ?? 0;
        await Node.UntilAsync(async () => await App.InDatabaseAsync(async db =>
                (await db.InstanceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == GuestReplyRound.Cursor))?.Value is { } value
                && long.Parse(value) >= last),
            "replies to guests handed out", () => App.Clock.Advance(Leases.Renewal));
        if (email is not null)
        {
            await Node.UntilAsync(() => App.InDatabaseAsync(async db => !await db.Set<QueuedMail>().AnyAsync(m => m.To == email)), $"mail to {email} sent");
        }
    }

    /// <summary>One round run here and now (one the background runs at the same moment may win; then this one does nothing).</summary>
    protected async Task RoundAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<GuestReplyRound>().RunAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
        }
    }

    protected List<MimeMessage> Confirmations(string email) => [.. App.Mail.To(email).Where(m => (m.Subject ?? "").StartsWith("Confirm reply e-mails", StringComparison.Ordinal))];

    protected List<MimeMessage> Replies(string email) => [.. App.Mail.To(email).Where(m => m.Headers.Contains("List-Unsubscribe"))];

    protected Task<GuestSubscription?> SubscriptionAsync(string email) =>
        App.InDatabaseAsync(db => db.Set<GuestSubscription>().AsNoTracking().FirstOrDefaultAsync(s => s.Email == email));

    protected static string Path(string link) => link["http://localhost".Length..];

    protected async Task<string> ConfirmationLinkAsync(string email) =>
        Path(MailCatcher.Link(await App.Mail.WaitForAsync(email, "Confirm reply e-mails"), "http://localhost/guest-replies/confirm?token="));

    protected async Task ConfirmAsync(string email)
    {
        using var anonymous = App.CreateClient();
        using var confirmed = await anonymous.PostAsync(await ConfirmationLinkAsync(email), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(GuestSubscription.Confirmed, (await SubscriptionAsync(email))?.State);
    }

    /// <summary>A guest with a confirmed subscription and a comment on a new page: the site, the page, the comment, the address.</summary>
    protected async Task<(string Site, string Page, long Comment, string Email)> ConfirmedGuestAsync(string? site = null)
    {
        site ??= await App.CreateSiteAsync();
        var page = ApiCalls.NewPageUrl();
        var email = NewAddress();
        var comment = await GuestPostsAsync(site, page, "Which path leads to the old lighthouse?", "Wren Walker", email, notifyReplies: true);
        await ConfirmAsync(email);
        return (site, page, comment, email);
    }

}
