using System.Text.Json;
using Hearth.Live;
using Hearth.Tests.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Tests.ManyNodes;

/// <summary>Redis goes away and comes back while readers and pages wait on the other node.</summary>
[Collection(TwoNodes.Collection)]
public sealed class RedisOutageTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    readonly HttpClient _a = nodes.A.CreateClient();
    readonly HttpClient _b = nodes.B.CreateClient();

    static long CommentIdOf(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt64();

    [Fact]
    public async Task AReaderOnTheOtherNodeCatchesUpWhenRedisReturns()
    {
        var site = await nodes.A.CreateSiteAsync();
        var url = ApiCalls.NewPageUrl();
        var (response, reader) = await TwoNodes.OpenAsync(_b, site, url);
        using (response)
        using (reader)
        {
            var before = await _a.CommentAsync(site, url, "before the outage");
            Assert.Equal(before.Id(), CommentIdOf(await reader.NextChangeAsync(TimeSpan.FromSeconds(30))));
            await _b.ThreadAsync(site, url);

            await nodes.Redis.StopAsync();
            // Writes go on without Redis; node B cannot hear of them, so it serves no page from memory meanwhile.
            var during = await _a.CommentAsync(site, url, "while Redis is away");
            var page = await _b.ThreadAsync(site, url);
            Assert.Contains(page.GetProperty("comments").EnumerateArray(), c => c.GetProperty("id").GetInt64() == during.Id());

            await nodes.Redis.RunAsync();
            // Nothing else is written: the comment can only come from B reading the log once it is back.
            Assert.Equal(during.Id(), CommentIdOf(await reader.NextChangeAsync(TimeSpan.FromSeconds(30))));

            // Each node's link comes back on its own schedule, so a message sent just now may find B not yet subscribed
            // again; B's periodic look at the log (its clock moved here) delivers it then, and the message otherwise.
            var after = await _a.CommentAsync(site, url, "after the outage");
            nodes.B.Clock.Advance(nodes.B.Services.GetRequiredService<IOptions<LiveOptions>>().Value.CheckEvery);
            Assert.Equal(after.Id(), CommentIdOf(await reader.NextChangeAsync(TimeSpan.FromSeconds(30))));
        }
    }
}
