using System.Diagnostics;
using System.Globalization;
using Hearth;
using Hearth.Analytics;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// bench/dashboard: a site with years of conversation, written straight into a data folder (prepare), then the
// dashboard's report asked of the running server (measure). See bench/dashboard for the knobs.
return args switch
{
    ["prepare", var data, var tokenFile] => await Prepare.RunAsync(data, tokenFile),
    ["measure", var url, var tokenFile] => await Measure.RunAsync(url, File.ReadAllText(tokenFile).Trim()),
    ["profile", var data] => await Profile.RunAsync(data),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Dashboard prepare DATA TOKEN_FILE | measure URL TOKEN_FILE");
    return 2;
}

static class Knobs
{
    public static int Comments => Int("BENCH_COMMENTS", 1_000_000);
    public static int Threads => Int("BENCH_THREADS", 10_000);
    public static int Days => Int("BENCH_DAYS", 730);
    public static int People => Int("BENCH_PEOPLE", 60_000);
    public static int Samples => Int("BENCH_SAMPLES", 20);

    static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>
/// The site, its owner and an API token as the product writes them; then threads, comments and page views in bulk,
/// in the tables' own shape (a news site: each story's conversation lives for about two weeks, a few regulars write
/// much of it, four in ten comments are replies, the team answers some); then the people counted from the comments by
/// the same backfill the server runs at start.
/// </summary>
static class Prepare
{
    const string Site = "newsroom";
    const string Origin = "https://news.example";

    public static async Task<int> RunAsync(string data, string tokenFile)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hearth:DataDirectory"] = data,
            ["Hearth:SeedDemo"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddHearthOptions();
        services.AddHearthStorage();
        services.AddHearthIdentity();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StoragePreparation>().RunAsync(seedDemo: false, CancellationToken.None);

        long siteId, ownerId;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HearthUser>>();
            var site = new Site { Name = Site, Origins = [Origin], CreatedAt = DateTime.UtcNow.AddDays(-Knobs.Days - 1) };
            db.Sites.Add(site);
            var owner = new HearthUser { UserName = "u" + Guid.NewGuid().ToString("N"), Email = "editor@news.example", EmailConfirmed = true, DisplayName = "The Editor", CreatedAt = DateTime.UtcNow };
            var created = await users.CreateAsync(owner);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            await db.SaveChangesAsync();
            db.SiteMembers.Add(new SiteMember { SiteId = site.Id, UserId = owner.Id, Role = SiteRole.Owner, JoinedAt = DateTime.UtcNow });
            var (session, token) = MemberSession.Start(owner.Id, site.Id, MemberSession.Api, DateTime.UtcNow, TimeSpan.FromDays(30), "bench/dashboard");
            db.MemberSessions.Add(session);
            await db.SaveChangesAsync();
            await File.WriteAllTextAsync(tokenFile, token);
            (siteId, ownerId) = (site.Id, owner.Id);
        }

