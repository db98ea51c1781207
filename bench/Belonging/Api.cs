using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

/// <summary>The calls the benchmark makes, as the widget makes them: JSON, a bearer token for a signed-in person.</summary>
sealed class Api(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>Posts a comment (as the token's person, or as a guest named <paramref name="guest"/>); the new comment's id and author key.</summary>
    public async Task<(long Id, string? Key, double Ms)> PostAsync(string site, string url, string body, string? token = null, string? guest = null,
        long? parentId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sites/{site}/comments")
        {
            Content = JsonContent.Create(new { url, body, parentId, author = guest is null ? null : new { name = guest } }),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Posting to {url} answered {(int)response.StatusCode}: {text}");
        }
        var comment = JsonDocument.Parse(text).RootElement;
        if (comment.GetProperty("status").GetString() != "published")
        {
            throw new InvalidOperationException($"A comment on {url} was not published: {text}");
        }
        var key = comment.TryGetProperty("author", out var author) && author.TryGetProperty("key", out var k) ? k.GetString() : null;
        return (comment.GetProperty("id").GetInt64(), key, ms);
    }

    /// <summary>A PUT with the person's token, as the widget's follow and e-mail choices send it.</summary>
    public async Task PutAsync(string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A GET that must answer 200; its body.</summary>
    public async Task<string> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }
        return text;
    }

    /// <summary>Runs the work for each item, <paramref name="parallel"/> at a time.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> work) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) => await work(item));
}
