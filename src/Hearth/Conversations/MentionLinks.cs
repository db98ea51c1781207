using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Hearth.Identity;
using Hearth.Notifications;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Conversations;

/// <summary>
/// "@name" in a published comment, shown as a link to the public profile of the person it reached when the comment was
/// stored (<see cref="CommentMention"/>), or as emphasised text when that person has no public profile (someone a site
/// signed in) or two people of the conversation share the name. The link is made as the comment is read for a thread
/// page or the live stream, never stored in the comment's HTML, and the result goes through the comment sanitiser
/// again. How it stays right: an edit finds whom the new words reach (<see cref="Mentions.Rematch"/>), and a mention
/// it took out has no row; a rename changes nothing here, as the mention keeps the words written and the link the
/// person meant; a deleted account takes its rows with it (a cascade), and the deletion logs an update of every
/// comment that linked to it, so cached pages on every node and open pages drop the link.
/// </summary>
public sealed class MentionLinks(HearthDb db, MarkdownRenderer markdown, Mail.PublicAddress address)
{
    readonly record struct Target(long UserId, bool HasProfile);

    /// <summary>The HTML to show for each of these comments whose mentions reach someone; the others show as stored.</summary>
    public async Task<Dictionary<long, string>> ForAsync(IEnumerable<Comment> comments, CancellationToken ct)
    {
        var candidates = comments.Where(c => c.Status == CommentStatus.Published && c.Html.Contains('@')).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var ids = candidates.Select(c => c.Id).ToList();
        var rows = await db.CommentMentions.AsNoTracking()
            .Where(m => ids.Contains(m.CommentId))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.CommentId, m.Name, m.UserId, u.SsoSiteId })
            .ToListAsync(ct);
        var shown = new Dictionary<long, string>();
        if (rows.Count == 0)
        {
            return shown;
        }
        var byComment = rows.ToLookup(r => r.CommentId);
        foreach (var comment in candidates)
        {
            var people = new Dictionary<string, Target?>(StringComparer.Ordinal);
            foreach (var row in byComment[comment.Id])
            {
                // Two people of the conversation under one name: the mention is said, and links neither.
                people[row.Name] = people.ContainsKey(row.Name) ? null : new Target(row.UserId, HearthUser.HasPublicProfile(row.SsoSiteId));
            }
            if (people.Count > 0 && Link(comment.Html, people) is { } html)
            {
                shown[comment.Id] = html;
            }
        }
        return shown;
    }

    /// <summary>The comment's HTML with its mentions marked, or null when none of them is someone's.</summary>
    string? Link(string html, Dictionary<string, Target?> people)
    {
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        var body = document.Body!;
        var changed = false;
        // Each person is marked where first named: the same name written a thousand times makes one link, not a thousand
        // (a comment's size, and what every reader of the page downloads, stays what its writer typed).
        var marked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in TextOutsideLinksAndCode(body))
        {
            var data = text.Data;
            List<INode>? pieces = null;
            var at = 0;
            foreach (System.Text.RegularExpressions.Match match in Mentions.Mention().Matches(data))
            {
                var written = Mentions.Written(match.Groups[1].Value);
                var name = written.ToLowerInvariant();
                if (written.Length < 2 || !people.TryGetValue(name, out var person) || !marked.Add(name))
                {
                    continue;
                }
                pieces ??= [];
                pieces.Add(document.CreateTextNode(data[at..match.Index]));
                IElement mention;
                if (person is { HasProfile: true } found)
                {
                    mention = document.CreateElement("a");
                    mention.SetAttribute("href", address.Link(FormattableString.Invariant($"/people/{found.UserId}")));
                }
                else
                {
                    mention = document.CreateElement("em");
                }
                mention.TextContent = "@" + written;
                pieces.Add(mention);
                at = match.Index + 1 + written.Length;
            }
            if (pieces is null)
            {
                continue;
            }
            pieces.Add(document.CreateTextNode(data[at..]));
            text.Replace([.. pieces]);
            changed = true;
        }
        return changed ? markdown.Sanitize(body.InnerHtml) : null;
    }

    /// <summary>
    /// The text a reader sees as words, in reading order: not a link's (a mention inside one is part of it) nor code's.
    /// Walked with a stack of its own: how deep comment markup nests is up to its writer (within the renderer's limits).
    /// </summary>
    static List<IText> TextOutsideLinksAndCode(IElement body)
    {
        var texts = new List<IText>();
        var open = new Stack<INode>(body.ChildNodes.Reverse());
        while (open.TryPop(out var node))
        {
            if (node is IText text)
            {
                texts.Add(text);
            }
            else if (node is IElement { LocalName: not ("a" or "code" or "pre") } element)
            {
                foreach (var child in element.ChildNodes.Reverse())
                {
                    open.Push(child);
                }
            }
        }
        return texts;
    }
}
