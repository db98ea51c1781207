using System.Net;

namespace Hearth.Tests.Web;

public class ServerBasicsTests(HearthApp app) : IClassFixture<HearthApp>
{
    readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task HealthEndpointSaysHealthy()
    {
        var response = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocumentDescribesThePublicRoutes()
    {
        var document = await _client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/sites/{site}/thread", document);
        Assert.Contains("/api/v1/sites/{site}/comments", document);
        Assert.Contains("/api/v1/sites/{site}/comments/{id}/vote", document);
    }

    [Fact]
    public async Task ApiReferencePageIsServedFromThisServer()
    {
        var page = await _client.GetStringAsync("/scalar/v1");
        Assert.Contains("<script", page);
        Assert.DoesNotContain("cdn.jsdelivr.net", page);
    }

    [Fact]
    public async Task DemoPageShowsTheSeededConversationWithoutJavaScript()
    {
        var page = await _client.GetStringAsync("/demo");
        Assert.Contains("Keeping a kitchen garden alive through winter", page);
        Assert.Contains("7 comments", page);
        Assert.Contains("Marta Kowalczyk", page);
        Assert.Contains("class=\"hearth-replies\"", page);
    }

    [Fact]
    public async Task UnknownRoutesAnswerWithProblemJson()
    {
        var response = await _client.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
