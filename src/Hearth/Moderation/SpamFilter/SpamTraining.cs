using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// Every moderator's decision teaches the site's filter, in the same transaction as the decision. "spam" is spam;
/// "approve" and "notspam" are not. Neither is "reject": a rejected comment is a person's words the site does not
/// want (rude, off topic), and learning them as spam would teach the filter to hold ordinary words. A decision that
/// changes its mind takes back what the earlier one taught.
/// </summary>
public sealed class SpamTraining(HearthDb db, SpamModels models)
{
    readonly Dictionary<long, (Comment Comment, bool Spam)> _decided = [];

    /// <summary>Spam or not, for a moderator's action; null for an action that says nothing about spam.</summary>
    public static bool? IsSpam(string action) => action switch
    {
        "spam" => true,
        "approve" or "notspam" or "reject" => false,
        _ => null,
    };

    /// <summary>Remembers a decision; <see cref="StageAsync"/> learns from all of them at once.</summary>
    public void Note(Comment comment, string action)
    {
        if (IsSpam(action) is { } spam)
        {
            _decided[comment.Id] = (comment, spam);
        }
    }

    /// <summary>
    /// Learns the noted decisions into the site's model (its counts at once, as increments; the labels are left for
    /// the caller to save), in the caller's transaction.
    /// </summary>
    public async Task StageAsync(long siteId, DateTime now, CancellationToken ct)
    {
        if (_decided.Count == 0)
        {
            return;
        }
        var ids = _decided.Keys.ToList();
        var labels = await db.Set<SpamLabel>().Where(l => ids.Contains(l.CommentId)).ToDictionaryAsync(l => l.CommentId, ct);
        var lessons = new List<SpamLesson>();
        foreach (var (id, (comment, spam)) in _decided)
        {
            var label = labels.GetValueOrDefault(id);
            if (label?.Spam == spam)
            {
                continue;
            }
            var tokens = SpamFeatures.Of(comment.Html, comment.Author);
            if (label is null)
            {
                db.Add(new SpamLabel { CommentId = id, SiteId = siteId, Spam = spam, Tokens = string.Join(' ', tokens), At = now });
            }
            else
            {
                lessons.Add(new SpamLesson(label.TokenList, label.Spam, -1));
                label.Spam = spam;
                label.Tokens = string.Join(' ', tokens);
                label.At = now;
            }
            lessons.Add(new SpamLesson(tokens, spam, 1));
        }
        _decided.Clear();
        if (lessons.Count == 0)
        {
            return;
        }
        await models.LearnAsync(siteId, lessons, ct);
    }
}
