using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Mail;

/// <summary>
/// Sends the queued e-mail, on the one node that holds the "mail" lease. A message is sent at least once: its row goes
/// only after the mail server accepted it, so a node dying in between may send it again, but a message once accepted
/// is never sent again. A refused or failed try waits longer each time (one minute, doubling, at most an hour).
/// </summary>
public sealed class MailDelivery(IServiceScopeFactory scopes, MailQueue queue, IMailSender sender, Leases leases, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<MailOptions> options, ILogger<MailDelivery> logger) : LeasedWork(leases, clock, logger)
{
    /// <summary>Links in Hearth's e-mails work for a day; a message still not sent by then would only mislead.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>How long a try may take before another sender may take the message (MailKit's own timeout is two minutes).</summary>
    static readonly TimeSpan TryTime = TimeSpan.FromMinutes(5);

    /// <summary>Messages per round; the lease is renewed between rounds (a round takes well under a second).</summary>
    const int Batch = 40;

    int Parallelism => sender is SmtpMailSender ? Math.Max(1, options.Value.Connections) : 1;

    Task? _wake;

    protected override string LeaseName => "mail";

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Min(attempts, 10) - 1)));

    protected override async Task RunAsync(CancellationToken ct)
    {
        // Taken before looking, so a message queued while this round runs wakes the next round at once.
        _wake = queue.NextWake;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var now = Clock.GetUtcNow().UtcDateTime;
            var due = await db.Set<QueuedMail>().AsNoTracking().Where(m => m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(Batch).ToListAsync(ct);
            if (due.Count > 0 && !await StillHeldAsync(ct))
            {
                return;
            }
            // Several at once, each with its own unit of work: a message spends most of its time waiting on the mail server.
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (mail, token) =>
            {
                await using var own = scopes.CreateAsyncScope();
                await DeliverAsync(own.ServiceProvider.GetRequiredService<HearthDb>(), mail, token);
            });
            if (due.Count < Batch)
            {
                return;
            }
        }
    }

    async Task DeliverAsync(HearthDb db, QueuedMail mail, CancellationToken ct)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        // Claimed with one statement: only the sender that moves NextAttemptAt from the value it read sends the message.
        var claimed = await db.Set<QueuedMail>().Where(m => m.Id == mail.Id && m.NextAttemptAt == mail.NextAttemptAt)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.NextAttemptAt, now + TryTime), ct);
        if (claimed == 0)
        {
            return;
        }
        try
        {
            await sender.SendAsync(mail.ToMail(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempts = mail.Attempts + 1;
            if (now - mail.CreatedAt >= GiveUpAfter)
            {
                Logger.LogError(e, "Gave up sending \"{Subject}\" after {Attempts} tries over {Hours} hours", mail.Subject, attempts, GiveUpAfter.TotalHours);
                await db.Set<QueuedMail>().Where(m => m.Id == mail.Id).ExecuteDeleteAsync(CancellationToken.None);
                return;
            }
            var next = now + Backoff(attempts);
            Logger.LogWarning(e, "Could not send \"{Subject}\" (try {Attempts}); trying again at {Next:u}", mail.Subject, attempts, next);
            var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            await db.Set<QueuedMail>().Where(m => m.Id == mail.Id).ExecuteUpdateAsync(m => m
                .SetProperty(x => x.Attempts, attempts)
                .SetProperty(x => x.NextAttemptAt, next)
                .SetProperty(x => x.LastError, error), CancellationToken.None);
            return;
        }
        // The server has it: nothing may send it again, even if this node stops right now.
        await db.Set<QueuedMail>().Where(m => m.Id == mail.Id).ExecuteDeleteAsync(CancellationToken.None);
    }

    protected override async Task WaitAsync(TimeSpan longest, CancellationToken ct)
    {
        var wake = _wake ?? queue.NextWake;
        _wake = null;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(longest, Clock, either.Token);
        await Task.WhenAny(delay, wake);
        either.Cancel();
        ct.ThrowIfCancellationRequested();
    }
}
