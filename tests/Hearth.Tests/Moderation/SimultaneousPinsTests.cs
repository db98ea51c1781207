using System.Text.Json;
using Hearth.Identity;
using Hearth.Moderation;
using Hearth.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Tests.Moderation;

/// <summary>
/// Moderators on two nodes (each with its own write gate) pin six comments of one thread at the same moment. A thread
/// holds at most <see cref="CommentMarks.MaxPinned"/> pins: the others are refused as the API documents (400,
/// problem+json, naming the action), and none is pinned beyond the limit because two counted before either pinned.
/// </summary>
public sealed class SimultaneousPinsTests(HearthApp app) : IClassFixture<HearthApp>
{
    const int Rounds = 5;
    const int Pins = 6;

    [Fact]
    public async Task SixPinsAtOnceFromTwoNodesLeaveAtMostThreePinned()
    {
        var name = await app.CreateSiteAsync();
        var site = await app.InDatabaseAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == name));
        var moderator = new Member(0, 0, site.Id, "Mo", null, null, []);
        var client = app.CreateClient();
        for (var round = 0; round < Rounds; round++)
        {
            var url = ApiCalls.NewPageUrl();
            var ids = new List<long>();
            for (var i = 0; i < Pins; i++)
            {
                ids.Add((await client.CommentAsync(name, url, $"Worth pinning, round {round} number {i}")).Id());
            }
            var nodes = new[] { new WriteGate(), new WriteGate() };
            using var start = new Barrier(Pins);
            var answers = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => PinAsync(start, nodes[i % 2], site, moderator, id))));

            var pinned = await app.InDatabaseAsync(db => db.Comments.CountAsync(c => ids.Contains(c.Id) && c.Pinned));
            Assert.Equal(CommentMarks.MaxPinned, pinned);
            Assert.Equal(CommentMarks.MaxPinned, answers.Count(a => a.Status == StatusCodes.Status200OK));
            Assert.All(answers.Where(a => a.Status != StatusCodes.Status200OK), a =>
            {
                Assert.Equal(StatusCodes.Status400BadRequest, a.Status);
                Assert.StartsWith("application/problem+json", a.ContentType);
                Assert.Contains("at most 3 pinned", a.Body.GetProperty("errors").GetProperty("action")[0].GetString());
            });
        }
    }

    async Task<(int Status, string? ContentType, JsonElement Body)> PinAsync(Barrier start, WriteGate node, Hearth.Sites.Site site, Member moderator, long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var marks = ActivatorUtilities.CreateInstance<CommentMarks>(scope.ServiceProvider, node);
        await scope.ServiceProvider.GetRequiredService<HearthDb>().Database.OpenConnectionAsync();
        start.SignalAndWait(TimeSpan.FromSeconds(30));
        var result = await marks.MarkAsync(site, moderator, id, "pin", CancellationToken.None);
        // Answered as the endpoint answers it.
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await ((IResult)result.Result).ExecuteAsync(http);
        return (http.Response.StatusCode, http.Response.ContentType, JsonDocument.Parse(body.ToArray()).RootElement.Clone());
    }
}
