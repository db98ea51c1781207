using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;

namespace Hearth.Moderation;

/// <summary>
/// Everything the checks look at: the comment about to be stored, who writes it, and where. ThreadKey is the
/// normalised address of the page, known even before its first comment creates the thread.
/// </summary>
public sealed record CommentDraft(Site Site, CommentThread? Thread, string ThreadKey, CommentAuthor Author, Member? Member,
    RenderedMarkdown Body, string IpHash, DateTime Now)
{
    IReadOnlyCollection<string>? _spamTokens;

    /// <summary>
    /// What the spam filter reads of the comment, worked out once. A post works it out before it queues for the
    /// database (<see cref="Conversations.NewComment"/>), so the batch that stores posts one after another does not.
    /// </summary>
    public IReadOnlyCollection<string> SpamTokens
    {
        get => _spamTokens ??= SpamFilter.SpamFeatures.Of(Body.Html, Author);
        init => _spamTokens = value;
    }
}

/// <summary>What a check decided, when it decided anything: hold the comment (and why), or refuse it outright.</summary>
public abstract record CheckOutcome;

/// <summary>
/// Store the comment but do not show it: it waits for a moderator (Pending), or is never shown (Rejected). A silent
/// hold (a shadow ban) tells the writer it was published.
/// </summary>
public sealed record Hold(string Reason, string Detail, CommentStatus Status = CommentStatus.Pending, bool Silent = false) : CheckOutcome;

/// <summary>Do not store it; tell the writer why, and when a refusal is about pace, when to try again.</summary>
public sealed record Refuse(int Status, string Code, string Detail, TimeSpan? RetryAfter = null) : CheckOutcome;

/// <summary>One small rule of moderation. Null means "nothing to say": the next check decides.</summary>
public interface ICommentCheck
{
    ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct);
}
