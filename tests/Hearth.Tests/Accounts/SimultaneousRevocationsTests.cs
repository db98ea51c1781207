using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Identity;
using Hearth.Tests.ManyNodes;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Accounts;

/// <summary>
/// A ban lifted, or an API token revoked, twice at the same moment (a form sent twice, or two moderators on two nodes):
/// both have found the row, one deletes it. The other is answered as if it came just after (the ban is gone: 404; the
/// token page again), not with a 500 for a row already gone, and the log says once that it happened.
/// </summary>
public sealed partial class SimultaneousRevocationsTests(AccountsAppThatMeets app) : IClassFixture<AccountsAppThatMeets>
{
    const string Password = "correct horse battery staple";

    [Fact]
    public async Task ABanLiftedTwiceAtOnceIsLiftedOnceAndTheOtherIsToldItIsGone()
    {
        var (site, token, _) = await app.SiteWithTeamMemberAsync("Moderator Mia", SiteRole.Moderator);
        var client = app.CreateClient();
        using var made = await client.AsModeratorAsync(token, HttpMethod.Post, $"/api/v1/sites/{site}/moderation/bans",
            new { kind = "email", value = "nuisance@mail.example", reason = "Advertising" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var id = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        ArmOnPostgres("DELETE FROM \"Bans\"");
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            client.AsModeratorAsync(token, HttpMethod.Delete, $"/api/v1/sites/{site}/moderation/bans/{id}")));
        Assert.True(app.Meeting.Met || !TestDatabase.IsPostgres, "Both should have found the ban before either deleted it.");

        var statuses = answers.Select(a => a.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NotFound], statuses);
        var gone = answers.Single(a => a.StatusCode == HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ban_not_found", (await gone.ProblemAsync()).GetProperty("code").GetString());
        Assert.Equal(1, await AuditedAsync(site, "unban"));
    }

    [Fact]
    public async Task AnApiTokenRevokedTwiceAtOnceIsRevokedOnce()
    {
        var site = await app.CreateSiteAsync();
        var (browser, email) = await app.SignedInAsync("Otto Owner", Password);
        await app.GrantAsync(email, site, SiteRole.Owner);
        using (await browser.SubmitAsync("/account/tokens", "/account/tokens", ("site", site))) { }
        var page = await browser.GetAsync("/account/tokens");
        var id = Revoke().Match(page).Groups[1].Value;
        var csrf = WebUtility.HtmlDecode(Csrf().Match(page).Groups[1].Value);

        ArmOnPostgres("DELETE FROM \"MemberSessions\"");
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => browser.PostAsync($"/account/tokens/{id}/revoke", ("csrf", csrf))));
        Assert.True(app.Meeting.Met || !TestDatabase.IsPostgres, "Both should have found the token before either deleted it.");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        Assert.False(await app.InDatabaseAsync(db => db.MemberSessions.AnyAsync(s => s.Id == long.Parse(id))));
        Assert.Equal(1, await AuditedAsync(site, "api-token-revoke"));
    }

    /// <summary>
    /// On PostgreSQL both requests are held until each has read the row. SQLite's writers take the database when their
    /// transaction begins, so there the second may never reach the statement while the first holds it.
    /// </summary>
    void ArmOnPostgres(string statement)
    {
        if (TestDatabase.IsPostgres)
        {
            app.Meeting.Arm(statement);
        }
    }

    Task<int> AuditedAsync(string site, string action) => app.InDatabaseAsync(db =>
        db.AuditLog.CountAsync(a => a.Action == action && db.Sites.Any(s => s.Id == a.SiteId && s.Name == site)));

    [GeneratedRegex("/account/tokens/(\\d+)/revoke")]
    private static partial Regex Revoke();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}
