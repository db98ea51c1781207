using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Security;

/// <summary>
/// However long a chain of replies a guest builds, nothing in the thread nests deeper than Hearth:MaxReplyDepth: replies
/// past it land at the deepest level, beside the comment they answer, and say whom they answer. Every page of such a
/// thread renders, as JSON and as the page for readers without JavaScript, and the server stays up.
/// </summary>
public class ThreadDepthIsBoundedTests(ThreadDepthIsBoundedTests.ShallowApp app) : IClassFixture<ThreadDepthIsBoundedTests.ShallowApp>
{
    public const int MaxReplyDepth = 4;

    /// <summary>A low maximum keeps the chains short; the rule is the same at the default of 10.</summary>
    public sealed class ShallowApp : HearthApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Hearth:MaxReplyDepth"] = MaxReplyDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task AChainOfRepliesPastTheMaximumLandsAtTheDeepestLevelAndSaysWhomItAnswers()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var chain = await ChainAsync(site, url, MaxReplyDepth + 4, "Level");

        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().Where(c => chain.Contains(c.Id)).ToDictionaryAsync(c => c.Id));
        Assert.Equal(MaxReplyDepth, stored.Values.Max(c => c.Depth));
        for (var level = 0; level < chain.Count; level++)
        {
            var comment = stored[chain[level]];
            Assert.Equal(level == 0 ? null : chain[0], comment.RootId);
            if (level <= MaxReplyDepth)
            {
                Assert.Equal(level, comment.Depth);
                Assert.Equal(level == 0 ? null : chain[level - 1], comment.ParentId);
                Assert.Null(comment.ReplyToId);
            }
            else
            {
                // Beside the comment it answers, under the comment one level up, at the deepest level.
                Assert.Equal(MaxReplyDepth, comment.Depth);
                Assert.Equal(chain[MaxReplyDepth - 1], comment.ParentId);
                Assert.Equal(chain[level - 1], comment.ReplyToId);
            }
        }

        var comments = (await _client.ThreadAsync(site, url, "&sort=oldest")).GetProperty("comments").EnumerateArray().ToDictionary(c => c.Id());
        Assert.Equal(chain.Count, comments.Count);
        for (var level = 0; level < chain.Count; level++)
        {
            var comment = comments[chain[level]];
            Assert.Equal(stored[chain[level]].ParentId, comment.GetProperty("parentId").GetInt64OrNull());
            if (level <= MaxReplyDepth)
            {
                Assert.False(comment.TryGetProperty("replyTo", out _), "Only replies past the deepest level carry replyTo.");
            }
            else
            {
                var replyTo = comment.GetProperty("replyTo");
                Assert.Equal(chain[level - 1], replyTo.GetProperty("id").GetInt64());
                Assert.Equal($"Level {level - 1}", replyTo.GetProperty("name").GetString());
            }
        }
        Assert.Equal(MaxReplyDepth, DeepestNesting(comments.Values));
    }

    [Fact]
    public async Task TheAnswerToAReplyTellsItsWriterWhomItAnswersAtOnce()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var chain = await ChainAsync(site, url, MaxReplyDepth + 1, "Writer");

        var beside = await _client.CommentAsync(site, url, "and one more", parentId: chain[^1], name: "Latecomer");
        Assert.Equal(chain[MaxReplyDepth - 1], beside.GetProperty("parentId").GetInt64());
        Assert.Equal(chain[^1], beside.GetProperty("replyTo").GetProperty("id").GetInt64());
        Assert.Equal($"Writer {MaxReplyDepth}", beside.GetProperty("replyTo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task EveryPageOfAThreadAtTheMaximumDepthRendersAsJsonAndAsPlainHtml()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        // More top-level comments than the plain page shows at once (50), each with a chain past the maximum.
        const int topLevel = 52;
        for (var i = 0; i < topLevel; i++)
        {
            await ChainAsync(site, url, i % 13 == 0 ? MaxReplyDepth + 3 : 1, $"T{i}");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = 0;
        string? cursor = null;
        do
        {
            var page = await _client.ThreadAsync(site, url, "&sort=oldest&limit=7" + (cursor is null ? "" : $"&cursor={cursor}"));
            var comments = page.GetProperty("comments").EnumerateArray().ToList();
            Assert.True(DeepestNesting(comments) <= MaxReplyDepth);
            seen += comments.Count;
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(topLevel + 4 * (MaxReplyDepth + 2), seen);

        var plainPages = 0;
        var path = $"/embed/{site}/thread?url={Uri.EscapeDataString(url)}";
        string? next = path;
        while (next is not null)
        {
            var response = await _client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            plainPages++;
            // Lists open and close in pairs, and never nest deeper than the replies do.
            Assert.Equal(Count(html, "<ol"), Count(html, "</ol>"));
            Assert.True(DeepestListNesting(html) <= MaxReplyDepth + 1, "The plain page nests lists deeper than the replies may go.");
            if (plainPages == 1)
            {
                Assert.Contains($"in reply to <a href=\"#comment-", html);
                Assert.Contains($">T0 {MaxReplyDepth}</a>", html);
            }
            var more = System.Text.RegularExpressions.Regex.Match(html, "<a rel=\"next\" href=\"\\?([^\"]+)\"");
            next = more.Success ? $"/embed/{site}/thread?" + System.Net.WebUtility.HtmlDecode(more.Groups[1].Value) : null;
        }
        Assert.Equal(2, plainPages);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AnEditCannotMoveAComment()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var chain = await ChainAsync(site, url, 2, "Mover");
        var other = await _client.CommentAsync(site, url, "elsewhere");
        var created = await _client.CommentAsync(site, url, "a reply", parentId: chain[1]);

        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{site}/comments/{created.Id()}")
        {
            Content = JsonContent.Create(new { body = "a reply, edited", parentId = other.Id(), replyTo = new { id = other.Id() } }),
        };
        edit.Headers.Add("X-Edit-Token", created.GetProperty("editToken").GetString());
        var response = await _client.SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == created.Id()));
        Assert.Equal("a reply, edited", stored.Source);
        Assert.Equal((chain[1], chain[0], 2, (long?)null), (stored.ParentId!.Value, stored.RootId!.Value, stored.Depth, stored.ReplyToId));
    }

    /// <summary>Posts a chain, each reply answering the one before; returns the ids, the top-level comment first.</summary>
    async Task<List<long>> ChainAsync(string site, string url, int length, string namePrefix)
    {
        var ids = new List<long>();
        for (var level = 0; level < length; level++)
        {
            var comment = await _client.CommentAsync(site, url, $"{namePrefix} says {level}", ids.Count == 0 ? null : ids[^1], name: $"{namePrefix} {level}");
            ids.Add(comment.Id());
        }
        return ids;
    }

    /// <summary>How deep the page's parentId links go (0 for top-level only), walked without recursion.</summary>
    static int DeepestNesting(IEnumerable<JsonElement> comments)
    {
        var parents = comments.ToDictionary(c => c.Id(), c => c.GetProperty("parentId").GetInt64OrNull());
        var deepest = 0;
        foreach (var id in parents.Keys)
        {
            var depth = 0;
            for (var at = parents[id]; at is { } parent && parents.ContainsKey(parent); at = parents[parent])
            {
                depth++;
                Assert.True(depth <= parents.Count, "The parent links form a cycle.");
            }
            deepest = Math.Max(deepest, depth);
        }
        return deepest;
    }

    static int Count(string text, string what) => System.Text.RegularExpressions.Regex.Count(text, System.Text.RegularExpressions.Regex.Escape(what));

    static int DeepestListNesting(string html)
    {
        int depth = 0, deepest = 0;
        foreach (System.Text.RegularExpressions.Match tag in System.Text.RegularExpressions.Regex.Matches(html, "</?ol[ >]"))
        {
            depth += tag.Value[1] == '/' ? -1 : 1;
            deepest = Math.Max(deepest, depth);
        }
        return deepest;
    }
}

static class JsonElementNulls
{
    public static long? GetInt64OrNull(this JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetInt64();
}
