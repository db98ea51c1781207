using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.People;

/// <summary>
/// Keeps <see cref="Person"/> rows current, inside the caller's transaction, with atomic statements only: an
/// insert-or-increment keyed by (site, author key), never a read then a write, so two nodes storing comments of the same
/// person at once both count. Comments whose author key is empty (tombstones) belong to no one and count nowhere.
/// </summary>
public static class PersonLedger
{
    /// <summary>
    /// A comment was stored. At most two statements: the author's row (made on their first comment), and, when the
    /// comment answers someone else, a reply received on that person's row. <paramref name="parentAuthorKey"/> is the
    /// key of the comment answered (its parent, or the one it sits beside), null for a top-level comment.
    /// </summary>
    public static Task CommentStoredAsync(HearthDb db, Comment comment, string? parentAuthorKey, TrustOptions trust, CancellationToken ct)
    {
        var statements = new StatementList();
        AddCommentStored(statements, comment, parentAuthorKey, trust);
        return statements.RunAsync(db, ct);
    }

    /// <summary>The same statements, added to others that run as one command (the post path's, after the comment).</summary>
    public static void AddCommentStored(StatementList statements, Comment comment, string? parentAuthorKey, TrustOptions trust)
    {
        var author = comment.Author;
        if (string.IsNullOrEmpty(author.Key))
        {
            return;
        }
        var at = DateTime.SpecifyKind(comment.CreatedAt, DateTimeKind.Utc);
        var day = DateOnly.FromDateTime(at);
        var approved = comment.Status == CommentStatus.Published ? 1 : 0;
        var answersOther = !string.IsNullOrEmpty(parentAuthorKey) && parentAuthorKey != author.Key;
        var given = answersOther ? 1 : 0;
        var kind = author.Kind == AuthorKind.Guest ? nameof(PersonKind.Guest) : nameof(PersonKind.Member);
        var sso = SignInWithSso.LoginProvider(comment.SiteId);
        const string newDay = """CASE WHEN "People"."LastActiveDay" IS NULL OR "excluded"."LastActiveDay" > "People"."LastActiveDay" THEN 1 ELSE 0 END""";
        // The level from the counters as this statement leaves them (SET reads the row as it was).
        var level = TrustLevels.Next(trust, "\"People\"", "\"People\".\"Approved\" + \"excluded\".\"Approved\"",
            "\"People\".\"DaysActive\" + " + newDay, "\"People\".\"RepliesReceived\"", "{12}");
        // The kind is settled once, by the first comment: a member whose account is this site's single sign-on login is
        // an SSO person. Later comments move only the counters, the level, the name and the days.
        statements.Add($$"""
            INSERT INTO "People" ("SiteId", "Kind", "Key", "UserId", "Name", "FirstCommentAt", "LastCommentAt", "LastActiveDay",
                "Comments", "Approved", "RepliesGiven", "RepliesReceived", "DaysActive", "ReportsAgainst", "TrustLevel", "UpheldReports", "FirstCommentId")
            VALUES ({0},
                CASE WHEN EXISTS (SELECT 1 FROM "UserLogins" WHERE "UserId" = {1} AND "LoginProvider" = {2}) THEN 'Sso' ELSE {3} END,
                {4}, {1}, {5}, {6}, {6}, {7}, 1, {8}, {9}, 0, 1, 0, {10}, 0, {11})
            ON CONFLICT ("SiteId", "Key") DO UPDATE SET
                "TrustLevel" = {{level}},
                "FirstCommentId" = COALESCE("People"."FirstCommentId", "excluded"."FirstCommentId"),
                "Comments" = "People"."Comments" + 1,
                "Approved" = "People"."Approved" + "excluded"."Approved",
                "RepliesGiven" = "People"."RepliesGiven" + "excluded"."RepliesGiven",
                "Name" = "excluded"."Name",
                "UserId" = COALESCE("People"."UserId", "excluded"."UserId"),
                "FirstCommentAt" = CASE WHEN "People"."FirstCommentAt" IS NULL OR "excluded"."FirstCommentAt" < "People"."FirstCommentAt"
                    THEN "excluded"."FirstCommentAt" ELSE "People"."FirstCommentAt" END,
                "LastCommentAt" = CASE WHEN "People"."LastCommentAt" IS NULL OR "excluded"."LastCommentAt" > "People"."LastCommentAt"
                    THEN "excluded"."LastCommentAt" ELSE "People"."LastCommentAt" END,
                "DaysActive" = "People"."DaysActive" + {{newDay}},
                "LastActiveDay" = CASE WHEN "People"."LastActiveDay" IS NULL OR "excluded"."LastActiveDay" > "People"."LastActiveDay"
                    THEN "excluded"."LastActiveDay" ELSE "People"."LastActiveDay" END
            """, comment.SiteId, author.UserId, sso, kind, author.Key, author.Name, at, day, approved, given,
            TrustLevels.Earned(trust, approved, 1, 0), comment.Id, TrustLevels.QuietSince(trust, at));
        if (answersOther)
        {
            var received = TrustLevels.Next(trust, "\"People\"", "\"Approved\"", "\"DaysActive\"", "\"RepliesReceived\" + 1", "{2}");
            statements.Add($$"""UPDATE "People" SET "RepliesReceived" = "RepliesReceived" + 1, "TrustLevel" = {{received}} WHERE "SiteId" = {0} AND "Key" = {1}""",
                comment.SiteId, parentAuthorKey, TrustLevels.QuietSince(trust, at));
        }
    }

