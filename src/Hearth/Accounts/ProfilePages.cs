using System.Globalization;
using System.Text;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

public sealed record ProfileForm(string? Name, string? Website, string? Bio);

/// <summary>One profile across every site: the person edits it here, and anyone can read it at /people/{id}.</summary>
public static class ProfilePages
{
    public const int MaxBio = 300;

    public static async Task<IResult> FormAsync(HttpContext http, HearthDb db, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        return Form(http, new ProfileForm(user.DisplayName, user.Website, user.Bio), userId);
    }

    static IResult Form(HttpContext http, ProfileForm values, long userId, string? error = null, int status = 200) => Page(http, "Your profile", $"""
        <p class="hint">This is how you appear in every conversation on this Hearth. <a href="/people/{userId}">See your public profile</a>.</p>
        {Error(error)}
        <form method="post" action="/account/profile" novalidate>
        {Csrf(http)}
        <label for="name">Name others see</label><input id="name" name="name" required maxlength="80" value="{E(values.Name)}">
        <label for="website">Website (optional)</label><input id="website" name="website" type="url" maxlength="300" value="{E(values.Website)}">
        <label for="bio">About you (optional, up to {MaxBio} characters)</label><input id="bio" name="bio" maxlength="{MaxBio}" value="{E(values.Bio)}">
        <button type="submit">Save</button>
        </form>
        <p class="muted"><a href="/account">Back to your account</a></p>
        """, status: status);

    public static async Task<IResult> SaveAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] ProfileForm form, HearthDb db,
        StaffNames staff, ThreadChanges changes, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var (person, _, problem) = GuestInput.From(new GuestAuthorRequest(form.Name, null, form.Website));
        if (person is null)
        {
            return Form(http, form, userId, problem!.Replace(" to comment as a guest", "", StringComparison.Ordinal), 400);
        }
        var bio = string.IsNullOrWhiteSpace(form.Bio) ? null : TextRules.CleanName(form.Bio);
        if (bio is { Length: > MaxBio })
        {
            return Form(http, form, userId, $"About you may be at most {MaxBio} characters.", 400);
        }
        if (person.Name != user.DisplayName && await staff.WouldImpersonateAsync(person.Name, userId, ct))
        {
            return Form(http, form, userId, "That name is too close to the name of someone on the team. Please choose another.", 400);
        }
        var renamed = person.Name != user.DisplayName || person.Website != user.Website;
        user.DisplayName = person.Name;
        user.Website = person.Website;
        user.Bio = bio;
        await db.SaveChangesAsync(ct);
        if (renamed)
        {
            // One person, one name: their earlier comments follow the profile.
            await db.Comments.Where(c => c.Author.UserId == userId)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.Author.Name, person.Name).SetProperty(x => x.Author.Website, person.Website), ct);
            var threads = await db.Comments.Where(c => c.Author.UserId == userId)
                .Join(db.Threads, c => c.ThreadId, t => t.Id, (_, t) => new { t.SiteId, t.Key }).Distinct().ToListAsync(ct);
            foreach (var thread in threads)
            {
                changes.Changed(ThreadPageCache.ThreadKey(thread.SiteId, thread.Key));
            }
        }
        return TypedResults.Redirect("/account/profile");
    }

    /// <summary>The public page of a person: who they are and what they said, on the sites that let it be listed.</summary>
    public static async Task<IResult> PublicAsync(HttpContext http, long id, HearthDb db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || user.UserName!.StartsWith("sso-", StringComparison.Ordinal))
        {
            // People a site signed in belong to that site: they have no public page here.
            return Page(http, "No such person", "<p>There is no profile here.</p>", status: 404);
        }
        var comments = await db.Comments.AsNoTracking()
            .Where(c => c.Author.UserId == id && c.Status == CommentStatus.Published)
            .Join(db.Threads, c => c.ThreadId, t => t.Id, (c, t) => new { Comment = c, Thread = t })
            .Join(db.Sites.Where(s => s.ListOnProfiles), x => x.Comment.SiteId, s => s.Id, (x, s) => new { x.Comment, x.Thread, Site = s.Name })
            .OrderByDescending(x => x.Comment.Id)
            .Take(50)
            .ToListAsync(ct);
        var list = new StringBuilder();
        foreach (var x in comments)
        {
            list.Append(CultureInfo.InvariantCulture, $"""
                <li><p class="muted">On <a href="{E(x.Thread.Url)}" rel="nofollow ugc noopener">{E(x.Thread.Title ?? x.Thread.Url)}</a> · <time datetime="{x.Comment.CreatedAt:O}">{x.Comment.CreatedAt:yyyy-MM-dd}</time></p>
                <div class="comment-body">{x.Comment.Html}</div></li>
                """);
        }
        var website = user.Website is null ? "" : $"""<p><a href="{E(user.Website)}" rel="nofollow ugc noopener">{E(user.Website)}</a></p>""";
        var bio = user.Bio is null ? "" : $"<p>{E(user.Bio)}</p>";
        return Page(http, user.DisplayName, $"""
            {bio}{website}
            <p class="muted">Member since {user.CreatedAt:MMMM yyyy}</p>
            <h2>Recent comments</h2>
            {(comments.Count == 0 ? "<p class=\"muted\">Nothing to show yet.</p>" : $"<ul class=\"comments\">{list}</ul>")}
            """);
    }
}
