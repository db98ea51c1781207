using System.Globalization;
using Hearth.Accounts;
using Hearth.Conversations;
using Hearth.Identity;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Notifications;

/// <summary>
/// Answering from /account/inbox: a reply, as the signed-in account, to the comment one of their replies or mentions is
/// about. It is posted by <see cref="PostComment"/> exactly as the widget posts (the same checks, pace, moderation and
/// twin protection), as the account would comment through that site's widget; once it is stored, the notification is
/// read. A refusal stores nothing and shows the page again, with the words kept and the reason under them.
/// </summary>
public static class InboxReply
{
    public static async Task<IResult> SendAsync(HttpContext http, HearthDb db, Inbox inbox, SessionTokens members, SiteDirectory sites,
        PostComment post, CancellationToken ct)
    {
        if (http.User.UserId() is not { } userId)
        {
            return TypedResults.Redirect("/account/signin?returnUrl=%2Faccount%2Finbox");
        }
        var form = await http.Request.ReadFormAsync(ct);
        long? before = long.TryParse(form["before"], NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) ? cursor : null;
        var body = form["body"].ToString();
        // Sent from the conversations view: the answer, or the refusal, is shown there.
        var fromConversations = form["view"] == "conversations";
        // Only the person's own notification says which comment is answered: another's id finds nothing.
        var target = long.TryParse(form["notification"], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await (from n in db.Notifications.AsNoTracking()
                     where n.Id == id && n.UserId == userId
                     join t in db.Threads on n.ThreadId equals t.Id
                     join s in db.Sites on n.SiteId equals s.Id
                     select new { n.Id, n.Kind, n.CommentId, n.ThreadId, t.Url, t.Identifier, Site = s.Name }).FirstOrDefaultAsync(ct)
            : null;
        if (target is null)
        {
            return await Refused(StatusCodes.Status404NotFound, "That notification is not in your inbox.");
        }
        if (!InboxItemHtml.Answerable(target.Kind))
        {
            return await Refused(StatusCodes.Status400BadRequest, "Only a comment by someone else can be answered from the inbox; a welcome or a decision of the moderators is about your own comment.");
        }
        if (await sites.FindAsync(target.Site, ct) is not { } site || await members.AccountOnSiteAsync(userId, site.Id, ct) is not { } member)
        {
            return await Refused(StatusCodes.Status404NotFound, "That conversation is no longer there.");
        }

        var (reply, status, problem) = await AnswerAsync(http, post, site, member, target.Url, target.Identifier, target.CommentId, body, ct);
        if (reply is not null)
        {
            await inbox.MarkReadAsync(userId, [target.Id], ct);
            if (fromConversations)
            {
                return TypedResults.Redirect($"/account/inbox/conversations?replied={reply.Id}{(before is { } from ? $"&before={from}" : "")}#c{target.ThreadId}");
            }
            var page = before is { } older ? $"&before={older}" : "";
            return TypedResults.Redirect($"/account/inbox?replied={reply.Id}{page}#n{target.Id}");
        }
        return await Refused(status, problem);

        Task<IResult> Refused(int status, string? why) => fromConversations
            ? InboxConversationsPage.RenderAsync(http, db, userId, before, notice: null,
                new ReplyDraft(target?.Id ?? 0, body, why ?? "Something went wrong. Please try again."), status, ct)
            : InboxPage.RenderAsync(http, inbox, db, userId, before, notice: null,
            new ReplyDraft(target?.Id ?? 0, body, why ?? "Something went wrong. Please try again."), status, ct);
    }

    /// <summary>
    /// A reply posted from one of Hearth's own pages, by <see cref="PostComment"/> exactly as the widget posts it: the reply
    /// (a twin, the same words sent again within minutes, is the first reply, not a second one), or the status and reason
    /// of its refusal, with Retry-After set on the response when the refusal carries a wait.
    /// </summary>
    internal static async Task<(CommentResponse? Reply, int Status, string? Problem)> AnswerAsync(HttpContext http, PostComment post, Site site,
        Member member, string url, string? identifier, long parentId, string body, CancellationToken ct)
    {
        var answer = await post.RunAsync(site, new PostCommentRequest(url, identifier, Title: null, parentId, body, Author: null),
            member, http.IpHash(), idempotencyKey: null, ct);
        if (((answer.Result as Created<CommentResponse>)?.Value ?? (answer.Result as Ok<CommentResponse>)?.Value) is { } reply)
        {
            return (reply, StatusCodes.Status201Created, null);
        }
        if (answer.Result is ProblemHttpResult refused)
        {
            if (refused.ProblemDetails.Extensions.TryGetValue("retryAfter", out var wait) && wait is not null)
            {
                http.Response.Headers.RetryAfter = Convert.ToString(wait, CultureInfo.InvariantCulture);
            }
            return (null, refused.StatusCode, refused.ProblemDetails.Detail);
        }
        return (null, StatusCodes.Status400BadRequest, (answer.Result as ValidationProblem)?.ProblemDetails.Detail);
    }
}
