using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hearth.Conversations;

/// <summary>May the holder of this edit token still change this comment? The answer names the reason when not.</summary>
public sealed class GuestOwnership(InstanceKey keys, TimeProvider clock, IOptions<HearthOptions> options)
{
    public ProblemHttpResult? Check(Comment comment, string? editToken)
    {
        if (!EditTokens.Matches(keys, comment.Id, editToken))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "edit_token_invalid",
                $"Only the author can change this comment: send the edit token from its creation in the {EditTokens.Header} header.");
        }
        if (comment.Status == CommentStatus.Deleted)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "comment_deleted", "This comment has been deleted.");
        }
        var window = options.Value.EditWindow;
        if (clock.GetUtcNow().UtcDateTime > comment.CreatedAt + window)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "edit_window_closed",
                $"Comments can be edited or deleted for {window.TotalMinutes:0} minutes after posting; that time is over.");
        }
        return null;
    }
}