        var clock = Stopwatch.StartNew();
        var written = Bulk(StorageSetup.DatabasePath(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HearthOptions>>().Value), siteId, ownerId);
        Console.Error.WriteLine($"[dashboard] wrote {written:N0} comments in {Knobs.Threads:N0} threads over {Knobs.Days} days in {clock.Elapsed.TotalSeconds:0}s");
        clock.Restart();
        await using (var scope = provider.CreateAsyncScope())
        {
            var people = await Hearth.People.PeopleBackfill.RunAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), CancellationToken.None);
            Console.Error.WriteLine($"[dashboard] counted {people:N0} people in {clock.Elapsed.TotalSeconds:0}s");
        }
        SqliteConnection.ClearAllPools();
        return 0;
    }

    static int Bulk(string path, long siteId, long ownerId)
    {
        var random = new Random(42);
        var now = DateTime.UtcNow;
        var start = now.AddDays(-Knobs.Days);
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        var thread = Command(connection, transaction, """
            INSERT INTO "Threads" ("SiteId", "Key", "Url", "Title", "Locked", "CommentCount", "CreatedAt", "EventSeq")
            VALUES ($site, $key, $url, $title, 0, $count, $created, 0) RETURNING "Id"
            """, "$site", "$key", "$url", "$title", "$count", "$created");
        var comment = Command(connection, transaction, """
            INSERT INTO "Comments" ("SiteId", "ThreadId", "ParentId", "RootId", "Depth", "Source", "Html", "BodyHash", "Status", "CreatedAt",
                "Upvotes", "Downvotes", "Rank", "Author_Key", "Author_Kind", "Author_Name", "Author_UserId", "EditedByModerator", "Featured", "Pinned")
            VALUES ($site, $thread, $parent, $root, $depth, $source, $html, $hash, $status, $created, 0, 0, 0, $key, $kind, $name, $user, 0, 0, 0)
            RETURNING "Id"
            """, "$site", "$thread", "$parent", "$root", "$depth", "$source", "$html", "$hash", "$status", "$created", "$key", "$kind", "$name", "$user");
        var view = Command(connection, transaction, """
            INSERT INTO "PageViews" ("SiteId", "ThreadKeyHash", "Day", "Views") VALUES ($site, $page, $day, $views)
            ON CONFLICT DO UPDATE SET "Views" = "Views" + "excluded"."Views"
            """, "$site", "$page", "$day", "$views");

        var perThread = Knobs.Comments / Knobs.Threads;
        var words = "river lock mill towpath flour bread council budget school bus election harbour ferry market rain garden festival library bridge tram".Split(' ');
        var written = 0;
        for (var t = 0; t < Knobs.Threads; t++)
        {
            var created = start.AddDays(Knobs.Days * (double)t / Knobs.Threads);
            var url = $"{Origin}/stories/{t}";
            var count = Math.Max(1, (int)(perThread * (0.2 + 1.6 * random.NextDouble())));
            thread.Parameters["$site"].Value = siteId;
            thread.Parameters["$key"].Value = "u:" + url;
            thread.Parameters["$url"].Value = url;
            thread.Parameters["$title"].Value = $"Story {t}";
            thread.Parameters["$count"].Value = count;
            thread.Parameters["$created"].Value = Stamp(created);
            var threadId = (long)thread.ExecuteScalar()!;
            var said = new List<(long Id, long Root, int Depth)>();
            for (var c = 0; c < count && written < Knobs.Comments; c++)
            {
                // Most of a story's comments come in its first days.
                var at = created.AddHours(14 * 24 * Math.Pow(random.NextDouble(), 3));
                if (at > now)
                {
                    at = now.AddMinutes(-random.Next(1, 600));
                }
                var team = random.NextDouble() < 0.02;
                // A few regulars write much of the conversation: person n with weight about 1/n.
                var person = (int)Math.Min(Knobs.People - 1, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(Knobs.People))) - 1);
                (long Id, long Root, int Depth)? parent = said.Count > 0 && random.NextDouble() < 0.4 ? said[random.Next(said.Count)] : null;
                var body = string.Join(' ', Enumerable.Range(0, 12 + random.Next(30)).Select(_ => words[random.Next(words.Length)]));
                comment.Parameters["$site"].Value = siteId;
                comment.Parameters["$thread"].Value = threadId;
                comment.Parameters["$parent"].Value = parent is { } p ? p.Id : DBNull.Value;
                comment.Parameters["$root"].Value = parent is { } q ? (q.Root == 0 ? q.Id : q.Root) : DBNull.Value;
                comment.Parameters["$depth"].Value = parent is { } r ? Math.Min(r.Depth + 1, 6) : 0;
                comment.Parameters["$source"].Value = body;
                comment.Parameters["$html"].Value = "<p>" + body + "</p>";
                comment.Parameters["$hash"].Value = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
                comment.Parameters["$status"].Value = random.NextDouble() < 0.03 ? "Pending" : "Published";
                comment.Parameters["$created"].Value = Stamp(at);
                comment.Parameters["$key"].Value = team ? $"m:{ownerId}" : $"g:person-{person}";
                comment.Parameters["$kind"].Value = team ? "Member" : "Guest";
                comment.Parameters["$name"].Value = team ? "The Editor" : $"Reader {person}";
                comment.Parameters["$user"].Value = team ? ownerId : DBNull.Value;
                var id = (long)comment.ExecuteScalar()!;
                said.Add((id, parent is { } s ? (s.Root == 0 ? s.Id : s.Root) : 0, parent is { } u ? Math.Min(u.Depth + 1, 6) : 0));
                written++;
            }
            // Readers: about twenty views per comment, over the story's two weeks, and the site's day totals.
            var page = PageView.Hash("u:" + url);
            for (var d = 0; d < 14; d++)
            {
                var day = DateOnly.FromDateTime(created.AddDays(d));
                if (day > DateOnly.FromDateTime(now))
                {
                    break;
                }
                var views = count * 20 / (d + 2);
                foreach (var (key, value) in new[] { (page, views), (ViewCounter.AllPages, views) })
                {
                    view.Parameters["$site"].Value = siteId;
                    view.Parameters["$page"].Value = key;
                    view.Parameters["$day"].Value = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    view.Parameters["$views"].Value = value;
                    view.ExecuteNonQuery();
                }
            }
        }
        transaction.Commit();
        return written;
    }

    static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }
        command.Prepare();
        return command;
    }
}

