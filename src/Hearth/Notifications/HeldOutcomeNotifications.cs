using Hearth.Conversations;
using Hearth.Moderation;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// A person whose comment waits for a moderator is told what became of it: "approved" when a decision publishes it,
/// "declined" when a decision turns it down. Only a comment the checks held (waiting, or held as spam, with the check's
/// reason on it; when it was written or edited) is waiting for an answer: a public comment that readers' reports or a
/// moderator took down was not, and a shadow-banned writer was told their comment is public and must learn nothing.
/// Written in the decision's transaction, for authors with an account, not for a moderator deciding on their own
/// comment, and not in a conversation the author muted. The
/// unique key makes each outcome once per comment, however often it is decided, so cycling decisions mails nobody twice.
/// The inbox and the e-mail round show a declined notification only while its comment stays turned down, and never
/// with its words; every other kind only while its comment is public.
/// </summary>
public static class HeldOutcomeNotifications
{
    const string Insert = """
        INSERT INTO "Notifications" ("UserId", "SiteId", "ThreadId", "CommentId", "Kind", "CreatedAt")
        SELECT {0}, {1}, {2}, {3}, {4}, {5}
        WHERE NOT EXISTS (SELECT 1 FROM "Follows" WHERE "UserId" = {0} AND "ThreadId" = {2} AND "State" = 'muted')
        ON CONFLICT ("UserId", "CommentId", "Kind") DO NOTHING
        """;

    public static Task DecidedAsync(HearthDb db, Comment comment, CommentStatus before, long moderatorUserId, DateTime now, CancellationToken ct)
    {
        if (Outcome(before, comment) is not { } kind || comment.Author.UserId is not { } author || author == moderatorUserId)
        {
            return Task.CompletedTask;
        }
        var statements = new StatementList();
        statements.Add(Insert, author, comment.SiteId, comment.ThreadId, comment.Id, kind, now);
        return statements.RunAsync(db, ct);
    }

    static string? Outcome(CommentStatus before, Comment comment)
    {
        // Decide leaves the reason as the hold set it: a comment published at once, then taken down by a moderator, has none.
        if (comment.ModerationReason is not { } reason || reason == ReportComment.Reason || reason == BanCheck.ShadowReason)
        {
            return null;
        }
        return (before, comment.Status) switch
        {
            // Turned down and then approved after all is an answer too.
            (CommentStatus.Pending or CommentStatus.Spam or CommentStatus.Rejected, CommentStatus.Published) => Notification.Approved,
            (CommentStatus.Pending or CommentStatus.Spam, CommentStatus.Rejected or CommentStatus.Spam) when comment.Status != before => Notification.Declined,
            _ => null,
        };
    }
}
