using System.Globalization;
using System.Net;
using System.Text.Json;
using Hearth.Tests.Moderation;

namespace Hearth.Tests.Analytics;

/// <summary>
/// The dashboard's numbers on a small conversation whose answers are worked out by hand below, through the API the
/// dashboard page and integrators read.
/// </summary>
public class DashboardNumbersTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    /// <summary>Moves the clock to eight in the morning UTC on the first of next month: every day of a test in one month.</summary>
    DateOnly StartOfNextMonth()
    {
        var now = app.Clock.GetUtcNow();
        var first = new DateTimeOffset(now.Year, now.Month, 1, 8, 0, 0, TimeSpan.Zero).AddMonths(1);
        app.Clock.SetUtcNow(first);
        return DateOnly.FromDateTime(first.UtcDateTime);
    }

    void At(DateOnly day, int hour, int minute = 0) =>
        app.Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero));

    Task<JsonElement> Say(string site, string url, string name, long? parentId = null) =>
        _client.CommentAsync(site, url, $"{name} says {Guid.NewGuid():N}", parentId, name);

    async Task<JsonElement> TeamReply(string site, string token, long commentId)
    {
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/people/newcomers/{commentId}/reply",
            new { body = $"Welcome! {Guid.NewGuid():N}" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    async Task<JsonElement> Report(string site, string token, DateOnly from, DateOnly to, string? extra = null)
    {
        using var response = await _client.AsModeratorAsync(token, HttpMethod.Get,
            $"/api/v1/sites/{site}/analytics?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}{extra}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Nothing to tell: the API leaves a null out.</summary>
    static bool Missing(JsonElement e, string name) => !e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    static double? Number(JsonElement e, string name) => Missing(e, name) ? null : e.GetProperty(name).GetDouble();

    [Fact]
    public async Task AFewDaysOfTwoPagesGiveTheNumbersWorkedOutByHand()
    {
        var (site, mo) = await app.SiteWithModeratorAsync();
        var p = ApiCalls.NewPageUrl();
        var q = ApiCalls.NewPageUrl();
        var d0 = StartOfNextMonth();
        var (d1, d2, d3, d5) = (d0.AddDays(1), d0.AddDays(2), d0.AddDays(3), d0.AddDays(5));

        // Day 0, before the range: Ann's first comment.
        await Say(site, p, "Ann");
        // Day 1: Bo arrives, Ann answers, Bo answers back (Ann and Bo reply to each other on P). Cy arrives on Q.
        At(d1, 8);
        var b1 = await Say(site, p, "Bo");
        At(d1, 8, 10);
        var a1 = await Say(site, p, "Ann", b1.Id());
        At(d1, 8, 20);
        await Say(site, p, "Bo", a1.Id());
        At(d1, 9);
        var c1 = await Say(site, q, "Cy");
        // Day 2: the team (Mo) welcomes Cy 23 hours later; Di arrives on Q.
        At(d2, 8);
        await TeamReply(site, mo, c1.Id());
        At(d2, 9);
        var d1Comment = await Say(site, q, "Di");
        // Day 3: Cy comes back, on P.
        At(d3, 8);
        await Say(site, p, "Cy");
        // Day 5, after the range: Ann answers Di, 2 days 23 hours after Di wrote.
        At(d5, 8);
        await Say(site, q, "Ann", d1Comment.Id());

        var report = await Report(site, mo, d1, d3);
        var totals = report.GetProperty("totals");
        // b1 a1 b2 c1 m1 d1 c2; new that day: b1 b2 (Bo), c1 (Cy), m1 (Mo's first comment), d1 (Di).
        Assert.Equal(7, Int(totals, "comments"));
        Assert.Equal(5, Int(totals, "newcomerComments"));
        Assert.Equal(2, Int(totals, "returningComments"));
        // Bo, Ann, Cy, Mo, Di; all but Ann first commented in the range.
        Assert.Equal(5, Int(totals, "commenters"));
        Assert.Equal(4, Int(totals, "newCommenters"));
        Assert.Equal(1, Int(totals, "returningCommenters"));
        Assert.Equal(2, Int(totals, "threads"));
        Assert.Equal(1, Int(totals, "conversations"));
        Assert.Equal(3, Int(totals, "replies"));
        // Answered within 30 days: b1 (10 min), a1 (10 min), c1 (1,380 min), d1 (4,260 min, after the range).
        Assert.Equal(4, Int(totals, "answered"));
        Assert.Equal(4.0 / 7, Number(totals, "answeredShare")!.Value, 6);
        Assert.Equal(695, Number(totals, "medianMinutesToFirstReply"));
        // Six comments by people outside the team; the team answered one, c1, after 1,380 minutes.
        Assert.Equal(6, Int(totals, "commentsByOthers"));
        Assert.Equal(1, Int(totals, "teamAnswered"));
        Assert.Equal(1380, Number(totals, "medianMinutesToFirstTeamReply"));
        // Right now: Ann's first comment (day 0) and Mo's (day 2) have had no answer.
        Assert.Equal(2, Int(totals, "unansweredNewcomers"));

        var days = report.GetProperty("days").EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString(), Int(d, "comments"), Int(d, "newcomers"), Int(d, "returning"))).ToList();
        Assert.Equal([(Day(d1), 4, 3, 1), (Day(d2), 2, 2, 0), (Day(d3), 1, 0, 1)], days);
        Assert.Equal(7, report.GetProperty("weeks").EnumerateArray().Sum(w => Int(w, "comments")));
        Assert.Equal(5, report.GetProperty("weeks").EnumerateArray().Sum(w => Int(w, "newcomers")));

        var depths = report.GetProperty("depths").EnumerateArray().ToDictionary(d => d.GetProperty("depth").GetString()!, d => Int(d, "comments"));
        Assert.Equal(4, depths["0"]);
        Assert.Equal(2, depths["1"]);
        Assert.Equal(1, depths["2"]);
        Assert.Equal(0, depths["6+"]);

        // Bo, Cy and Di are new (Mo, the team, is not counted as one); only Cy came back on a later day. Their 30 days
        // are not over yet.
        var cohort = Assert.Single(report.GetProperty("retention").EnumerateArray());
        Assert.Equal(d1.ToString("yyyy-MM", CultureInfo.InvariantCulture), cohort.GetProperty("month").GetString());
        Assert.Equal(3, Int(cohort, "newcomers"));
        Assert.Equal(1, Int(cohort, "cameBack"));
        Assert.False(cohort.GetProperty("complete").GetBoolean());

        // Retention 1/3; reciprocity: Ann and Bo of Bo, Ann, Cy, Di (Cy heard only from the team) = 2/4;
        // response: the first comments of Bo, Cy and Di were all answered = 3/3. Mean 0.611: 61.
        var belonging = report.GetProperty("belonging");
        Assert.Equal(1.0 / 3, Number(belonging, "retention")!.Value, 6);
        Assert.Equal(0.5, Number(belonging, "reciprocity"));
        Assert.Equal(1, Number(belonging, "response"));
        Assert.Equal(61, Int(belonging, "index"));
        // The three days before: Ann alone, who came back (1), talked with nobody (0), was not answered (0): 33.
        Assert.Equal(Day(d0.AddDays(-2)), belonging.GetProperty("previousFrom").GetString());
        Assert.Equal(33, Int(belonging, "previousIndex"));
        Assert.Equal(28, Int(belonging, "change"));

        var conversations = report.GetProperty("topConversations").EnumerateArray().ToList();
        Assert.Equal([p, q], conversations.Select(c => c.GetProperty("url").GetString()));
        Assert.Equal([4, 3], conversations.Select(c => Int(c, "comments")));
        Assert.Equal([3, 3], conversations.Select(c => Int(c, "people")));
        Assert.Equal([true, false], conversations.Select(c => c.GetProperty("conversation").GetBoolean()));

        var people = report.GetProperty("topContributors").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => (Int(c, "comments"), Int(c, "repliesGiven"), Int(c, "repliesReceived"), c.GetProperty("new").GetBoolean()));
        Assert.Equal((2, 1, 1, true), people["Bo"]);
        Assert.Equal((2, 0, 1, true), people["Cy"]);
        Assert.Equal((1, 1, 1, false), people["Ann"]);
        Assert.Equal((1, 1, 0, true), people["Mo"]);
        Assert.Equal((1, 0, 0, true), people["Di"]);
        Assert.Equal(["Bo", "Cy"], people.Keys.Take(2).Order());

        // One thread: Q had Cy, Mo and Di, each on their first day here, and no exchange.
        var qId = (await _client.ThreadAsync(site, q)).GetProperty("thread").GetProperty("id").GetInt64();
        var thread = await Report(site, mo, d1, d3, $"&thread={qId}");
        Assert.Equal(q, thread.GetProperty("thread").GetProperty("url").GetString());
        Assert.Equal(3, Int(thread.GetProperty("totals"), "comments"));
        Assert.Equal(3, Int(thread.GetProperty("totals"), "newcomerComments"));
        Assert.Equal(0, Int(thread.GetProperty("totals"), "conversations"));
        Assert.True(Missing(thread.GetProperty("totals"), "unansweredNewcomers"));

        // Forty days on, the cohort's 30 days are over and the numbers of the range have not moved.
        app.Clock.Advance(TimeSpan.FromDays(40));
        var later = await Report(site, mo, d1, d3);
        var closed = Assert.Single(later.GetProperty("retention").EnumerateArray());
        Assert.True(closed.GetProperty("complete").GetBoolean());
        Assert.Equal(61, Int(later.GetProperty("belonging"), "index"));
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheIndexAtItsEdgesNoCommentsOnePersonAndOnlyTheTeamAnswering()
    {
        var d0 = StartOfNextMonth();

        var (empty, emptyToken) = await app.SiteWithModeratorAsync();
        var nothing = await Report(empty, emptyToken, d0, d0.AddDays(6));
        Assert.True(Missing(nothing.GetProperty("belonging"), "index"));
        Assert.Equal(0, Int(nothing.GetProperty("totals"), "comments"));
        Assert.True(Missing(nothing.GetProperty("totals"), "answeredShare"));
        Assert.Equal(7, nothing.GetProperty("days").GetArrayLength());

        // One person, once: new, not back, talked with nobody, not answered: 0. Back the next day: retention 1, so 33.
        var (alone, aloneToken) = await app.SiteWithModeratorAsync();
        var page = ApiCalls.NewPageUrl();
        await Say(alone, page, "Solo");
        Assert.Equal(0, Int((await Report(alone, aloneToken, d0, d0.AddDays(6))).GetProperty("belonging"), "index"));
        At(d0.AddDays(1), 8);
        await Say(alone, page, "Solo");
        var back = (await Report(alone, aloneToken, d0, d0.AddDays(6))).GetProperty("belonging");
        Assert.Equal(1, Number(back, "retention"));
        Assert.Equal(0, Number(back, "reciprocity"));
        Assert.Equal(0, Number(back, "response"));
        Assert.Equal(33, Int(back, "index"));

        // Only the team answers: every newcomer heard back (response 1), nobody talked with anybody else (reciprocity 0),
        // nobody came back (retention 0): 33.
        var (hosted, host) = await app.SiteWithModeratorAsync();
        At(d0.AddDays(2), 8);
        var one = await Say(hosted, page, "Una");
        var two = await Say(hosted, ApiCalls.NewPageUrl(), "Dos");
        At(d0.AddDays(2), 9);
        await TeamReply(hosted, host, one.Id());
        await TeamReply(hosted, host, two.Id());
        var team = (await Report(hosted, host, d0, d0.AddDays(6))).GetProperty("belonging");
        Assert.Equal(0, Number(team, "retention"));
        Assert.Equal(0, Number(team, "reciprocity"));
        Assert.Equal(1, Number(team, "response"));
        Assert.Equal(33, Int(team, "index"));
    }

    [Fact]
    public async Task TablesDownloadAsCsvWithTheSameRows()
    {
        var (site, mo) = await app.SiteWithModeratorAsync();
        var d0 = StartOfNextMonth();
        var page = ApiCalls.NewPageUrl();
        await Say(site, page, "=HYPERLINK(\"http://evil.example\")");
        await Say(site, page, "Plain, with a comma");
        using var days = await _client.AsModeratorAsync(mo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics/days.csv?from={Day(d0)}&to={Day(d0.AddDays(1))}");
        Assert.Equal(HttpStatusCode.OK, days.StatusCode);
        Assert.Equal("text/csv", days.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"date,comments,newcomers,returning,views\r\n{Day(d0)},2,2,0,0\r\n{Day(d0.AddDays(1))},0,0,0,0\r\n", await days.Content.ReadAsStringAsync());

        using var people = await _client.AsModeratorAsync(mo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics/contributors.csv?from={Day(d0)}&to={Day(d0)}");
        var csv = await people.Content.ReadAsStringAsync();
        // A name that looks like a formula stays text in a spreadsheet.
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\",guest,1,0,0,true", csv);
        Assert.Contains("\"Plain, with a comma\",guest,1,0,0,true", csv);

        using var unknown = await _client.AsModeratorAsync(mo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics/secrets.csv");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("table_not_found", (await unknown.ProblemAsync()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2026-05-02&to=2026-05-01", "from")]
    [InlineData("from=2024-01-01&to=2026-01-01", "from")]
    [InlineData("thread=abc", "thread")]
    public async Task ARangeOrThreadThatCannotBeReadIsRefusedByName(string query, string field)
    {
        var (site, mo) = await app.SiteWithModeratorAsync();
        using var response = await _client.AsModeratorAsync(mo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task OnlyTheSitesTeamReadsItsNumbersAndAnotherSitesThreadIsNotFound()
    {
        var (site, mo) = await app.SiteWithModeratorAsync();
        var (other, otherMo) = await app.SiteWithModeratorAsync();
        var far = ApiCalls.NewPageUrl();
        await Say(other, far, "Far");
        var elsewhere = (await _client.ThreadAsync(other, far)).GetProperty("thread").GetProperty("id").GetInt64();

        using var guest = await _client.GetAsync($"/api/v1/sites/{site}/analytics");
        Assert.Equal(HttpStatusCode.Unauthorized, guest.StatusCode);
        using var stranger = await _client.AsModeratorAsync(otherMo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics");
        // Their token is for their own site: here it is no sign-in at all.
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        using var csv = await _client.AsModeratorAsync(otherMo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics/days.csv");
        Assert.Equal(HttpStatusCode.Unauthorized, csv.StatusCode);
        using var foreign = await _client.AsModeratorAsync(mo, HttpMethod.Get, $"/api/v1/sites/{site}/analytics?thread={elsewhere}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("thread_not_found", (await foreign.ProblemAsync()).GetProperty("code").GetString());
    }
}
