using System.Text.Json;
using Hearth.Conversations;
using Hearth.Sites;
using Hearth.Storage;

namespace Hearth.Portability;

/// <summary>
/// hearth export --format json: everything a site holds, in Hearth's own terms (docs/export.md), written as it is read
/// so the document is never whole in memory. Secrets stay out: the site's SSO secret (only whether there is one),
/// keyed hashes (IP addresses, author and voter keys), accounts' passwords, tokens and sign-in addresses.
/// </summary>
public static class JsonExport
{
    public const int Version = 1;

    /// <summary>Bytes gathered before they go to the output: a page of comments or so, never the whole file.</summary>
    const int FlushAt = 64 * 1024;

    public static async Task WriteAsync(HearthDb db, Site site, Stream output, DateTime now, CancellationToken ct)
    {
        // Letters of every script as they are (a Greek or Japanese comment stays readable and a third of the size); what
        // HTML gives meaning to (<, >, &, quotes) is still escaped, so a careless page that shows the file stays safe.
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        });
        json.WriteStartObject();
        json.WriteString("format", "hearth-export");
        json.WriteNumber("version", Version);
        json.WriteString("exportedAt", now);
        WriteSite(json, site);

        json.WriteStartArray("threads");
        await foreach (var thread in ExportPages.ThreadsAsync(db, site.Id, ct))
        {
            json.WriteStartObject();
            json.WriteNumber("id", thread.Id);
            json.WriteString("key", thread.Key);
            json.WriteString("url", thread.Url);
            json.WriteString("identifier", thread.Identifier);
            json.WriteString("title", thread.Title);
            json.WriteBoolean("locked", thread.Locked);
            json.WriteNumber("commentCount", thread.CommentCount);
            json.WriteString("createdAt", thread.CreatedAt);
            json.WriteEndObject();
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();

        json.WriteStartArray("comments");
        await foreach (var comment in ExportPages.CommentsAsync(db, site.Id, ct))
        {
            WriteComment(json, comment);
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();

        json.WriteStartArray("people");
        await foreach (var person in ExportPages.PeopleAsync(db, site.Id, ct))
        {
            json.WriteStartObject();
            json.WriteNumber("id", person.Id);
            json.WriteString("kind", person.Kind.ToString().ToLowerInvariant());
            json.WriteString("name", person.Name);
            WriteNumberOrNull(json, "userId", person.UserId);
            WriteDateOrNull(json, "firstCommentAt", person.FirstCommentAt);
            WriteDateOrNull(json, "lastCommentAt", person.LastCommentAt);
            json.WriteNumber("comments", person.Comments);
            json.WriteNumber("approved", person.Approved);
            json.WriteNumber("repliesGiven", person.RepliesGiven);
            json.WriteNumber("repliesReceived", person.RepliesReceived);
            json.WriteNumber("daysActive", person.DaysActive);
            json.WriteNumber("reportsAgainst", person.ReportsAgainst);
            json.WriteNumber("trustLevel", person.TrustLevel);
            WriteNumberOrNull(json, "mergedIntoId", person.MergedIntoId);
            json.WriteEndObject();
            await FlushIfFullAsync(json, ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    static void WriteSite(Utf8JsonWriter json, Site site)
    {
        json.WriteStartObject("site");
        json.WriteString("name", site.Name);
        json.WriteStartArray("origins");
        foreach (var origin in site.Origins)
        {
            json.WriteStringValue(origin);
        }
        json.WriteEndArray();
        json.WriteString("createdAt", site.CreatedAt);
        json.WriteStartObject("settings");
        json.WriteString("moderation", site.Moderation.ToString().ToLowerInvariant());
        json.WriteBoolean("listOnProfiles", site.ListOnProfiles);
        json.WriteBoolean("requireSignIn", site.RequireSignIn);
        // Whether the site signs people in, never the secret: a new instance makes its own (hearth sites sso).
        json.WriteBoolean("singleSignOn", site.SsoSecret is not null);
        WriteNumberOrNull(json, "maxLinks", site.MaxLinks);
        WriteStrings(json, "bannedWords", site.BannedWords);
        WriteStrings(json, "suspectWords", site.SuspectWords);
        WriteNumberOrNull(json, "closeAfterDays", site.CloseAfterDays);
        json.WriteNumber("reportThreshold", site.ReportThreshold);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    static void WriteComment(Utf8JsonWriter json, Comment comment)
    {
        json.WriteStartObject();
        json.WriteNumber("id", comment.Id);
        json.WriteNumber("threadId", comment.ThreadId);
        WriteNumberOrNull(json, "parentId", comment.ParentId);
        WriteNumberOrNull(json, "replyToId", comment.ReplyToId);
        json.WriteNumber("depth", comment.Depth);
        json.WriteString("status", comment.Status.ToWire());
        json.WriteString("moderationReason", comment.ModerationReason);
        json.WriteStartObject("author");
        json.WriteString("kind", comment.Author.Kind.ToString().ToLowerInvariant());
        WriteNumberOrNull(json, "userId", comment.Author.UserId);
        json.WriteString("name", comment.Author.Name);
        json.WriteString("website", comment.Author.Website);
        // The address a guest typed, which the site's moderators already see: the owner's export of their own site.
        json.WriteString("email", comment.Author.Email);
        json.WriteString("badges", comment.Author.Badges);
        json.WriteEndObject();
        json.WriteString("source", comment.Source);
        json.WriteString("html", comment.Html);
        json.WriteString("createdAt", comment.CreatedAt);
        WriteDateOrNull(json, "editedAt", comment.EditedAt);
        json.WriteBoolean("editedByModerator", comment.EditedByModerator);
        json.WriteBoolean("pinned", comment.Pinned);
        json.WriteBoolean("featured", comment.Featured);
        json.WriteNumber("upvotes", comment.Upvotes);
        json.WriteNumber("downvotes", comment.Downvotes);
        json.WriteEndObject();
    }

    static async Task FlushIfFullAsync(Utf8JsonWriter json, CancellationToken ct)
    {
        if (json.BytesPending >= FlushAt)
        {
            await json.FlushAsync(ct);
        }
    }

    static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    static void WriteDateOrNull(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
