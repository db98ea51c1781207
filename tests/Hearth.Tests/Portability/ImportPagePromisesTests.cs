using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Hearth.Tests.Accounts;
using Hearth.Tests.ManyNodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Portability;

/// <summary>
/// Holds the first database command a test picks (after those it lets pass), once it has run, until the test lets it
/// go: an import or an export caught half-way, at a point the test chose rather than at a moment it hoped for.
/// </summary>
public sealed class PickedCommandHold : DbCommandInterceptor
{
    readonly Lock _lock = new();
    Func<DbCommand, bool>? _picks;
    int _passing;
    TaskCompletionSource? _reached;
    TaskCompletionSource? _release;

    /// <returns>Reached once the command is held; the test sets Release (in a finally) to let it go on.</returns>
    public (Task Reached, TaskCompletionSource Release) Arm(Func<DbCommand, bool> picks, int passing = 0)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            (_picks, _passing, _reached, _release) = (picks, passing, reached, release);
        }
        return (reached.Task, release);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        await HoldAsync(command);
        return result;
    }

    async Task HoldAsync(DbCommand command)
    {
        TaskCompletionSource? reached = null, release = null;
        lock (_lock)
        {
            if (_picks is { } picks && picks(command) && _passing-- == 0)
            {
                (reached, release, _picks) = (_reached, _release, null);
            }
        }
        if (release is not null)
        {
            reached!.TrySetResult();
            await release.Task;
        }
    }

    /// <summary>Whether one of the command's parameters is this number (a site's id, say).</summary>
    public static bool Carries(DbCommand command, long value) =>
        command.Parameters.Cast<DbParameter>().Any(p => (p.Value is long n && n == value) || (p.Value is int i && i == value));
}

/// <summary>Hearth with its e-mail caught (for owners to sign up and in) and its database commands holdable.</summary>
public sealed class HoldableAccountsApp : AccountsApp
{
    public PickedCommandHold Hold { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.InterceptHearthDb(Hold);
        });
    }
}

/// <summary>The settings page's import and export as an owner's browser (or someone's API client) uses them.</summary>
static class SettingsPageCalls
{
    public const string Password = "a lantern by the lock";

