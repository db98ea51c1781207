using Hearth.Storage;
using Hearth.Web;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Hearth.Mail;

/// <summary>
/// E-mail to send, kept in the database so that whichever node holds the mail lease sends it, and a message survives
/// a restart or a mail server that is down. The node that queued a message wakes its own sender at once and, with
/// Redis (several nodes), every other node's too, so the lease holder sends it at once wherever it was queued. A wake-up
/// only says "look": what to send is read from the table, so one lost on the way (Redis away) costs a delay until the
/// holder's next renewal, never a message, and two wake-ups send nothing twice (<see cref="MailDelivery"/> claims each
/// message with one statement).
/// </summary>
public sealed class MailQueue
{
    static readonly RedisChannel Channel = RedisChannel.Literal("hearth:mail");

    readonly TimeProvider _clock;
    readonly ISubscriber? _subscriber;
    readonly ILogger<MailQueue>? _logger;
    readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _subscribed;

    public MailQueue(TimeProvider clock, RedisConnection? redis = null, ILogger<MailQueue>? logger = null)
    {
        (_clock, _logger) = (clock, logger);
        if (redis is not { Configured: true })
        {
            _listening.TrySetResult();
            return;
        }
        var connection = redis.Connection;
        _subscriber = connection.GetSubscriber();
        // A node that starts while Redis is down listens once its link is up (the client keeps the subscription after).
        connection.ConnectionRestored += (_, _) => _ = SubscribeAsync();
        _ = SubscribeAsync();
    }

    /// <summary>Completes once this node hears the other nodes' wake-ups (at once without Redis).</summary>
    internal Task Listening => _listening.Task;

    async Task SubscribeAsync()
    {
        if (Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0)
        {
            return;
        }
        if (await RedisSubscribing.SubscribeAsync(_subscriber!, Channel, (_, _) => WakeHere(), e =>
                _logger?.LogWarning("Could not hear other nodes' mail yet ({Error}); the mail lease holder looks at each renewal meanwhile.", e.Message)))
        {
            _listening.TrySetResult();
        }
        else
        {
            Volatile.Write(ref _subscribed, 0);
        }
    }

    /// <summary>Adds the message to the context; it is queued when the caller saves, together with what caused it.</summary>
    public void Add(HearthDb db, OutgoingMail mail)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        db.Set<QueuedMail>().Add(new QueuedMail
        {
            To = mail.To, Subject = mail.Subject, Text = mail.Text, Html = mail.Html, Unsubscribe = mail.Unsubscribe, CreatedAt = now, NextAttemptAt = now,
        });
    }

    /// <summary>Queues the message on its own and wakes the sender.</summary>
    public async Task EnqueueAsync(HearthDb db, OutgoingMail mail, CancellationToken ct)
    {
        Add(db, mail);
        await db.SaveChangesAsync(ct);
        Wake();
    }

    /// <summary>Tells the sender, on whichever node holds the mail lease, that a message is waiting (call after it is saved).</summary>
    public void Wake()
    {
        WakeHere();
        if (_subscriber is null)
        {
            return;
        }
        try
        {
            // Not awaited: the request that queued the mail does not wait for Redis; the message is safe in the table.
            _subscriber.Publish(Channel, RedisValue.EmptyString, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger?.LogInformation("Could not wake the other nodes' mail sender ({Error}); the lease holder finds the mail at its next renewal.", e.Message);
        }
    }

    void WakeHere() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Wake"/> on any node.</summary>
    internal Task NextWake => Volatile.Read(ref _next).Task;

    /// <summary>Messages not yet accepted by the mail server, for /metrics.</summary>
    public static int Length(HearthDb db) => db.Set<QueuedMail>().Count();

    public static Task<int> LengthAsync(HearthDb db, CancellationToken ct) => db.Set<QueuedMail>().CountAsync(ct);
}
