using System.Net;
using Hearth.Tests.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hearth.Tests.ManyNodes;

/// <summary>Two tries per address here (and a generous per-client limit), so the shared count per address shows.</summary>
public sealed class TwoNodesWithTightAccountLimits : TwoNodes
{
    protected override IReadOnlyDictionary<string, string>? Extra => new Dictionary<string, string>
    {
        ["Hearth:RateLimits:AccountAttemptsPerAddress"] = "2",
        ["Hearth:RateLimits:SignInsPerMinute"] = "1000",
        ["Hearth:RateLimits:AccountActionsPerMinute"] = "1000",
    };
}

[Collection(TwoNodes.Collection)]
public sealed class CrossNodeAccountLimitsTests(TwoNodesWithTightAccountLimits nodes) : IClassFixture<TwoNodesWithTightAccountLimits>
{
    static Browser BrowserOn(Node node) =>
        new(node.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));

    [Fact]
    public async Task TriesOnOneAddressCountAgainstOneLimitWhicheverNodeTakesThem()
    {
        var email = $"guessed-{Guid.NewGuid():N}@mail.example";
        // Each node alone would take two more; together they take the address's two.
        var answers = new List<HttpStatusCode>();
        foreach (var node in new[] { nodes.A, nodes.B, nodes.A, nodes.B })
        {
            using var response = await BrowserOn(node).SignInAsync(email, "a wrong password of some length");
            answers.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }
}