    /// <summary>
    /// A comment's status changed (a decision, a hold, an edit that was held, a removal): the author's public count moves
    /// when the comment entered or left public view. Pass the author's key as it was before the change (a removal
    /// empties it); <paramref name="after"/> is null for a comment taken out of the database.
    /// </summary>
    /// <remarks>A comment leaving public view takes no trust back; one entering it may earn the next level.</remarks>
    public static Task StatusChangedAsync(HearthDb db, long siteId, string? authorKey, CommentStatus before, CommentStatus? after,
        CancellationToken ct) =>
        StatusChangedAsync(db, siteId, authorKey, before, after, trust: null, default, ct);

    /// <summary>The same, for a change that may publish a comment: the level follows the count in the same statement.</summary>
    public static async Task StatusChangedAsync(HearthDb db, long siteId, string? authorKey, CommentStatus before, CommentStatus? after,
        TrustOptions? trust, DateTime now, CancellationToken ct)
    {
        var delta = (after == CommentStatus.Published ? 1 : 0) - (before == CommentStatus.Published ? 1 : 0);
        if (delta == 0 || string.IsNullOrEmpty(authorKey))
        {
            return;
        }
        if (delta < 0 || trust is null)
        {
            await db.Database.ExecuteSqlAsync(
                $"""UPDATE "People" SET "Approved" = "Approved" + {delta} WHERE "SiteId" = {siteId} AND "Key" = {authorKey}""", ct);
            return;
        }
        var level = TrustLevels.Next(trust, "\"People\"", "\"Approved\" + 1", "\"DaysActive\"", "\"RepliesReceived\"", "{2}");
        var statements = new StatementList();
        statements.Add($$"""UPDATE "People" SET "Approved" = "Approved" + 1, "TrustLevel" = {{level}} WHERE "SiteId" = {0} AND "Key" = {1}""",
            siteId, authorKey, TrustLevels.QuietSince(trust, now));
        await statements.RunAsync(db, ct);
    }

    /// <summary>
    /// A report against the person was upheld: readers took their comment down, or a moderator rejected it. They fall to
    /// level 0 and stay there for the quiet days (<see cref="TrustOptions.QuietDays"/>).
    /// </summary>
    public static async Task UpheldAsync(HearthDb db, long siteId, string? authorKey, DateTime now, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(authorKey))
        {
            return;
        }
        var at = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE "People" SET "UpheldReports" = "UpheldReports" + 1, "LastUpheldAt" = {at}, "TrustLevel" = 0
            WHERE "SiteId" = {siteId} AND "Key" = {authorKey}
            """, ct);
    }

    /// <summary>A reader's report against one of the person's comments was stored (a repeated report is not one).</summary>
    public static async Task ReportedAsync(HearthDb db, long siteId, string? authorKey, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(authorKey))
        {
            return;
        }
        await db.Database.ExecuteSqlAsync(
            $"""UPDATE "People" SET "ReportsAgainst" = "ReportsAgainst" + 1 WHERE "SiteId" = {siteId} AND "Key" = {authorKey}""", ct);
    }
}
