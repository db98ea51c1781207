using Hearth.Conversations;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// Comments the site's filter is nearly sure are spam go straight to the spam queue, with the words that gave them
/// away; the writer sees the same neutral "awaiting moderation" as for any other hold.
/// </summary>
public sealed class SpamScoreCheck(SpamModels models) : ICommentCheck
{
    public async ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        // The site's own moderators and the instance's staff are not filtered by what they themselves taught.
        if (draft.Member is { } member && (member.Role is not null || member.IsAdmin))
        {
            return null;
        }
        var tokens = draft.SpamTokens;
        var model = await models.ReadAsync(draft.Site.Id, tokens, ct);
        var score = model.Score(tokens);
        return score.IsSpam ? new Hold("spam_score", score.Describe(), CommentStatus.Spam) : null;
    }
}
