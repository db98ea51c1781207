using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Conversations;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Moderation;

public class ReportTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    async Task<HttpResponseMessage> ReportAsync(string site, long id, string reason, string from)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments/{id}/report") { Content = JsonContent.Create(new { reason }) };
        request.Headers.Add("X-Forwarded-For", from);
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task ThreeDifferentReadersReportingTakeACommentDownUntilAModeratorLooks()
    {
        var site = await app.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var comment = await _client.CommentAsync(site, url, "Something some find offensive");
        await _client.CommentAsync(site, url, "Something harmless");

        using (var first = await ReportAsync(site, comment.Id(), "abuse", "203.0.113.1"))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }
        // The same reader again counts once.
        using (await ReportAsync(site, comment.Id(), "abuse", "203.0.113.1")) { }
        using (await ReportAsync(site, comment.Id(), "spam", "203.0.113.2")) { }
        Assert.Equal(2, (await _client.ThreadAsync(site, url)).GetProperty("thread").GetProperty("commentCount").GetInt32());

        using (await ReportAsync(site, comment.Id(), "off-topic", "203.0.113.3")) { }

        var thread = await _client.ThreadAsync(site, url);
        Assert.Equal(1, thread.GetProperty("thread").GetProperty("commentCount").GetInt32());
        Assert.DoesNotContain(thread.GetProperty("comments").EnumerateArray(), c => c.Id() == comment.Id());
        var stored = await app.InDatabaseAsync(db => db.Comments.AsNoTracking().SingleAsync(c => c.Id == comment.Id()));
        Assert.Equal((CommentStatus.Pending, "reported"), (stored.Status, stored.ModerationReason));
        Assert.Equal(3, await app.InDatabaseAsync(db => db.Reports.CountAsync(r => r.CommentId == comment.Id())));
    }

    [Fact]
    public async Task AReportNeedsAReasonAndAPublishedCommentOfThisSite()
    {
        var site = await app.CreateSiteAsync();
        var other = await app.CreateSiteAsync();
        var foreign = await _client.CommentAsync(other, ApiCalls.NewPageUrl(), "On the other site");
        var here = await _client.CommentAsync(site, ApiCalls.NewPageUrl(), "Here");

        using var noReason = await ReportAsync(site, here.Id(), "", "203.0.113.9");
        using var tooLong = await ReportAsync(site, here.Id(), new string('x', 301), "203.0.113.9");
        using var elsewhere = await ReportAsync(site, foreign.Id(), "spam", "203.0.113.9");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(0, await app.InDatabaseAsync(db => db.Reports.CountAsync(r => r.CommentId == here.Id() || r.CommentId == foreign.Id())));
    }
}
