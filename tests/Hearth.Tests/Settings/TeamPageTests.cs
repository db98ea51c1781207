using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Identity;
using Hearth.Tests.Accounts;
using Hearth.Tests.Identity;
using Hearth.Tests.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Tests.Settings;

/// <summary>A site's team in the console and the API: invitations by e-mail, roles, and a site that always keeps an owner.</summary>
public class TeamPageTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    const string Password = "a lantern by the lock";

    /// <summary>A page every signed-in person has with a form on it, for the anti-forgery token of a form they send from elsewhere.</summary>
    const string AnyForm = "/account/claim";

    /// <summary>Someone signed in on the account pages who owns a new site.</summary>
    async Task<(Browser Browser, string Email, string Site, long UserId)> OwnerAsync(string name = "Olive Owner")
    {
        var (browser, email) = await app.SignedInAsync(Unique(name), Password);
        var site = await app.CreateSiteAsync();
        var userId = await GiveRoleAsync(email, site, SiteRole.Owner);
        return (browser, email, site, userId);
    }

    Task<long> GiveRoleAsync(string email, string site, SiteRole role) => app.InDatabaseAsync(async db =>
    {
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var siteId = await db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync();
        db.SiteMembers.Add(new SiteMember { SiteId = siteId, UserId = userId, Role = role, JoinedAt = app.Clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
        return userId;
    });

    Task<SiteRole?> RoleAsync(string site, long userId) => app.InDatabaseAsync(db => db.SiteMembers
        .Where(m => m.UserId == userId && db.Sites.Any(s => s.Id == m.SiteId && s.Name == site)).Select(m => m.Role).FirstOrDefaultAsync());

    Task<List<string>> AuditAsync(string site) => app.InDatabaseAsync(db => db.AuditLog
        .Where(a => db.Sites.Any(s => s.Id == a.SiteId && s.Name == site)).OrderBy(a => a.Id).Select(a => a.Action + " " + a.Before + ">" + a.After).ToListAsync());

    /// <summary>Names differ from test to test: no one may sign up under a name too close to a team member's.</summary>
    static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    static string Team(string site) => $"/account/moderate/{site}/team";

    [Fact]
    public async Task AnOwnerInvitesAnAddressAndOnlyItsConfirmedAccountAcceptsOnce()
    {
        var (owner, ownerEmail, site, _) = await OwnerAsync("Olive Owner");
        var (invited, invitedEmail) = await app.ConfirmedAccountAsync(Unique("Ivan Invited"), Password);
        using (var sent = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", "  " + invitedEmail.ToUpperInvariant() + " "), ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            Assert.Equal(Team(site) + "?done=invited", sent.Headers.Location!.OriginalString);
        }
        var page = await owner.GetAsync(Team(site) + "?done=invited");
        Assert.Contains("id=\"done\"", page);
        Assert.Contains($"<span class=\"name\">{invitedEmail}</span> <span class=\"badge\">moderator</span>", page);

        var mail = await app.Mail.WaitForAsync(invitedEmail, "invited");
        Assert.Contains(site, mail.Subject);
        Assert.DoesNotContain("Olive", mail.TextBody);
        var link = MailCatcher.Link(mail, "http://localhost/account/invite?token=")["http://localhost".Length..];
        var token = Uri.UnescapeDataString(link[(link.IndexOf('=') + 1)..]);
        Assert.False(await app.InDatabaseAsync(db => db.TeamInvites.AnyAsync(i => i.TokenHash == token)), "The link's secret is not what is stored.");
        var stored = await app.InDatabaseAsync(db => db.TeamInvites.AsNoTracking().SingleAsync(i => i.Email == invitedEmail));
        Assert.Equal(TimeSpan.FromDays(7), stored.ExpiresAt - stored.CreatedAt);

        // Opening the link signed out, as a mail scanner would, changes nothing and asks to sign in with the address.
        var stranger = app.NewBrowser();
        var signedOut = await stranger.GetAsync(link);
        Assert.Contains("Sign in", signedOut);
        Assert.DoesNotContain(invitedEmail, signedOut);

        // Someone else, signed in with another confirmed address, cannot use it.
        var (other, _) = await app.SignedInAsync(Unique("Otto Other"), Password);
        Assert.Contains("Join as moderator", await other.GetAsync(link));
        using (var refused = await other.SubmitAsync(link, "/account/invite", ("token", token)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("This invitation is for", await refused.Content.ReadAsStringAsync());
        }
        Assert.True(await app.InDatabaseAsync(db => db.TeamInvites.AnyAsync(i => i.Email == invitedEmail)));

        using (var signIn = await invited.SignInAsync(invitedEmail, Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        using (var accepted = await invited.SubmitAsync(link, "/account/invite", ("token", token)))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Contains("You are now a moderator", await accepted.Content.ReadAsStringAsync());
        }
        var invitedId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == invitedEmail).Select(u => u.Id).SingleAsync());
        Assert.Equal(SiteRole.Moderator, await RoleAsync(site, invitedId));
        Assert.Equal(["invite >moderator", "grant none>moderator (invitation accepted)"], await AuditAsync(site));

        // Once only.
        using (var again = await invited.SubmitAsync(AnyForm, "/account/invite", ("token", token)))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }
        Assert.Contains("does not work", await invited.GetAsync(link));

        // The new moderator runs the site now, sees the team without its addresses, and changes none of it.
        Assert.Contains($"data-site=&quot;{site}&quot;", await invited.GetAsync("/account/sites"));
        var theirs = await invited.GetAsync(Team(site));
        Assert.Contains("Olive Owner", theirs);
        Assert.DoesNotContain(ownerEmail, theirs);
        Assert.DoesNotContain("Send the invitation", theirs);
        using (var notAllowed = await invited.SubmitAsync(AnyForm, Team(site) + "/invite", ("email", "x@mail.example"), ("role", "owner")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        }
        Assert.False(await app.InDatabaseAsync(db => db.TeamInvites.AnyAsync(i => i.Email == "x@mail.example")));
    }

    [Fact]
    public async Task OwnersChangeRolesAndTakePeopleOffButTheSiteAlwaysKeepsAnOwner()
    {
        var (owner, _, site, ownerId) = await OwnerAsync("Orla Owner");
        var (_, moderatorEmail) = await app.ConfirmedAccountAsync(Unique("Mona Moderator"), Password);
        var moderatorId = await GiveRoleAsync(moderatorEmail, site, SiteRole.Moderator);

        // The only owner is offered no way to leave.
        var page = await owner.GetAsync(Team(site));
        Assert.Contains("The site's only owner", page);
        using (var refused = await owner.SubmitAsync(Team(site), $"{Team(site)}/{ownerId}/role", ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("keeps at least one owner", await refused.Content.ReadAsStringAsync());
        }
        using (var refused = await owner.SubmitAsync(Team(site), $"{Team(site)}/{ownerId}/remove"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }
        Assert.Equal(SiteRole.Owner, await RoleAsync(site, ownerId));

        using (var promoted = await owner.SubmitAsync(Team(site), $"{Team(site)}/{moderatorId}/role", ("role", "owner")))
        {
            Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        }
        Assert.Equal(SiteRole.Owner, await RoleAsync(site, moderatorId));
        // Now there are two, one may step down, and then the other is the one who must stay.
        using (var steppedDown = await owner.SubmitAsync(Team(site), $"{Team(site)}/{ownerId}/role", ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.Redirect, steppedDown.StatusCode);
        }
        Assert.Equal(SiteRole.Moderator, await RoleAsync(site, ownerId));
        // A moderator now: the page says so and changes nothing.
        using (var notAnOwner = await owner.SubmitAsync(AnyForm, $"{Team(site)}/{moderatorId}/remove"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAnOwner.StatusCode);
        }
        Assert.Equal(SiteRole.Owner, await RoleAsync(site, moderatorId));
        Assert.Equal(["grant moderator>owner", "grant owner>moderator"], await AuditAsync(site));

        // A form with a made-up role changes nothing.
        await app.InDatabaseAsync(db => db.SiteMembers.Where(m => m.UserId == ownerId).ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, SiteRole.Owner)));
        using (var bad = await owner.SubmitAsync(Team(site), $"{Team(site)}/{moderatorId}/role", ("role", "admin")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("Role: choose moderator or owner", await bad.Content.ReadAsStringAsync());
        }
        using (var removed = await owner.SubmitAsync(Team(site), $"{Team(site)}/{moderatorId}/remove"))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }
        Assert.Null(await RoleAsync(site, moderatorId));
        Assert.Equal("revoke owner>none", (await AuditAsync(site))[^1]);
        using (var gone = await owner.SubmitAsync(Team(site), $"{Team(site)}/{moderatorId}/remove"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("not on this site&#x27;s team", await gone.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("not an address", "moderator", "E-mail address:")]
    [InlineData("two@mail.example, three@mail.example", "moderator", "E-mail address:")]
    [InlineData("fine@mail.example", "admin", "Role:")]
    [InlineData("", "owner", "E-mail address:")]
    public async Task AnInvitationWithAMistakeSendsNothingAndSaysWhich(string email, string role, string said)
    {
        var (owner, _, site, _) = await OwnerAsync();
        using var refused = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", email), ("role", role));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(said, await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.InDatabaseAsync(db => db.TeamInvites.CountAsync(i => db.Sites.Any(s => s.Id == i.SiteId && s.Name == site))));
        // The message is queued in the same transaction as the invitation: no invitation, no message.
        Assert.Empty(await AuditAsync(site));
    }

    [Fact]
    public async Task InvitingAgainReplacesTheLinkAndTakenBackOrExpiredLinksDoNotWork()
    {
        var (owner, _, site, _) = await OwnerAsync();
        var (invited, email) = await app.SignedInAsync(Unique("Ines Invited"), Password);
        async Task<string> InviteAsync(int seen)
        {
            using var sent = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", email), ("role", "owner"));
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "invited", alreadySeen: seen), "http://localhost/account/invite?token=");
            return Uri.UnescapeDataString(link[(link.IndexOf('=') + 1)..]);
        }
        var first = await InviteAsync(0);
        var second = await InviteAsync(1);
        Assert.Equal(1, await app.InDatabaseAsync(db => db.TeamInvites.CountAsync(i => i.Email == email)));
        using (var replaced = await invited.SubmitAsync(AnyForm, "/account/invite", ("token", first)))
        {
            Assert.Equal(HttpStatusCode.Gone, replaced.StatusCode);
        }

        var id = await app.InDatabaseAsync(db => db.TeamInvites.Where(i => i.Email == email).Select(i => i.Id).SingleAsync());
        using (var withdrawn = await owner.SubmitAsync(Team(site), $"{Team(site)}/invites/{id}/withdraw"))
        {
            Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        }
        using (var gone = await invited.SubmitAsync(AnyForm, "/account/invite", ("token", second)))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        }

        var third = await InviteAsync(2);
        await app.InDatabaseAsync(db => db.TeamInvites.Where(i => i.Email == email)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresAt, app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1))));
        using (var expired = await invited.SubmitAsync(AnyForm, "/account/invite", ("token", third)))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        }
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.Null(await RoleAsync(site, userId));
        Assert.Equal(["invite >owner", "invite >owner", "invite-withdrawn owner>", "invite >owner"], await AuditAsync(site));
    }

    [Fact]
    public async Task AnotherSitesOwnerSeesAndChangesNothingOfThisTeam()
    {
        var (_, _, site, ownerId) = await OwnerAsync();
        var (stranger, _, _, _) = await OwnerAsync("Sam Stranger");
        using (var page = await stranger.Client.GetAsync(Team(site)))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        foreach (var (action, fields) in new[]
        {
            ("/invite", new[] { ("email", "sneaky@mail.example"), ("role", "owner") }),
            ($"/{ownerId}/remove", Array.Empty<(string, string)>()),
            ($"/{ownerId}/role", new[] { ("role", "moderator") }),
        })
        {
            using var refused = await stranger.SubmitAsync(AnyForm, Team(site) + action, fields);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        Assert.Equal(SiteRole.Owner, await RoleAsync(site, ownerId));
        Assert.Empty(await AuditAsync(site));
    }

    [Fact]
    public async Task TheApiInvitesListsWithdrawsAndChangesRolesWithTheSameRules()
    {
        var (site, owner, secret) = await app.SiteWithTeamMemberAsync("Ola Owner", SiteRole.Owner);
        var moderator = await app.ApiTokenAsync(site, secret, "mod-" + site, "Mick Moderator", SiteRole.Moderator);
        var client = app.CreateClient();
        var ownerId = await app.InDatabaseAsync(db => db.UserLogins.Where(l => l.ProviderKey == $"owner-{site}").Select(l => l.UserId).SingleAsync());
        var moderatorId = await app.InDatabaseAsync(db => db.UserLogins.Where(l => l.ProviderKey == "mod-" + site).Select(l => l.UserId).SingleAsync());
        var email = $"api-{Guid.NewGuid():N}@mail.example";

        using (var created = await client.AsModeratorAsync(owner, HttpMethod.Post, $"/api/v1/sites/{site}/team/invites", new { email, role = "moderator" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(email, body.GetProperty("email").GetString());
            Assert.False(body.TryGetProperty("token", out _));
        }
        await app.Mail.WaitForAsync(email, "invited");
        using (var bad = await client.AsModeratorAsync(owner, HttpMethod.Post, $"/api/v1/sites/{site}/team/invites", new { email = "nope", role = "moderator" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.Contains("email", await bad.Content.ReadAsStringAsync());
        }
        using (var noRole = await client.AsModeratorAsync(owner, HttpMethod.Post, $"/api/v1/sites/{site}/team/invites", new { email, role = "sideways" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noRole.StatusCode);
        }
        using var list = await client.AsModeratorAsync(owner, HttpMethod.Get, $"/api/v1/sites/{site}/team/invites");
        var invites = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(email, Assert.Single(invites).GetProperty("email").GetString());
        using (var moderatorRefused = await client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/team/invites"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, moderatorRefused.StatusCode);
        }
        var id = invites[0].GetProperty("id").GetInt64();
        using (var withdrawn = await client.AsModeratorAsync(owner, HttpMethod.Delete, $"/api/v1/sites/{site}/team/invites/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        }
        using (var twice = await client.AsModeratorAsync(owner, HttpMethod.Delete, $"/api/v1/sites/{site}/team/invites/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        }

        using (var lastOwner = await client.AsModeratorAsync(owner, HttpMethod.Delete, $"/api/v1/sites/{site}/team/{ownerId}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, lastOwner.StatusCode);
            Assert.Contains("last_owner", await lastOwner.Content.ReadAsStringAsync());
        }
        using (var promoted = await client.AsModeratorAsync(owner, HttpMethod.Put, $"/api/v1/sites/{site}/team/{moderatorId}", new { role = "owner" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, promoted.StatusCode);
        }
        using (var notOnTeam = await client.AsModeratorAsync(owner, HttpMethod.Put, $"/api/v1/sites/{site}/team/{int.MaxValue}", new { role = "owner" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, notOnTeam.StatusCode);
        }
        using (var left = await client.AsModeratorAsync(owner, HttpMethod.Delete, $"/api/v1/sites/{site}/team/{ownerId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        }
        using var team = await client.AsModeratorAsync(moderator, HttpMethod.Get, $"/api/v1/sites/{site}/team");
        var roles = (await team.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(m => m.GetProperty("name").GetString() + " " + m.GetProperty("role").GetString());
        Assert.Equal(["Mick Moderator owner"], roles);
        Assert.Equal(["invite >moderator", "invite-withdrawn moderator>", "grant moderator>owner", "revoke owner>none"], await AuditAsync(site));
    }

    [Fact]
    public async Task AFormWithoutItsAntiForgeryTokenChangesNothing()
    {
        var (owner, _, site, _) = await OwnerAsync();
        var (_, moderatorEmail) = await app.ConfirmedAccountAsync(Unique("Mo Moderator"), Password);
        var moderatorId = await GiveRoleAsync(moderatorEmail, site, SiteRole.Moderator);
        foreach (var (action, fields) in new[]
        {
            ($"/{moderatorId}/remove", Array.Empty<(string, string)>()),
            ($"/{moderatorId}/role", new[] { ("role", "owner") }),
            ("/invite", new[] { ("email", "forged@mail.example"), ("role", "owner") }),
        })
        {
            using var forged = await owner.PostAsync(Team(site) + action, fields);
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.Equal(SiteRole.Moderator, await RoleAsync(site, moderatorId));
        Assert.Empty(await AuditAsync(site));
    }

    [Fact]
    public async Task AnOwnerOfAnotherSiteCannotReachThisTeamThroughTheirOwnSitesAddresses()
    {
        var (owner, _, site, ownerId) = await OwnerAsync();
        using (var sent = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", $"kept-{Guid.NewGuid():N}@mail.example"), ("role", "owner")))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }
        var inviteId = await app.InDatabaseAsync(db => db.TeamInvites.Where(i => db.Sites.Any(s => s.Id == i.SiteId && s.Name == site)).Select(i => i.Id).SingleAsync());
        var (other, _, otherSite, _) = await OwnerAsync("Sam Stranger");
        foreach (var action in new[] { $"/{ownerId}/remove", $"/invites/{inviteId}/withdraw" })
        {
            using var refused = await other.SubmitAsync(Team(otherSite), Team(otherSite) + action);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using (var refused = await other.SubmitAsync(Team(otherSite), $"{Team(otherSite)}/{ownerId}/role", ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        Assert.Equal(SiteRole.Owner, await RoleAsync(site, ownerId));
        Assert.True(await app.InDatabaseAsync(db => db.TeamInvites.AnyAsync(i => i.Id == inviteId)));
        Assert.Equal(["invite >owner"], await AuditAsync(site));
    }

    [Fact]
    public async Task AnInvitationFromAnOwnerWhoWasSinceTakenOffTheTeamBringsNobodyIn()
    {
        var (first, _, site, firstId) = await OwnerAsync("Fay First");
        var (second, secondEmail) = await app.SignedInAsync(Unique("Sid Second"), Password);
        await GiveRoleAsync(secondEmail, site, SiteRole.Owner);
        var (invited, email) = await app.SignedInAsync(Unique("Ike Invited"), Password);
        using (var sent = await first.SubmitAsync(Team(site), Team(site) + "/invite", ("email", email), ("role", "owner")))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }
        var link = MailCatcher.Link(await app.Mail.WaitForAsync(email, "invited"), "http://localhost/account/invite?token=");
        var token = Uri.UnescapeDataString(link[(link.IndexOf('=') + 1)..]);
        // The log that moderators read names the invitation, not the address.
        Assert.DoesNotContain(await app.InDatabaseAsync(db => db.AuditLog.Where(a => a.Action == "invite").Select(a => a.Target).ToListAsync()),
            target => target.Contains(email, StringComparison.Ordinal));

        using (var removed = await second.SubmitAsync(Team(site), $"{Team(site)}/{firstId}/remove"))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }
        using (var gone = await invited.SubmitAsync(AnyForm, "/account/invite", ("token", token)))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        }
        var userId = await app.InDatabaseAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        Assert.Null(await RoleAsync(site, userId));
        // And the owner taken off changes nothing more.
        using (var late = await first.SubmitAsync(AnyForm, Team(site) + "/invite", ("email", "late@mail.example"), ("role", "owner")))
        {
            Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        }
    }

    [Fact]
    public async Task ASiteSendsABoundedNumberOfInvitationsAndExpiredOnesAreForgotten()
    {
        var (owner, _, site, ownerId) = await OwnerAsync();
        var siteId = await app.InDatabaseAsync(db => db.Sites.Where(s => s.Name == site).Select(s => s.Id).SingleAsync());
        var now = app.Clock.GetUtcNow().UtcDateTime;
        // As many waiting as a site may have, sent over the last weeks (so none of them today).
        await app.InDatabaseAsync(db =>
        {
            for (var i = 0; i < Hearth.Sites.TeamChanges.MaxWaiting; i++)
            {
                db.TeamInvites.Add(new Hearth.Sites.TeamInvite
                {
                    SiteId = siteId, Email = $"waiting-{i}@mail.example", Role = SiteRole.Moderator, TokenHash = Guid.NewGuid().ToString("N"),
                    InvitedByUserId = ownerId, CreatedAt = now.AddDays(-3), ExpiresAt = now.AddDays(4),
                });
            }
            return db.SaveChangesAsync();
        });
        using (var refused = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", "one-more@mail.example"), ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("50 invitations waiting", await refused.Content.ReadAsStringAsync());
        }
        Assert.False(await app.InDatabaseAsync(db => db.TeamInvites.AnyAsync(i => i.Email == "one-more@mail.example")));

        // Once they have expired they are forgotten, and room is made; but a day's sending is bounded too.
        var later = await app.InDatabaseAsync(db => db.TeamInvites.Where(i => i.SiteId == siteId).Select(i => i.Id).FirstAsync());
        await app.InDatabaseAsync(db => db.TeamInvites.Where(i => i.Id == later).ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresAt, now.AddDays(6))));
        app.Clock.Advance(TimeSpan.FromDays(5));
        now = app.Clock.GetUtcNow().UtcDateTime;
        // The server's own hourly round may have done it already; either way, what is left is the one not expired.
        await app.InDatabaseAsync(db => Hearth.Sites.TeamInviteCleanup.ForgetAsync(db, now, CancellationToken.None));
        Assert.Equal(1, await app.InDatabaseAsync(db => db.TeamInvites.CountAsync(i => i.SiteId == siteId)));
        await app.InDatabaseAsync(db =>
        {
            for (var i = 0; i < Hearth.Sites.TeamChanges.MaxPerDay; i++)
            {
                db.AuditLog.Add(new Hearth.Moderation.AuditEntry { SiteId = siteId, ActorName = "Owner", Action = "invite", Target = $"invitation {i}", At = now.AddHours(-1) });
            }
            return db.SaveChangesAsync();
        });
        using (var refused = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", "one-more@mail.example"), ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("has sent 50 invitations today", await refused.Content.ReadAsStringAsync());
        }
        app.Clock.Advance(TimeSpan.FromDays(1));
        using (var sent = await owner.SubmitAsync(Team(site), Team(site) + "/invite", ("email", "one-more@mail.example"), ("role", "moderator")))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }
    }
}