    /// <summary>The file as the settings page's script sends it, with the page's anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(Browser browser, string site, string file, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/account/moderate/{site}/imports?{query}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(file)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        request.Headers.Add("X-CSRF", await browser.AntiforgeryTokenAsync());
        return await browser.Client.SendAsync(request);
    }

    /// <summary>Follows the run at its address, as the page does, until it is no longer running.</summary>
    public static async Task<JsonElement> FollowAsync(HttpClient client, string location)
    {
        for (var i = 0; i < 1200; i++)
        {
            var job = await client.GetFromJsonAsync<JsonElement>(location);
            if (job.GetProperty("status").GetString() != "running")
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The import at {location} was still running after two minutes.");
    }

    public static async Task<string> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    public static List<string> Summary(JsonElement job) => [.. job.GetProperty("summary").EnumerateArray().Select(l => l.GetString()!)];

    /// <summary>
    /// A Disqus export of these pages with this many comments each, every third one answering the one before; the ids
    /// stay the same for a page's first comments whatever the count, so a longer file is the shorter one and more.
    /// </summary>
    public static string Disqus(string prefix, params (string Url, int Comments)[] pages)
    {
        var file = new StringBuilder("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
            """);
        for (var t = 0; t < pages.Length; t++)
        {
            file.Append($"""<thread dsq:id="{prefix}t{t}"><id></id><link>{pages[t].Url}</link><title>Page {t}</title></thread>""").Append('\n');
            for (var c = 0; c < pages[t].Comments; c++)
            {
                file.Append($"""<post dsq:id="{prefix}t{t}c{c}"><message><![CDATA[<p>Comment {c} on page {t}, déjà vu</p>]]></message>""")
                    .Append($"""<createdAt>2016-02-03T04:05:06Z</createdAt><author><email>w{c % 3}@example.com</email><name>Writer {c % 3}</name></author>""")
                    .Append($"""<thread dsq:id="{prefix}t{t}" />""")
                    .Append(c % 3 == 2 ? $"""<parent dsq:id="{prefix}t{t}c{c - 1}" />""" : "").Append("</post>\n");
            }
        }
        return file.Append("</disqus>").ToString();
    }
}

/// <summary>
/// The promises docs/import.md ("From the settings page", "Safe to run, and to run again") and docs/export.md make about
/// the settings page's import and the export read while the site is written to.
/// </summary>
public class ImportPagePromisesTests(HoldableAccountsApp app) : IClassFixture<HoldableAccountsApp>
{
    async Task<(Browser Browser, string Site)> OwnerAsync()
    {
        var (browser, email) = await app.SignedInAsync($"Noor {Guid.NewGuid().ToString("N")[..6]}", SettingsPageCalls.Password);
        var site = await app.CreateSiteAsync();
        await app.GrantAsync(email, site, SiteRole.Owner);
        return (browser, site);
    }

    /// <summary>An API token for the site, made by its owner on the account pages as the owner would.</summary>
    static async Task<string> ApiTokenAsync(Browser owner, string site)
    {
        using var made = await owner.SubmitAsync("/account/tokens", "/account/tokens", ("site", site));
        var token = Regex.Match(await made.Content.ReadAsStringAsync(), "<code id=\"new-token\">([^<]+)</code>");
        Assert.True(token.Success, "No token was made");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    static HttpRequestMessage WithToken(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    Task<int> CommentsOfAsync(string site) => app.InDatabaseAsync(db => db.Comments.CountAsync(c => db.Sites.Any(s => s.Id == c.SiteId && s.Name == site)));

    Task<int> RunsOfAsync(string site) => app.InDatabaseAsync(db => db.ImportJobs.CountAsync(j => db.Sites.Any(s => s.Id == j.SiteId && s.Name == site)));

    [Fact]
    public async Task TheImportEndpointsTakeAnOwnersSignInAndRefuseTheSitesApiToken()
    {
        var (owner, site) = await OwnerAsync();
        var token = await ApiTokenAsync(owner, site);
        var api = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        // The token is good for this site: it reads the site's log through the API.
        using (var log = await api.SendAsync(WithToken(HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit", token)))
        {
            Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        }
        var file = SettingsPageCalls.Disqus("tok", ("https://blog.example/token-page", 3));
        ByteArrayContent Body() => new(Encoding.UTF8.GetBytes(file)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

        // An API client has no page and so no page's token: the upload is refused before it is read.
        using (var upload = await api.SendAsync(WithToken(HttpMethod.Post, $"/account/moderate/{site}/imports?format=disqus&name=api.xml", token, Body())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
            // Said so that a program can read it, not as a page for a person.
            Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
            var problem = await upload.ProblemAsync();
            Assert.Equal("page_token_missing", problem.GetProperty("code").GetString());
        }
        // With a page's token from a browser nobody signed in on, the API token still signs no one in.
        var stranger = app.NewBrowser();
        var request = WithToken(HttpMethod.Post, $"/account/moderate/{site}/imports?format=disqus&name=api.xml", token, Body());
        request.Headers.Add("X-CSRF", await stranger.AntiforgeryTokenAsync("/account/signin"));
        using (var upload = await stranger.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
            Assert.StartsWith("/account/signin", upload.Headers.Location?.OriginalString);
        }
        Assert.Equal((0, 0), (await RunsOfAsync(site), await CommentsOfAsync(site)));

        // The owner's own session, on the page, goes through; the run it started is not shown to the token.
        using var accepted = await SettingsPageCalls.UploadAsync(owner, site, file, "format=disqus&name=mine.xml");
        var location = await SettingsPageCalls.AcceptedAsync(accepted);
        Assert.Equal("done", (await SettingsPageCalls.FollowAsync(owner.Client, location)).GetProperty("status").GetString());
        using (var followed = await api.SendAsync(WithToken(HttpMethod.Get, location, token)))
        {
            Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
            Assert.StartsWith("/account/signin", followed.Headers.Location?.OriginalString);
            Assert.DoesNotContain("mine.xml", await followed.Content.ReadAsStringAsync());
        }
        Assert.Equal((1, 3), (await RunsOfAsync(site), await CommentsOfAsync(site)));
    }

    [Fact]
    public async Task EachRunIsInTheSitesLogWithItsFilesNameAndSizeAndTheSettingsPageListsTheLastFive()
    {
        var (owner, site) = await OwnerAsync();
        var names = new List<string>();
        var sizes = new List<int>();
        // Six runs, the last a dry run; run i brings i + 1 comments on a page of its own, so each summary is its own.
        for (var i = 0; i < 6; i++)
        {
            var name = $"run-{i}-{Guid.NewGuid().ToString("N")[..6]}.xml";
            var file = SettingsPageCalls.Disqus($"r{i}", ($"https://blog.example/runs/{site}/{i}", i + 1));
            using var accepted = await SettingsPageCalls.UploadAsync(owner, site, file, $"format=disqus&name={name}{(i == 5 ? "&dryRun=true" : "")}");
            var job = await SettingsPageCalls.FollowAsync(owner.Client, await SettingsPageCalls.AcceptedAsync(accepted));
            Assert.Equal("done", job.GetProperty("status").GetString());
            names.Add(name);
            // The comments say "déjà vu": the size is the file's bytes, not its characters.
            sizes.Add(Encoding.UTF8.GetByteCount(file));
        }

        var page = await owner.GetAsync($"/account/moderate/{site}/settings");
        Assert.DoesNotContain(names[0], page);
        for (var i = 1; i < 5; i++)
        {
            Assert.Contains(names[i], page);
            Assert.Contains($"Comments imported: {i + 1} (", page);
        }
        Assert.Contains(names[5], page);
        Assert.Contains("Comments would be imported: 6 (", page);

        using var read = await app.CreateClient().SendAsync(WithToken(HttpMethod.Get, $"/api/v1/sites/{site}/moderation/audit", await ApiTokenAsync(owner, site)));
        var entries = (await read.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("import", StringComparison.Ordinal))
            .Select(e => (Action: e.GetProperty("action").GetString()!, After: e.GetProperty("after").GetString()!)).ToList();
        Assert.Equal(6, entries.Count);
        for (var i = 0; i < 6; i++)
        {
            var entry = Assert.Single(entries, e => e.After.Contains(names[i], StringComparison.Ordinal));
            Assert.Equal(i == 5 ? "import-dry-run" : "import", entry.Action);
            Assert.Matches($@"(?<![0-9]){sizes[i]}(?![0-9])", entry.After);
        }
    }

    [Fact]
    public async Task AnImportAddsOneLogEntryToEachThreadItChangedAndARunThatChangesNothingAddsNone()
    {
        var (owner, site) = await OwnerAsync();
        var pages = Enumerable.Range(0, 3).Select(i => $"https://blog.example/logged/{site}/{i}").ToArray();
        // The first page is a thread already, with a comment written here: the import adds to it.
        await app.CreateClient().CommentAsync(site, pages[0], "Written here before any import", name: "Local Lou");

        async Task<Dictionary<string, int>> LogAsync() => await app.InDatabaseAsync(async db =>
        {
            var rows = await db.ThreadEvents.Where(e => db.Sites.Any(s => s.Id == e.SiteId && s.Name == site))
                .Join(db.Threads, e => e.ThreadId, t => t.Id, (e, t) => new { t.Url, e.Type, e.CommentId }).ToListAsync();
            Assert.All(rows.Where(r => r.Type == ThreadEvent.Imported), r => Assert.Equal(ThreadEvent.NoComment, r.CommentId));
            return pages.ToDictionary(p => p, p => rows.Count(r => r.Url == p));
        });
        async Task ImportAsync(string file)
        {
            using var accepted = await SettingsPageCalls.UploadAsync(owner, site, file, "format=disqus&name=log.xml");
            Assert.Equal("done", (await SettingsPageCalls.FollowAsync(owner.Client, await SettingsPageCalls.AcceptedAsync(accepted))).GetProperty("status").GetString());
        }

        var before = await LogAsync();
        var file = SettingsPageCalls.Disqus("log", (pages[0], 4), (pages[1], 5), (pages[2], 6));
        await ImportAsync(file);
        var first = await LogAsync();
        // Fifteen comments on three threads: three entries, one per thread, none per comment.
        Assert.Equal(pages.Select(p => before[p] + 1), pages.Select(p => first[p]));

        await ImportAsync(file);
        Assert.Equal(first, await LogAsync());

        // The same file with one more comment on the second page: only that thread changed.
        await ImportAsync(SettingsPageCalls.Disqus("log", (pages[0], 4), (pages[1], 6), (pages[2], 6)));
        var third = await LogAsync();
        Assert.Equal([first[pages[0]], first[pages[1]] + 1, first[pages[2]]], pages.Select(p => third[p]));
    }

    [Fact]
    public async Task AnExportDownloadedWhileCommentsAreWrittenIsOneMomentOfTheSiteAndHoldsNoWriterUp()
    {
        var (owner, site) = await OwnerAsync();
        // More comments than an export reads at once, so it reads pages of them, some after the writes below.
        var prefix = "moment" + Guid.NewGuid().ToString("N")[..6];
        await app.ImportAsync(site, DisqusFiles.Many(prefix, 3, 250), map: new Hearth.Portability.UrlMap());
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var stored = await CommentsOfAsync(site);
        Assert.True(stored > Hearth.Portability.ExportPages.Size, $"{stored} comments");
        var lastOfThird = await app.InDatabaseAsync(db => db.Comments
            .Where(c => db.Threads.Any(t => t.Id == c.ThreadId && t.SiteId == siteId && t.Url == $"https://blog.example/{prefix}/2")).MaxAsync(c => c.Id));
        var client = app.CreateClient();

        // Held once the export has read the threads and its first page of comments, in its transaction.
        var (reached, release) = app.Hold.Arm(c => c.CommandText.Contains("FROM \"Comments\"", StringComparison.Ordinal)
            && c.CommandText.Contains("\"Id\" > @", StringComparison.Ordinal) && c.CommandText.Contains("ORDER BY", StringComparison.Ordinal)
            && PickedCommandHold.Carries(c, siteId));
        var download = owner.Client.GetAsync($"/account/moderate/{site}/export/hearth.json");
        try
        {
            await reached.WaitAsync(TimeSpan.FromSeconds(60));
            // Writers go on meanwhile: a new page, a comment on a page the export has listed, a reply far down its pages.
            var writes = Task.WhenAll(
                client.CommentAsync(site, $"https://blog.example/{prefix}/new", "Said on a new page during the export", name: "Late Lena"),
                client.CommentAsync(site, $"https://blog.example/{prefix}/0", "Said on the first page during the export", name: "Late Lars"),
                client.CommentAsync(site, $"https://blog.example/{prefix}/2", "A reply during the export", lastOfThird, name: "Late Liv"));
            await writes.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(download.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }
        using var response = await download.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var threads = root.GetProperty("threads").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt64(), t => t.GetProperty("commentCount").GetInt32());
        var comments = root.GetProperty("comments").EnumerateArray().Select(c => new
        {
            Id = c.GetProperty("id").GetInt64(), Thread = c.GetProperty("threadId").GetInt64(),
            Parent = c.GetProperty("parentId").ValueKind == JsonValueKind.Null ? (long?)null : c.GetProperty("parentId").GetInt64(),
            Status = c.GetProperty("status").GetString(), Source = c.GetProperty("source").GetString()!,
        }).ToList();
        Assert.Equal(stored, comments.Count);
        Assert.DoesNotContain(comments, c => c.Source.Contains("during the export", StringComparison.Ordinal));
        Assert.Equal(3, threads.Count);
        var ids = comments.Select(c => c.Id).ToHashSet();
        Assert.All(comments, c => Assert.True(threads.ContainsKey(c.Thread), $"comment {c.Id} of thread {c.Thread}, which is not in the export"));
        Assert.All(comments, c => Assert.True(c.Parent is null || ids.Contains(c.Parent.Value), $"comment {c.Id} answers {c.Parent}, which is not in the export"));
        Assert.All(threads, t => Assert.Equal(t.Value, comments.Count(c => c.Thread == t.Key && c.Status == "published")));

        // The writes were kept: the next export has them.
        using var next = await owner.Client.GetAsync($"/account/moderate/{site}/export/hearth.json");
        var later = JsonDocument.Parse(await next.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((4, stored + 3), (later.GetProperty("threads").GetArrayLength(), later.GetProperty("comments").GetArrayLength()));
    }
}

/// <summary>Two nodes; what node A's database commands do can be held half-way.</summary>
public sealed class TwoNodesHoldingA : TwoNodes
{
    public PickedCommandHold Hold { get; } = new();

    protected override Action<IServiceCollection>? ServicesOfA => services =>
    {
        services.InterceptHearthDb(Hold);
    };
}

/// <summary>An import uploaded to one server of an instance, followed through another (docs/import.md, "From the settings page").</summary>
[Collection(TwoNodes.Collection)]
public sealed class ImportPagePromisesTestsOnTwoNodes(TwoNodesHoldingA nodes) : IClassFixture<TwoNodesHoldingA>
{
    static Browser BrowserOn(Node node) =>
        new(node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));

    /// <summary>An account with a password (made here: the nodes send no mail), owner of the site, signed in on both nodes.</summary>
    async Task<(Browser OnA, Browser OnB)> OwnerOnBothAsync(string site)
    {
        var email = $"owner-{Guid.NewGuid():N}@mail.example";
        await using (var scope = nodes.A.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HearthUser>>();
            var made = await users.CreateAsync(new HearthUser
            {
                UserName = "u" + Guid.NewGuid().ToString("N"), Email = email, EmailConfirmed = true, DisplayName = "Nadia Nodes",
                CreatedAt = nodes.A.Clock.GetUtcNow().UtcDateTime,
            }, SettingsPageCalls.Password);
            Assert.True(made.Succeeded, string.Join("; ", made.Errors.Select(e => e.Description)));
        }
        await nodes.A.GrantAsync(email, site, SiteRole.Owner);
        var (onA, onB) = (BrowserOn(nodes.A), BrowserOn(nodes.B));
        foreach (var browser in new[] { onA, onB })
        {
            using var signedIn = await browser.SignInAsync(email, SettingsPageCalls.Password);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        return (onA, onB);
    }

    [Fact]
    public async Task AnImportUploadedToOneServerIsFollowedThroughAnotherFromWritingNOfMToItsSummary()
    {
        var site = await nodes.A.CreateSiteAsync();
        var (onA, onB) = await OwnerOnBothAsync(site);
        var prefix = "follow" + Guid.NewGuid().ToString("N")[..6];
        var file = DisqusFiles.Many(prefix, 2, 30);

        // Node A's run is held before its second batch of comments, once the first is written and said.
        // (The writing's look-up of its next chunk; the resolution's of a round's rows reads "High" instead of "Value".)
        var (reached, release) = nodes.Hold.Arm(c => c.CommandText.Contains("SELECT MAX(\"Id\") AS \"Value\"", StringComparison.Ordinal)
            && c.CommandText.Contains("\"Round\"", StringComparison.Ordinal), passing: 1);
        string location;
        try
        {
            using var accepted = await SettingsPageCalls.UploadAsync(onA, site, file, "format=disqus&name=followed.xml");
            location = await SettingsPageCalls.AcceptedAsync(accepted);
            await reached.WaitAsync(TimeSpan.FromSeconds(60));

            // Node B tells where A's run is, from what A writes to the database every second.
            JsonElement job = default;
            for (var i = 0; i < 600; i++)
            {
                job = await onB.Client.GetFromJsonAsync<JsonElement>(location);
                if (job.GetProperty("phase").GetString() == "writing")
                {
                    break;
                }
                await Task.Delay(100);
            }
            Assert.Equal(("running", "writing", 60L), (job.GetProperty("status").GetString(), job.GetProperty("phase").GetString(), job.GetProperty("total").GetInt64()));
            Assert.InRange(job.GetProperty("done").GetInt64(), 1, 59);
            // B's settings page lists the run as going on, for its script to follow.
            var page = await onB.GetAsync($"/account/moderate/{site}/settings");
            Assert.Contains($"data-going=\"{location}\"", page);
            Assert.Contains("followed.xml", page);
        }
        finally
        {
            release.TrySetResult();
        }

        var done = await SettingsPageCalls.FollowAsync(onB.Client, location);
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Contains("Comments imported: 60 (of which tombstones: 0)", SettingsPageCalls.Summary(done));
        Assert.Contains("Comments imported: 60 (of which tombstones: 0)", await onB.GetAsync($"/account/moderate/{site}/settings"));
        var thread = await nodes.B.CreateClient().ThreadAsync(site, $"https://blog.example/{prefix}/1");
        Assert.Equal(30, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
    }
}
