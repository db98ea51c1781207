using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Notification e-mail leaving the outbox. The mail followers follow a conversation and want its new comments by
/// e-mail at once (chosen before the server started, see Prepare); guests post enough comments there for the followers to be owed the wanted number of e-mails. The
/// product does the rest as in production: the hand-out to the followers, the mail job turning notifications into
/// queued messages, and the sender handing them to the SMTP server. Timed from the first message the server accepts
/// to the last (the outbox's own pace) and from the first post (the whole way, the background work's ten-second
/// rounds included).
/// </summary>
static class MailThroughput
{
    public sealed record Result(int Mails, int Posts, double OutboxSeconds, double EndToEndSeconds, long PeakOutbox, double SenderCpuMsPerMail);

    public static async Task<Result> RunAsync(Api api, Server server, MailSink sink, State state)
    {
        var site = state.Sites[0];
        var url = $"{State.Origin(site)}/newsletter-conversation";
        await api.PostAsync(site, url, "The first word on the conversation everyone wants by e-mail.", guest: "Opener");
        await Api.ForEachAsync(state.MailFollowers, Knobs.SeedParallel, f =>
            api.PutAsync($"/api/v1/sites/{site}/follow", f.Token, new { url, state = "following" }));
        await Background.SettleAsync(server);

        var followers = state.MailFollowers.Count;
        var posts = (Knobs.Mails + followers - 1) / followers;
        var expected = posts * followers;
        var random = new Random(20261206);
        var before = server.CpuMs();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < posts; i++)
        {
            await api.PostAsync(site, url, Text.Comment(random), guest: "Guest " + i.ToString(CultureInfo.InvariantCulture));
        }
        Console.Error.WriteLine($"[belonging] {posts} posts owe {expected} e-mails");
        var peak = 0L;
        var lastCount = -1;
        var lastMove = Stopwatch.GetTimestamp();
        while (true)
        {
            var count = sink.To("subscriber-").Count;
            if (count >= expected)
            {
                break;
            }
            peak = Math.Max(peak, server.Outbox());
            if (count != lastCount)
            {
                (lastCount, lastMove) = (count, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(lastMove) > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"The mail server got {count} of {expected} e-mails, and no more for two minutes.");
            }
            await Task.Delay(250);
        }
        var cpu = server.CpuMs() - before;
        var times = sink.To("subscriber-").Order().ToList();
        var outbox = Stopwatch.GetElapsedTime(times[0], times[^1]).TotalSeconds;
        var whole = Stopwatch.GetElapsedTime(started, times[^1]).TotalSeconds;
        return new Result(expected, posts, outbox, whole, peak, cpu / expected);
    }
}
