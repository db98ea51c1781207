using System.Net.Mail;

namespace Hearth.Conversations;

/// <summary>A post request checked field by field; the first broken field is named in the answer.</summary>
/// <summary>Author is null when a signed-in member posts: who they are comes from their session, not from the body.</summary>
public sealed record CommentInput(ThreadAddress Address, string? Title, long? ParentId, string Body, GuestInput? Author)
{
    public const int MaxBodyLength = 10_000;
    public const int MaxNameLength = 80;
    public const int MaxTitleLength = 300;
    public const int MaxWebsiteLength = 300;

    public static (CommentInput? Input, string? Field, string? Error) From(PostCommentRequest request, IReadOnlyCollection<string> origins,
        bool asGuest = true)
    {
        var (address, field, error) = ReadAddress(request.Url, request.Identifier, origins);
        if (address is null)
        {
            return (null, field, error);
        }
        // The title is whatever the client says it is: cleaned like a name (no controls, no bidi overrides, no
        // invisible characters, one line), and measured after cleaning, since normalising can lengthen it.
        var title = request.Title is null ? null : TextRules.CleanName(request.Title);
        if (title is { Length: > MaxTitleLength })
        {
            return (null, "title", $"The title may be at most {MaxTitleLength} characters.");
        }
        var bodyError = CheckBody(request.Body);
        if (bodyError is not null)
        {
            return (null, "body", bodyError);
        }
        if (request.ParentId is <= 0)
        {
            return (null, "parentId", "parentId must be the id of a comment in this thread.");
        }
        GuestInput? author = null;
        if (asGuest)
        {
            (author, var authorField, var authorError) = GuestInput.From(request.Author);
            if (author is null)
            {
                return (null, authorField, authorError);
            }
            if (request.NotifyReplies == true && author.Email is null)
            {
                return (null, "notifyReplies", "Replies by e-mail need an e-mail address (author.email).");
            }
        }
        return (new CommentInput(address.Value, string.IsNullOrEmpty(title) ? null : title, request.ParentId, request.Body!, author), null, null);
    }

    /// <summary>The page a request is about: a web address under one of the site's origins, with or without an identifier.</summary>
    public static (ThreadAddress? Address, string? Field, string? Error) ReadAddress(string? url, string? identifier, IReadOnlyCollection<string> origins)
    {
        var normalizedUrl = ThreadAddress.NormalizeUrl(url);
        if (normalizedUrl is null)
        {
            return (null, "url", "url must be the absolute http or https address of the page (at most 2048 characters).");
        }
        if (!ThreadAddress.IsUnder(normalizedUrl, origins))
        {
            return (null, "url", "url must be a page of this site: its scheme, host and port must be one of the site's origins.");
        }
        var id = ThreadAddress.NormalizeIdentifier(identifier);
        if (id is { Length: > ThreadAddress.MaxIdentifierLength })
        {
            return (null, "identifier", $"identifier may be at most {ThreadAddress.MaxIdentifierLength} characters.");
        }
        return (new ThreadAddress(normalizedUrl, id), null, null);
    }

    public static string? CheckBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "The comment is empty.";
        }
        if (body.Length > MaxBodyLength)
        {
            return $"The comment is {body.Length} characters long; at most {MaxBodyLength} are allowed.";
        }
        return null;
    }
}

public sealed record GuestInput(string Name, string? Email, string? Website)
{
    public static (GuestInput? Input, string? Field, string? Error) From(GuestAuthorRequest? author)
    {
        var name = author?.Name is null ? "" : TextRules.CleanName(author.Name);
        if (name.Length == 0)
        {
            return (null, "author.name", "A name is required to comment as a guest.");
        }
        if (name.Length > CommentInput.MaxNameLength)
        {
            return (null, "author.name", $"The name may be at most {CommentInput.MaxNameLength} characters.");
        }
        var email = author?.Email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            email = null;
        }
        else if (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.Host.IndexOf('.') < 0)
        {
            return (null, "author.email", "The e-mail address is not valid.");
        }
        var website = author?.Website?.Trim();
        if (string.IsNullOrEmpty(website))
        {
            website = null;
        }
        else if (website.Length > CommentInput.MaxWebsiteLength || !Uri.TryCreate(website, UriKind.Absolute, out var uri)
                 || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0 || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return (null, "author.website", "The website must be an http or https address.");
        }
        else
        {
            // AbsoluteUri escapes double quotes, spaces and angle brackets but leaves the apostrophe, which ends a
            // single-quoted attribute in whatever page or widget prints the link; %27 means the same to every server.
            website = uri.AbsoluteUri.Replace("'", "%27", StringComparison.Ordinal);
            // Escaping lengthens it ("é" is "%C3%A9"), and what is stored is held to the limit.
            if (website.Length > CommentInput.MaxWebsiteLength)
            {
                return (null, "author.website", $"The website is longer than {CommentInput.MaxWebsiteLength} characters once its letters are escaped.");
            }
        }
        return (new GuestInput(name, email?.ToLowerInvariant(), website), null, null);
    }
}