/// <summary>The report the dashboard shows, asked of the running server one request at a time, for several ranges.</summary>
static class Measure
{
    public static async Task<int> RunAsync(string url, string token)
    {
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var days in new[] { 30, 90, 365 })
        {
            var path = $"/api/v1/sites/newsroom/analytics?from={today.AddDays(1 - days):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
            var first = await TimeAsync(client, path);
            var samples = new List<double>();
            for (var i = 0; i < Knobs.Samples; i++)
            {
                samples.Add(await TimeAsync(client, path));
            }
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"report days={days} first_ms={first:0} p50_ms={samples[samples.Count / 2]:0} p95_ms={samples[(int)(samples.Count * 0.95)]:0} max_ms={samples[^1]:0}"));
        }
        // One busy story's own numbers, as the top conversations link to them.
        using (var report = await client.GetAsync("/api/v1/sites/newsroom/analytics?from=" + today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
        {
            var json = System.Text.Json.JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement;
            var totals = json.GetProperty("totals");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"last30 comments={totals.GetProperty("comments").GetInt32()} commenters={totals.GetProperty("commenters").GetInt32()} views={totals.GetProperty("views").GetInt64()} index={json.GetProperty("belonging").GetProperty("index")}"));
            var thread = json.GetProperty("topConversations")[0].GetProperty("threadId").GetInt64();
            var samples = new List<double>();
            for (var i = 0; i < Knobs.Samples; i++)
            {
                samples.Add(await TimeAsync(client, $"/api/v1/sites/newsroom/analytics?thread={thread}"));
            }
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"thread days=30 p50_ms={samples[samples.Count / 2]:0} max_ms={samples[^1]:0}"));
        }
        return 0;
    }

    static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        }
        return watch.Elapsed.TotalMilliseconds;
    }
}

/// <summary>The report worked out in this process against a prepared data folder, with the read of the comments alone timed beside it.</summary>
static class Profile
{
    public static async Task<int> RunAsync(string data)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hearth:DataDirectory"] = data,
            ["Hearth:SeedDemo"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", Environment.GetEnvironmentVariable("BENCH_SQL") == "1" ? LogLevel.Information : LogLevel.Warning));
        services.AddHearthOptions();
        services.AddHearthStorage();
        services.AddAnalytics();
        await using var provider = services.BuildServiceProvider();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var round = 0; round < 4; round++)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var site = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Sites, s => s.Name == "newsroom");
            var watch = Stopwatch.StartNew();
            var start = today.AddDays(-59).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var rows = 0;
            await foreach (var c in Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsAsyncEnumerable(db.Comments
                .Where(c => c.SiteId == site.Id && c.Status == Hearth.Conversations.CommentStatus.Published && c.CreatedAt >= start)
                .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
                .Select(c => new { c.Id, c.ThreadId, Answers = c.ReplyToId ?? c.ParentId, c.Depth, c.Author.Key, c.Author.UserId, c.CreatedAt })))
            {
                rows++;
            }
            var scan = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            await scope.ServiceProvider.GetRequiredService<SiteAnalytics>().ReportAsync(site, null, new AnalyticsRange(today.AddDays(-29), today), CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round={round} scan_rows={rows} scan_ms={scan:0} report_ms={watch.Elapsed.TotalMilliseconds:0}"));
        }
        return 0;
    }
}
