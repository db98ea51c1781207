using System.Globalization;
using System.Text;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

public sealed record ProfileForm(string? Name, string? Website, string? Bio);

/// <summary>One profile across every site: the person edits it here, and anyone can read it at /people/{id}.</summary>
public static class ProfilePages
{
    public const int MaxBio = 300;

    public static async Task<IResult> FormAsync(HttpContext http, HearthDb db, InstanceKey keys, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        var avatar = await db.UploadedAvatars.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
        return Form(http, new ProfileForm(user.DisplayName, user.Website, user.Bio), userId,
            avatar: avatar?.Url ?? $"/api/v1/avatars/{keys.Hash("author", "member\n" + userId)}.svg", uploaded: avatar is not null);
    }

    static IResult Form(HttpContext http, ProfileForm values, long userId, string? error = null, int status = 200, string? avatar = null, bool uploaded = false) => Page(http, "Your profile", $"""
        <p class="hint">This is how you appear in every conversation on this Hearth. <a href="/people/{userId}">See your public profile</a>; choose the <a href="/account/communities">communities it shows</a>.</p>
        <form method="post" action="/account/avatar" enctype="multipart/form-data" class="avatar-form">
        {Csrf(http)}
        {(avatar is null ? "" : $"<img class=\"avatar\" src=\"{E(avatar)}\" alt=\"Your picture\" width=\"64\" height=\"64\">")}
        <label for="picture">Picture (PNG, JPEG, GIF or WebP, up to 5 MB; it is cropped to a square)</label><input id="picture" name="picture" type="file" accept="image/png,image/jpeg,image/gif,image/webp">
        <button type="submit">Upload</button>
        </form>
        {(!uploaded ? "" : $"<form method=\"post\" action=\"/account/avatar/remove\">{Csrf(http)}<button class=\"quiet\" type=\"submit\">Use a drawn picture instead</button></form>")}
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
        StaffNames staff, MemberComments comments, CancellationToken ct)
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
            await comments.RefreshAuthorAsync(userId, CancellationToken.None);
        }
        return TypedResults.Redirect("/account/profile");
    }

    public static async Task<IResult> UploadAvatarAsync(HttpContext http, IFormFile? picture, HearthDb db, MemberComments comments, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId || await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return TypedResults.Redirect("/account/signin");
        }
        IResult Refuse(string message, int status = 400) => Form(http, new ProfileForm(user.DisplayName, user.Website, user.Bio), userId, message, status);
        if (picture is null || picture.Length == 0)
        {
            return Refuse("Choose a picture first.");
        }
        if (picture.Length > Avatars.AvatarImages.MaxUploadBytes)
        {
            return Refuse("The picture is larger than 5 MB.", 413);
        }
        using var buffer = new MemoryStream();
        await picture.CopyToAsync(buffer, ct);
        var (png, refusal) = await Avatars.AvatarImages.RedrawAsync(buffer.ToArray(), ct);
        if (refusal == Avatars.AvatarImages.Refusal.NotAnAcceptedFormat)
        {
            return Refuse("Hearth takes pictures as PNG, JPEG, GIF or WebP only. Please save this one in one of those formats and upload it again.");
        }
        if (png is null)
        {
            return Refuse("That file is not a picture Hearth can read (PNG, JPEG, GIF or WebP, at most 4096 pixels a side).");
        }
        // One statement inserts the first picture or replaces the last one, moving its version on from the row as it
        // is: two uploads at once (a form sent twice, two nodes) then neither fails on the key nor both take the same
        // version, which would leave caches keeping the older picture under the newer one's address.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "UploadedAvatars" ("UserId", "Png", "Version") VALUES ({userId}, {png}, 1)
            ON CONFLICT ("UserId") DO UPDATE SET "Png" = excluded."Png", "Version" = "UploadedAvatars"."Version" + 1
            """, ct);
        await comments.RefreshAuthorAsync(userId, CancellationToken.None);
        return TypedResults.Redirect("/account/profile");
    }

    public static async Task<IResult> RemoveAvatarAsync(HttpContext http, HearthDb db, MemberComments comments, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin");
        }
        await db.UploadedAvatars.Where(a => a.UserId == userId).ExecuteDeleteAsync(ct);
        await comments.RefreshAuthorAsync(userId, CancellationToken.None);
        return TypedResults.Redirect("/account/profile");
    }

    /// <summary>
    /// Follow and Mute for each site where the person's comments are listed. The page is public and never sees who reads
    /// it (the account's cookie stays on /account), so the buttons lead to the account's page about the person, where
    /// the choice is made, signed in, with one more press.
    /// </summary>
    static async Task<string> FollowFormsAsync(HearthDb db, HearthUser user, CancellationToken ct)
    {
        var sites = await Notifications.PeoplePages.SitesOfAsync(db, user.Id, ct);
        if (sites.Count == 0)
        {
            return "";
        }
        var forms = new StringBuilder();
        foreach (var (_, site) in sites)
        {
            forms.Append(CultureInfo.InvariantCulture, $"""
                <form method="get" action="/account/people/{user.Id}" class="follow"><input type="hidden" name="site" value="{E(site)}">
                <span>On <strong>{E(site)}</strong></span>
                <button type="submit" name="want" value="following" aria-label="Follow {E(user.DisplayName)} on {E(site)}">Follow</button>
                <button type="submit" name="want" value="muted" class="quiet" aria-label="Mute {E(user.DisplayName)} on {E(site)}">Mute</button></form>
                """);
        }
        return $"<h2>Follow</h2><p class=\"hint\">Their new comments on a site you follow them on reach your inbox; muted, nothing they write there notifies you.</p>{forms}";
    }

    /// <summary>The public page of a person: who they are and what they said, on the sites that let it be listed.</summary>
    public static async Task<IResult> PublicAsync(HttpContext http, long id, HearthDb db, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<HearthOptions> options, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || !HearthUser.HasPublicProfile(user.SsoSiteId))
        {
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
        var avatar = await db.UploadedAvatars.AsNoTracking().Where(a => a.UserId == id).Select(a => (int?)a.Version).FirstOrDefaultAsync(ct);
        var picture = avatar is null ? "" : $"""<img class="avatar" src="/api/v1/avatars/u{id}-{avatar}.png" alt="" width="96" height="96">""";
        var website = user.Website is null ? "" : $"""<p><a href="{E(user.Website)}" rel="nofollow ugc noopener">{E(user.Website)}</a></p>""";
        var bio = user.Bio is null ? "" : $"<p>{E(user.Bio)}</p>";
        var communities = await ProfileCommunities.SectionAsync(db, id, options.Value.Trust, clock.GetUtcNow().UtcDateTime, ct);
        var follow = await FollowFormsAsync(db, user, ct);
        return Page(http, user.DisplayName, $"""
            {picture}{bio}{website}
            <p class="muted">Member since {user.CreatedAt:MMMM yyyy}</p>
            {follow}
            {communities}
            <h2>Recent comments</h2>
            {(comments.Count == 0 ? "<p class=\"muted\">Nothing to show yet.</p>" : $"<ul class=\"comments\">{list}</ul>")}
            """);
    }
}
