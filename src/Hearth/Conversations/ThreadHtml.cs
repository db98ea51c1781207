using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Hearth.Conversations;

/// <summary>
/// A thread page as plain HTML for readers and search engines without JavaScript. Names and links are encoded here;
/// comment bodies were sanitised when they were written.
/// </summary>
public static class ThreadHtml
{
    static readonly HtmlEncoder Encode = HtmlEncoder.Default;

    /// <summary>
    /// The tree is walked with a stack of its own, never by recursion: how deep a thread goes is up to the people
    /// writing in it, and a call per level would let one long chain of replies end the process.
    /// </summary>
    public static string Render(ThreadPageResponse page)
    {
        var html = new StringBuilder(8 * 1024);
        var count = page.Thread.CommentCount;
        html.Append("<section class=\"hearth-thread\" aria-label=\"Comments\">");
        html.Append("<h2>").Append(count == 1 ? "1 comment" : $"{count} comments").Append("</h2>");
        var children = page.Comments.Where(c => c.ParentId is not null).ToLookup(c => c.ParentId!.Value);
        var present = page.Comments.Select(c => c.Id).ToHashSet();
        var roots = page.Comments.Where(c => c.ParentId is null || !present.Contains(c.ParentId.Value)).ToList();
        if (roots.Count > 0)
        {
            html.Append("<ol class=\"hearth-comments\">");
            // Each entry is a list being written; its item stays open while its replies are written below it.
            var open = new Stack<IEnumerator<CommentResponse>>();
            open.Push(roots.GetEnumerator());
            while (open.TryPeek(out var list))
            {
                if (!list.MoveNext())
                {
                    open.Pop();
                    html.Append(open.Count > 0 ? "</ol></li>" : "</ol>");
                    continue;
                }
                var comment = list.Current;
                AppendComment(html, comment);
                if (children.Contains(comment.Id))
                {
                    html.Append("<ol class=\"hearth-replies\">");
                    open.Push(children[comment.Id].GetEnumerator());
                }
                else
                {
                    html.Append("</li>");
                }
            }
        }
        html.Append("</section>");
        return html.ToString();
    }

    /// <summary>
    /// Websites are checked when a comment is posted, but encoding does not make a javascript: or data: address safe,
    /// so the page links only http and https whatever the row holds (older rows, rows written by hand).
    /// </summary>
    /// <summary>"1 point", "-1 point", "2 points": a count of votes, not a sum to sign.</summary>
    internal static string Points(int score) =>
        string.Create(CultureInfo.InvariantCulture, $"{score} {(Math.Abs(score) == 1 ? "point" : "points")}");

    static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>Opens the comment's list item and writes its article; the caller closes the item.</summary>
    static void AppendComment(StringBuilder html, CommentResponse comment)
    {
        html.Append(CultureInfo.InvariantCulture, $"<li id=\"comment-{comment.Id}\"><article class=\"hearth-comment\">");
        if (comment.Author is { } author)
        {
            html.Append("<header><img class=\"hearth-avatar\" alt=\"\" width=\"32\" height=\"32\" src=\"")
                .Append(Encode.Encode(author.AvatarUrl)).Append("\"> ");
            var name = Encode.Encode(author.Name);
            html.Append(author.Website is { } site && IsWebAddress(site)
                ? $"<a class=\"hearth-author\" rel=\"nofollow ugc noopener\" href=\"{Encode.Encode(site)}\">{name}</a>"
                : $"<strong class=\"hearth-author\">{name}</strong>");
            foreach (var badge in author.Badges)
            {
                html.Append(" <span class=\"hearth-badge\">").Append(Encode.Encode(badge)).Append("</span>");
            }
            if (comment.ReplyTo is { Name: { } answered } replyTo)
            {
                // Replies past the deepest level sit beside the comment they answer, so the page says whom.
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"hearth-reply-to\">in reply to <a href=\"#comment-{replyTo.Id}\">")
                    .Append(Encode.Encode(answered)).Append("</a></span>");
            }
            html.Append(" <time datetime=\"").Append(comment.CreatedAt.ToString("O", CultureInfo.InvariantCulture)).Append("\">")
                .Append(comment.CreatedAt.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append("</time>");
            if (comment.Score != 0)
            {
                html.Append(CultureInfo.InvariantCulture, $" <span class=\"hearth-score\">{Points(comment.Score)}</span>");
            }
            html.Append("</header><div class=\"hearth-body\">").Append(comment.Html).Append("</div>");
        }
        else
        {
            html.Append("<p class=\"hearth-deleted\"><em>This comment was deleted.</em></p>");
        }
        html.Append("</article>");
    }
}
