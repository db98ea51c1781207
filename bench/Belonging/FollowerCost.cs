using System.Globalization;

/// <summary>
/// What followers add to a post. Four kinds of post on the first site: a guest's in a conversation the followers all
/// follow and in one nobody follows, and a comment by a person the followers follow and by one nobody follows. Their
/// hand-out to the followers is background work; the post itself should cost the same either way.
///
/// Latency: the four take turns in a shuffled order each round, one post at a time, so whatever the background work
/// costs falls on all four alike and the difference left is what the post itself does. CPU: each kind alone, its
/// posts and then its whole hand-out, over the same length of time (idle work in that window cancels in the difference).
/// </summary>
static class FollowerCost
{
    public sealed record Arm(string Name, string Url, string? Token, string? FollowersKind)
    {
        public List<double> Ms { get; } = [];
    }

    public sealed record CpuResult(string Name, double MsPerPost, double DeliverySeconds);

    public static async Task<(List<Arm> Arms, List<CpuResult> Cpu, long Delivered, long Expected, double IdleCpu)> RunAsync(Api api, Server server, State state)
    {
        var site = state.Sites[0];
        var origin = State.Origin(site);
        var followedThread = $"{origin}/followed-conversation";
        var quietThread = $"{origin}/quiet-conversation";
        await api.PostAsync(site, followedThread, "The first word on the followed conversation.", guest: "Opener");
        await api.PostAsync(site, quietThread, "The first word on the quiet conversation.", guest: "Opener");
        var (_, key, _) = await api.PostAsync(site, $"{origin}/popular-writer", "Hello from the writer many follow.", token: state.Followed.Token);
        await api.PostAsync(site, $"{origin}/quiet-writer", "Hello from the writer nobody follows.", token: state.Unfollowed.Token);
        await Api.ForEachAsync(state.ThreadFollowers, Knobs.SeedParallel, async f =>
        {
            await api.PutAsync($"/api/v1/sites/{site}/follow", f.Token, new { url = followedThread, state = "following" });
            await api.PutAsync($"/api/v1/sites/{site}/people/{key}/follow", f.Token, new { state = "following" });
        });
        Console.Error.WriteLine($"[belonging] {state.ThreadFollowers.Count} people follow a conversation and a writer");

        var arms = new List<Arm>
        {
            new("thread_followed", followedThread, null, "followed"),
            new("thread_quiet", quietThread, null, null),
            new("person_followed", $"{origin}/popular-writer", state.Followed.Token, "followed-person"),
            new("person_quiet", $"{origin}/quiet-writer", state.Unfollowed.Token, null),
        };
        var random = new Random(20261205);
        var counter = 0;
        Task<(long, string?, double)> Post(Arm arm)
        {
            var n = Interlocked.Increment(ref counter);
            var body = Text.Comment(random) + " " + n.ToString(CultureInfo.InvariantCulture);
            return api.PostAsync(site, arm.Url, body, token: arm.Token, guest: arm.Token is null ? "Guest " + (n % 600).ToString(CultureInfo.InvariantCulture) : null);
        }

        var warmUp = Math.Max(20, Knobs.Posts / 10);
        for (var round = 0; round < warmUp + Knobs.Posts; round++)
        {
            foreach (var arm in arms.OrderBy(_ => random.Next()))
            {
                var (_, _, ms) = await Post(arm);
                if (round >= warmUp)
                {
                    arm.Ms.Add(ms);
                }
            }
        }
        await Background.SettleAsync(server);
        // Every follower is told of every post: checked on one of them.
        var delivered = server.Count("""SELECT COUNT(*) FROM "Notifications" WHERE "UserId" = $u AND "Kind" IN ('followed', 'followed-person')""",
            ("$u", state.ThreadFollowers[^1].Id));
        foreach (var arm in arms)
        {
            Console.Error.WriteLine($"[belonging] post {arm.Name} {new Stats(arm.Ms)}");
        }

        // Each kind from a settled server until its background work has caught up again (the hand-out, or for a post
        // nobody follows the same round finding nothing to do): the server's idle work in that window is in every
        // kind's figure alike, and cancels in the difference.
        await Background.SettleAsync(server);
        var idleFrom = server.CpuMs();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idlePerSecond = (server.CpuMs() - idleFrom) / 10;
        var cpu = new List<CpuResult>();
        foreach (var arm in arms)
        {
            await Background.SettleAsync(server);
            var before = server.CpuMs();
            var started = DateTime.UtcNow;
            for (var i = 0; i < Knobs.CpuPosts; i++)
            {
                await Post(arm);
            }
            var delivery = await Background.SettleAsync(server);
            var ms = (server.CpuMs() - before) / Knobs.CpuPosts;
            cpu.Add(new(arm.Name, ms, delivery.TotalSeconds));
            Console.Error.WriteLine($"[belonging] cpu {arm.Name} ms_per_post={ms:0.00} caught_up_after_s={delivery.TotalSeconds:0.0} ({(DateTime.UtcNow - started).TotalSeconds:0} s)");
        }
        return (arms, cpu, delivered, 2L * (warmUp + Knobs.Posts), idlePerSecond);
    }
}
