using System.Globalization;
using System.Text.Json;

namespace Hearth.Portability;

/// <summary>
/// Hearth's own export (<c>hearth export --format json</c>, docs/export.md), read back: a site's threads and comments
/// with their tree and status, so that moving a site to another instance, or restoring one from its export, keeps
/// what moderators decided. Read token by token, so a file of any size takes the same memory. The site's settings and
/// its people are not read: the site is the one imported into, and people are counted again from the comments.
/// Accounts belong to the instance that exported them, so every author comes in as a guest by name and address,
/// who can claim the comments with an account here.
/// </summary>
public sealed class HearthJsonFormat : IImportFormat
{
    public const string FormatName = "hearth-export";
    public const int Version = 1;

    public string Name => "hearth";

    /// <summary>Far more than an element of the export has (about twenty, and the author's six).</summary>
    const int MaxFields = 64;

    /// <summary>
    /// The fields an import uses; the others' values (the Markdown source, counts, a newer version's additions) are read
    /// past and not kept, so an element holds a handful of values of at most a million characters, not 64 of them.
    /// </summary>
    static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "id", "url", "identifier", "title", "locked", "createdAt", "status", "threadId", "parentId", "html",
        "author.name", "author.email", "author.website",
    };

    public IEnumerable<ImportRecord> Read(Stream file)
    {
        var json = new JsonTokens(file);
        if (!json.Next() || json.Type != JsonTokenType.StartObject)
        {
            throw NotOurs();
        }
        var recognised = false;
        while (json.Next() && json.Type != JsonTokenType.EndObject)
        {
            var property = json.Text;
            if (!json.Next())
            {
                throw JsonTokens.Truncated();
            }
            switch (property)
            {
                case "format":
                    if (json.Text != FormatName)
                    {
                        throw NotOurs();
                    }
                    recognised = true;
                    break;
                case "version":
                    if (!int.TryParse(json.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version > Version)
                    {
                        throw new ImportFileException($"This export is of version {json.Text}; this Hearth reads version {Version} and older", 0, 0);
                    }
                    break;
                case "threads" or "comments" when !recognised:
                    throw NotOurs();
                case "threads" when json.Type == JsonTokenType.StartArray:
                    while (json.Next() && json.Type != JsonTokenType.EndArray)
                    {
                        yield return Thread(ReadObject(json, "thread"));
                    }
                    break;
                case "comments" when json.Type == JsonTokenType.StartArray:
                    while (json.Next() && json.Type != JsonTokenType.EndArray)
                    {
                        yield return Comment(ReadObject(json, "comment"));
                    }
                    break;
                default:
                    json.SkipValue();
                    break;
            }
        }
        if (!recognised)
        {
            throw NotOurs();
        }
    }

    static ImportFileException NotOurs() =>
        new($"This is not a Hearth export: it is not a JSON object with \"format\": \"{FormatName}\" before its threads", 0, 0);

    /// <summary>One element of the threads or comments: its fields, and the fields of its author as "author.NAME".</summary>
    static Dictionary<string, string?> ReadObject(JsonTokens json, string what)
    {
        if (json.Type != JsonTokenType.StartObject)
        {
            throw new ImportFileException($"Each {what} must be a JSON object", 0, 0);
        }
        var depth = json.Depth;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var count = 0;
        string? prefix = null;
        while (json.Next())
        {
            if (json.Type == JsonTokenType.EndObject && json.Depth == depth)
            {
                return fields;
            }
            if (json.Type == JsonTokenType.EndObject)
            {
                prefix = null;
                continue;
            }
            if (json.Type != JsonTokenType.PropertyName)
            {
                continue;
            }
            var name = json.Text!;
            if (!json.Next())
            {
                break;
            }
            if (json.Type == JsonTokenType.StartObject && json.Depth == depth + 1 && name == "author")
            {
                prefix = "author.";
                continue;
            }
            if (json.Type is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                json.SkipValue();
                continue;
            }
            // Only so many fields, and those used each once: an element cannot grow without bound, nor say two things at once.
            if (++count > MaxFields)
            {
                throw new ImportFileException($"A {what} has more than {MaxFields} fields", 0, 0);
            }
            var field = prefix + name;
            if (Kept.Contains(field) && !fields.TryAdd(field, json.Type == JsonTokenType.Null ? null : json.Text))
            {
                throw new ImportFileException($"A {what} has \"{field}\" twice", 0, 0);
            }
        }
        throw JsonTokens.Truncated();
    }

    static ImportedThread Thread(Dictionary<string, string?> fields)
    {
        var id = Required(fields, "id", "A thread");
        return new ImportedThread(id, fields.GetValueOrDefault("url"), fields.GetValueOrDefault("identifier"), fields.GetValueOrDefault("title"),
            fields.GetValueOrDefault("locked") == "true", Date(fields, "createdAt", $"Thread {id}", required: false));
    }

    static ImportedComment Comment(Dictionary<string, string?> fields)
    {
        var id = Required(fields, "id", "A comment");
        var what = $"Comment {id}";
        var state = fields.GetValueOrDefault("status") switch
        {
            "published" => ImportedState.Approved,
            "spam" => ImportedState.Spam,
            "rejected" => ImportedState.Rejected,
            "deleted" => ImportedState.Deleted,
            // Waiting, or a state this Hearth does not know: kept, and not public until a moderator says so.
            _ => ImportedState.Pending,
        };
        return new ImportedComment(id, Required(fields, "threadId", what), fields.GetValueOrDefault("parentId"),
            fields.GetValueOrDefault("author.name") ?? "", fields.GetValueOrDefault("author.email"), fields.GetValueOrDefault("author.website"),
            Date(fields, "createdAt", what, required: true)!.Value, fields.GetValueOrDefault("html") ?? "", state);
    }

    static string Required(Dictionary<string, string?> fields, string name, string what) =>
        fields.GetValueOrDefault(name) is { Length: > 0 } value ? value : throw new ImportFileException($"{what} has no \"{name}\"", 0, 0);

    static DateTime? Date(Dictionary<string, string?> fields, string name, string what, bool required)
    {
        var text = fields.GetValueOrDefault(name);
        if (text is null && !required)
        {
            return null;
        }
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new ImportFileException($"{what} has no readable \"{name}\" (an ISO 8601 date is expected)", 0, 0);
    }
}
