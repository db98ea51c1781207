namespace Hearth.Moderation;

/// <summary>On a site that wants to know who speaks, guests are asked to sign in first.</summary>
public sealed class SignInRequiredCheck : ICommentCheck
{
    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct) =>
        ValueTask.FromResult<CheckOutcome?>(draft.Site.RequireSignIn && draft.Member is null
            ? new Refuse(StatusCodes.Status401Unauthorized, "sign_in_required", "This site asks people to sign in before they comment.")
            : null);
}
