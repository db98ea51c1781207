using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>{ reply, mention, followed, followedPerson, held }: immediately | hourly | daily | never. <see cref="Email"/> says whether mail can reach the person at all.</summary>
public sealed record MailPreferencesResponse(string Reply, string Followed, bool Email)
{
    /// <summary>New comments of people the person follows.</summary>
    public string FollowedPerson { get; init; } = MailPreference.Daily;

    /// <summary>What moderators decided about the person's held comments.</summary>
    public string Held { get; init; } = MailPreference.Immediately;

    /// <summary>Comments that name the person.</summary>
    public string Mention { get; init; } = MailPreference.Immediately;
}

/// <summary>Reading and changing a person's e-mail choices, each change one atomic statement (two tabs, two nodes).</summary>
public static class MailPreferences
{
    public static async Task<Dictionary<string, string>> ReadAsync(HearthDb db, long userId, CancellationToken ct)
    {
        var stored = await db.Set<MailPreference>().AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct);
        string? Chosen(string kind) => stored.FirstOrDefault(p => p.Kind == kind)?.Delivery;
        return MailPreference.Kinds.ToDictionary(k => k, k => Chosen(k)
            ?? (k == Notification.Mention ? Chosen(Notification.Reply) : null)
            ?? MailPreference.Default(k));
    }

    public static async Task<MailPreferencesResponse> ResponseAsync(HearthDb db, long userId, CancellationToken ct)
    {
        var choices = await ReadAsync(db, userId, ct);
        var email = await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.EmailConfirmed && u.Email != null, ct);
        return new MailPreferencesResponse(choices[Notification.Reply], choices[Notification.Followed], email)
        {
            FollowedPerson = choices[Notification.FollowedPerson],
            Held = choices[MailPreference.Held],
            Mention = choices[Notification.Mention],
        };
    }

    public static async Task SetAsync(HearthDb db, long userId, string kind, string delivery, CancellationToken ct)
    {
        var statements = new StatementList();
        statements.Add("""
            INSERT INTO "MailPreferences" ("UserId", "Kind", "Delivery") VALUES ({0}, {1}, {2})
            ON CONFLICT ("UserId", "Kind") DO UPDATE SET "Delivery" = "excluded"."Delivery"
            """, userId, kind, delivery);
        await statements.RunAsync(db, ct);
    }
}
