using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Mail;

/// <summary>
/// E-mail to send, kept in the database so that whichever node holds the mail lease sends it, and a message survives
/// a restart or a mail server that is down. The node that queued a message wakes its own sender at once; the others
/// look at each renewal of the lease.
/// </summary>
public sealed class MailQueue(TimeProvider clock)
{
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds the message to the context; it is queued when the caller saves, together with what caused it.</summary>
    public void Add(HearthDb db, OutgoingMail mail)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.Set<QueuedMail>().Add(new QueuedMail { To = mail.To, Subject = mail.Subject, Text = mail.Text, CreatedAt = now, NextAttemptAt = now });
    }

    /// <summary>Queues the message on its own and wakes this node's sender.</summary>
    public async Task EnqueueAsync(HearthDb db, OutgoingMail mail, CancellationToken ct)
    {
        Add(db, mail);
        await db.SaveChangesAsync(ct);
        Wake();
    }

    /// <summary>Tells this node's sender that a message is waiting (call after the message is saved).</summary>
    public void Wake() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    internal Task NextWake => Volatile.Read(ref _next).Task;

    /// <summary>Messages not yet accepted by the mail server, for /metrics.</summary>
    public static int Length(HearthDb db) => db.Set<QueuedMail>().Count();

    public static Task<int> LengthAsync(HearthDb db, CancellationToken ct) => db.Set<QueuedMail>().CountAsync(ct);
}
