using System.Globalization;
using System.Text;
using Hearth.People;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Community;

/// <summary>The pieces the community page, its team view and Explore are drawn from: every name, title and address encoded.</summary>
public static class CommunityHtml
{
    public static string Conversations(IReadOnlyList<LivelyConversation> conversations, bool showSite, string empty)
    {
        if (conversations.Count == 0)
        {
            return $"<p class=\"muted\">{E(empty)}</p>";
        }
        var list = new StringBuilder("<ol class=\"lively\">");
        foreach (var c in conversations)
        {
            var site = showSite ? $"<span class=\"site\">{E(c.Site)}</span> · " : "";
            list.Append(CultureInfo.InvariantCulture, $"""
                <li><a class="title" href="{E(c.Url)}" rel="nofollow ugc noopener">{E(c.Title)}</a>
                <p class="muted">{site}{Count(c.People, "person", "people")}, {Count(c.Comments, "comment", "comments")} · latest {When(c.LastCommentAt)}</p></li>
                """);
        }
        return list.Append("</ol>").ToString();
    }

    public static string People(IReadOnlyList<CommunityPerson> people, Func<CommunityPerson, string> detail, string empty)
    {
        if (people.Count == 0)
        {
            return $"<p class=\"muted\">{E(empty)}</p>";
        }
        var list = new StringBuilder("<ul class=\"people\">");
        foreach (var p in people)
        {
            var name = p.ProfileUrl is null ? $"<span class=\"name\">{E(p.Name)}</span>" : $"<a class=\"name\" href=\"{E(p.ProfileUrl)}\">{E(p.Name)}</a>";
            list.Append(CultureInfo.InvariantCulture, $"<li>{name}{Badges(p.Badges)} <span class=\"muted\">{detail(p)}</span></li>");
        }
        return list.Append("</ul>").ToString();
    }

    public static string Badges(IEnumerable<string> badges) => string.Concat(badges.Select(b => $" <span class=\"badge\">{E(b)}</span>"));

    public static string Welcome(IReadOnlyList<NewcomerResponse> newcomers)
    {
        if (newcomers.Count == 0)
        {
            return "<p class=\"muted\">Nobody is waiting for a first answer.</p>";
        }
        var list = new StringBuilder("<ul class=\"people\">");
        foreach (var n in newcomers)
        {
            list.Append(CultureInfo.InvariantCulture, $"""
                <li><span class="name">{E(n.Name)}</span> <span class="muted">· first comment {When(n.FirstCommentAt)} on
                <a href="{E(n.Comment.ThreadUrl)}" rel="nofollow ugc noopener">{E(n.Comment.ThreadTitle ?? n.Comment.ThreadUrl)}</a></span>
                <div class="comment-body">{n.Comment.Html}</div></li>
                """);
        }
        return list.Append("</ul>").ToString();
    }

    public static string When(DateTime at) =>
        string.Create(CultureInfo.InvariantCulture, $"<time datetime=\"{DateTime.SpecifyKind(at, DateTimeKind.Utc):O}\">{at:d MMM yyyy}</time>");

    public static string Count(int n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
