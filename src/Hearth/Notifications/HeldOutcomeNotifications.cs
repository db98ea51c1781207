using Hearth.Conversations;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// A person whose comment waits for a moderator is told what became of it: "approved" when a decision publishes it,
/// "declined" when a decision turns down a comment that was held (waiting, or held as spam by the checks). Written in
/// the decision's transaction, for authors with an account and never for a moderator deciding on their own comment.
/// A published comment taken down later was not held, and tells no one: that is moderation of what readers saw, not an
/// answer someone is waiting for. The unique key makes each outcome once per comment, however often it is decided.
/// The inbox and the e-mail round show a declined notification only while its comment stays turned down, and never
/// with its words; every other kind only while its comment is public.
/// </summary>
public static class HeldOutcomeNotifications
{
    const string Insert = """
        INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5})
        ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
        """;

    public static Task DecidedAsync(HearthDb db, Comment comment, CommentStatus before, long moderatorUserId, DateTime now, CancellationToken ct)
    {
        if (Outcome(before, comment.Status) is not { } kind || comment.Author.UserId is not { } author || author == moderatorUserId)
        {
            return Task.CompletedTask;
        }
        var statements = new StatementList();
        statements.Add(Insert, author, comment.SiteId, comment.ThreadId, comment.Id, kind, now);
        return statements.RunAsync(db, ct);
    }

    static string? Outcome(CommentStatus before, CommentStatus after) => (before, after) switch
    {
        (not CommentStatus.Published, CommentStatus.Published) => Notification.Approved,
        (CommentStatus.Pending or CommentStatus.Spam, CommentStatus.Rejected or CommentStatus.Spam) when before != after => Notification.Declined,
        _ => null,
    };
}
