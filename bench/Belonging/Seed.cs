using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The reader's part of the instance, all posted through the running server as people post: the reader comments in
/// one conversation after another across the sites (and so follows each), others answer them, and a busy day of
/// comments by hundreds of others goes to the same sites, much of it into the reader's conversations. The reader then
/// reads everything (marks it read) and a last wave of replies arrives, so the inbox holds a few unread among many read.
/// </summary>
static class Seed
{
    const int Names = 600;

    public static async Task<(long Notifications, long OnFirstSite, long Unread)> RunAsync(Api api, Server server, State state)
    {
        var random = new Random(20261204);
        var clock = Stopwatch.StartNew();
        var threads = Knobs.Threads;
        var own = new (string Site, string Url, long Id)[threads];
        await Api.ForEachAsync(Enumerable.Range(0, threads), Knobs.SeedParallel, async j =>
        {
            var site = state.Sites[j % state.Sites.Count];
            var url = $"{State.Origin(site)}/articles/{j}";
            var body = Text.Comment(new Random(j));
            own[j] = (site, url, (await api.PostAsync(site, url, body, token: state.ReaderTokens[site])).Id);
        });
        Console.Error.WriteLine($"[belonging] the reader commented in {threads} conversations ({clock.Elapsed.TotalSeconds:0} s)");

        // Replies to the reader, and the day's other comments: a third of those on the reader's pages, the rest on
        // 50 other pages per site. In a random order, as a day's comments come.
        var work = new List<Func<Task>>();
        for (var j = 0; j < threads; j++)
        {
            for (var r = 0; r < Knobs.Replies; r++)
            {
                var (site, url, id) = own[j];
                var seed = random.Next();
                work.Add(() => Reply(api, site, url, id, seed));
            }
        }
        for (var b = 0; b < Knobs.Busy; b++)
        {
            var seed = random.Next();
            if (random.Next(3) == 0)
            {
                var (site, url, _) = own[random.Next(threads)];
                work.Add(() => Guest(api, site, url, seed));
            }
            else
            {
                var site = state.Sites[random.Next(state.Sites.Count)];
                var page = random.Next(50);
                work.Add(() => Guest(api, site, $"{State.Origin(site)}/news/{page}", seed));
            }
        }
        work = [.. work.OrderBy(_ => random.Next())];
        await Api.ForEachAsync(work, Knobs.SeedParallel, w => w());
        Console.Error.WriteLine($"[belonging] {work.Count} comments by others ({clock.Elapsed.TotalSeconds:0} s); waiting for the background work");
        await Background.SettleAsync(server);

        // The reader has read all that on every site; then a last wave of replies, a tenth as many as the first.
        await Api.ForEachAsync(state.Sites, Knobs.SeedParallel, async site =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/inbox/read") { Content = System.Net.Http.Json.JsonContent.Create(new { all = true }) };
            request.Headers.Authorization = new("Bearer", state.ReaderTokens[site]);
            using var response = await api.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        });
        var late = Enumerable.Range(0, Math.Max(1, threads * Knobs.Replies / 10)).Select(_ => (Own: own[random.Next(threads)], Seed: random.Next())).ToList();
        await Api.ForEachAsync(late, Knobs.SeedParallel, l => Reply(api, l.Own.Site, l.Own.Url, l.Own.Id, l.Seed));
        await Background.SettleAsync(server);
        Console.Error.WriteLine($"[belonging] seeded in {clock.Elapsed.TotalSeconds:0} s");

        var mine = ("$u", (object)state.Reader.Id);
        return (server.Count("""SELECT COUNT(*) FROM "Notifications" WHERE "UserId" = $u""", mine),
            server.Count("""SELECT COUNT(*) FROM "Notifications" AS n JOIN "Sites" AS s ON s."Id" = n."SiteId" WHERE n."UserId" = $u AND s."Name" = $s""",
                mine, ("$s", state.Sites[0])),
            server.Count("""SELECT COUNT(*) FROM "Notifications" WHERE "UserId" = $u AND "ReadAt" IS NULL""", mine));
    }

    static Task Reply(Api api, string site, string url, long parentId, int seed)
    {
        var random = new Random(seed);
        return api.PostAsync(site, url, Text.Comment(random), guest: Name(random), parentId: parentId);
    }

    static Task Guest(Api api, string site, string url, int seed)
    {
        var random = new Random(seed);
        return api.PostAsync(site, url, Text.Comment(random), guest: Name(random));
    }

    static string Name(Random random) => "Reader " + random.Next(Names).ToString(CultureInfo.InvariantCulture);
}
