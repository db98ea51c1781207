using Hearth.Storage;

namespace Hearth.Conversations;

/// <summary>
/// A guest's proof of authorship: a keyed hash of the comment id, handed out once with the 201. Nothing is stored,
/// and nobody without the instance key can make one.
/// </summary>
public static class EditTokens
{
    public const string Header = "X-Edit-Token";

    public static string For(InstanceKey keys, long commentId) => keys.Hash("edit", commentId.ToString());

    public static bool Matches(InstanceKey keys, long commentId, string? token) =>
        !string.IsNullOrEmpty(token) && token.Length < 100 && keys.Matches("edit", commentId.ToString(), token);
}
