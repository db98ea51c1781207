// The belonging benchmark's work (bench/belonging runs it): the inbox of a person who takes part in hundreds of
// conversations across many sites, what followers add to a post, and how fast notification e-mail leaves the outbox.
// Its scale comes from the environment (see Knobs and bench/belonging); it prints one line per figure for the script.
//
// Usage: Belonging prepare DATA_DIR STATE_FILE           (before the server starts: sites, accounts, widget sessions)
//        Belonging run BASE_URL DATA_DIR STATE_FILE SMTP_PORT SERVER_PID
using System.Globalization;

if (args[0] == "prepare")
{
    await Prepare.RunAsync(args[1], args[2], Knobs.Sites, Knobs.Followers);
    return;
}

var (baseUrl, data, state) = (args[1], args[2], State.Load(args[3]));
var server = new Server(int.Parse(args[5], CultureInfo.InvariantCulture), data);
using var sink = new MailSink(int.Parse(args[4], CultureInfo.InvariantCulture));
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
var api = new Api(http);
var inv = CultureInfo.InvariantCulture;

// The background work's cursors exist once it has run once at start: nothing posted before is missed.
await server.WaitForAsync(() => server.Count("""SELECT COUNT(*) FROM "InstanceSettings" WHERE "Name" = 'notifications:followed:cursor'"""), 1,
    TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

var (notifications, onFirstSite, unread) = await Seed.RunAsync(api, server, state);
var comments = server.Count("""SELECT COUNT(*) FROM "Comments" """);
Console.WriteLine(string.Create(inv, $"seed sites={state.Sites.Count} threads={Knobs.Threads} comments={comments} notifications={notifications} on_first_site={onFirstSite} unread={unread} mails_so_far={sink.Count}"));

foreach (var (name, stats) in await InboxBench.RunAsync(baseUrl, api, state))
{
    Console.WriteLine(string.Create(inv, $"inbox {name} {stats}"));
}

var (arms, cpu, delivered, expected, idle) = await FollowerCost.RunAsync(api, server, state);
foreach (var arm in arms)
{
    Console.WriteLine(string.Create(inv, $"post {arm.Name} {new Stats(arm.Ms)}"));
}
foreach (var (kind, followed, quiet) in new[] { ("thread", arms[0], arms[1]), ("person", arms[2], arms[3]) })
{
    var (f, q) = (new Stats(followed.Ms), new Stats(quiet.Ms));
    Console.WriteLine(string.Create(inv, $"added {kind} followers={state.ThreadFollowers.Count} p50_ms={f.P50 - q.P50:0.00} p99_ms={f.P99 - q.P99:0.00}"));
}
foreach (var c in cpu)
{
    Console.WriteLine(string.Create(inv, $"cpu {c.Name} ms_per_post={c.MsPerPost:0.00} caught_up_after_s={c.DeliverySeconds:0.0}"));
}
foreach (var (kind, followed, quiet) in new[] { ("thread", cpu[0], cpu[1]), ("person", cpu[2], cpu[3]) })
{
    Console.WriteLine(string.Create(inv, $"added_cpu {kind} ms_per_post={followed.MsPerPost - quiet.MsPerPost:0.00}"));
}
Console.WriteLine(string.Create(inv, $"followers_told notifications={delivered} expected={expected} server_idle_ms_per_s={idle:0.0}"));

var mail = await MailThroughput.RunAsync(api, server, sink, state);
Console.WriteLine(string.Create(inv, $"mail mails={mail.Mails} posts={mail.Posts} followers={state.MailFollowers.Count} peak_outbox={mail.PeakOutbox} outbox_s={mail.OutboxSeconds:0.0} end_to_end_s={mail.EndToEndSeconds:0.0} per_minute={(mail.Mails - 1) / mail.OutboxSeconds * 60:0} end_to_end_per_minute={mail.Mails / mail.EndToEndSeconds * 60:0} server_cpu_ms_per_mail={mail.SenderCpuMsPerMail:0.00}"));
