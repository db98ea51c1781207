using System.Text.RegularExpressions;

namespace Hearth.Moderation;

/// <summary>
/// Spam is mostly links: on a site that limits them, a comment with more than allowed, or with little else, waits
/// for a moderator.
/// </summary>
public sealed partial class LinksCheck : ICommentCheck
{
    /// <summary>Fewer words than this outside the links, and the comment is there for its links.</summary>
    const int LinkOnlyWords = 4;

    public ValueTask<CheckOutcome?> RunAsync(CommentDraft draft, CancellationToken ct)
    {
        if (draft.Site.MaxLinks is not { } allowed)
        {
            return ValueTask.FromResult<CheckOutcome?>(null);
        }
        var links = Link().Count(draft.Body.Html);
        if (links == 0)
        {
            return ValueTask.FromResult<CheckOutcome?>(null);
        }
        if (links > allowed)
        {
            return ValueTask.FromResult<CheckOutcome?>(new Hold("too_many_links", $"{links} links; the site allows {allowed}."));
        }
        var text = Tag().Replace(Link().Replace(draft.Body.Html, " "), " ");
        return ValueTask.FromResult<CheckOutcome?>(WordList.Words(System.Net.WebUtility.HtmlDecode(text)).Count < LinkOnlyWords
            ? new Hold("link_only", "Little besides links.")
            : null);
    }

    // The HTML was sanitised when it was rendered: links are plain <a ...>...</a> elements.
    [GeneratedRegex("<a\\b[^>]*>.*?</a>", RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex Link();

    [GeneratedRegex("<[^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();
}
