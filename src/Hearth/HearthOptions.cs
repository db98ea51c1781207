namespace Hearth;

/// <summary>Instance-wide settings, bound from the "Hearth" configuration section (env: Hearth__Name).</summary>
public sealed class HearthOptions
{
    public const string Section = "Hearth";

    /// <summary>Folder holding the SQLite database and keys. HEARTH_DATA or --data set it too.</summary>
    public string DataDirectory { get; set; } = "hearth-data";

    /// <summary>
    /// A postgres://user:password@host:port/database address to keep the data in PostgreSQL; none keeps it in SQLite in
    /// the data folder. HEARTH_DATABASE sets it too.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>The largest export file an owner may upload to import from the browser (hearth import on the server takes any size).</summary>
    public long MaxImportBytes { get; set; } = 1L << 30;

    /// <summary>How long a guest may edit or delete a comment with its edit token.</summary>
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The same author posting the same words to the same thread within this window gets the first comment back.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an Idempotency-Key keeps answering with its first response.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a notification stays in its person's inbox, read or not (the comment it points at stays where it is).
    /// </summary>
    public TimeSpan NotificationsKeptFor { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// How many levels replies nest under a top-level comment. A reply to a comment at this depth goes beside it and
    /// says whom it answers. Lowering it re-attaches deeper replies the next time the server starts.
    /// </summary>
    public int MaxReplyDepth { get; set; } = 10;

    /// <summary>Top-level comments per thread page (their replies come along).</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>Bytes of memory the ready-to-send thread pages may take.</summary>
    public long ThreadCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Honour X-Forwarded-For and X-Forwarded-Proto, from the known proxies only; turn on behind a reverse proxy you run.</summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>The reverse proxies' addresses, comma-separated (none: only this machine, 127.0.0.0/8 and ::1).</summary>
    public string? KnownProxies { get; set; }

    /// <summary>The reverse proxies' networks in CIDR form (10.0.0.0/8), comma-separated.</summary>
    public string? KnownNetworks { get; set; }

    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>What earns each trust level on a site (Hearth:Trust:BasicApproved...): see People.TrustOptions.</summary>
    public People.TrustOptions Trust { get; set; } = new();

    /// <summary>A bearer token that lets a scraper read /metrics from anywhere (without one: only from this machine, not through a proxy).</summary>
    public string? MetricsToken { get; set; }
    /// <summary>
    /// Redis (host:port, or any StackExchange.Redis configuration string) that several nodes of one instance share: live
    /// events, page cache invalidation and rate limits then reach across nodes. HEARTH_REDIS sets it too. Unset: one node.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Create the demo site and page when the data folder is empty.</summary>
    public bool SeedDemo { get; set; } = true;
}

public sealed class RateLimitOptions
{
    /// <summary>Comment posts, edits and deletes one client (by IP hash) may make per minute.</summary>
    public int CommentWritesPerMinute { get; set; } = 20;

    /// <summary>Comments one author (a member's account, or a guest's name and e-mail) may post on a site per minute.</summary>
    public int CommentsPerAuthorPerMinute { get; set; } = 6;

    /// <summary>Comments one thread takes from everyone together per minute; a flood on one page cannot bury it.</summary>
    public int CommentsPerThreadPerMinute { get; set; } = 60;

    /// <summary>Comments one client (by IP hash) may post to one thread per minute: its share of the thread's budget.</summary>
    public int CommentsPerAddressOnThreadPerMinute { get; set; } = 5;

    /// <summary>New accounts one client (by IP hash) may sign up per hour.</summary>
    public int SignUpsPerHour { get; set; } = 10;

    /// <summary>Votes one client (by IP hash) may cast per minute.</summary>
    public int VotesPerMinute { get; set; } = 120;

    /// <summary>Markdown previews one client (by IP hash) may ask for per minute.</summary>
    public int PreviewsPerMinute { get; set; } = 60;

    /// <summary>Sign-ins (single sign-on exchanges) one client (by IP hash) may make per minute.</summary>
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>Account sign-ins, sign-ups, password resets, profile changes, data downloads, API tokens and widget sign-ins one client (by IP hash) may ask for per minute.</summary>
    public int AccountActionsPerMinute { get; set; } = 10;

    /// <summary>Reports of comments one client (by IP hash) may make per minute.</summary>
    public int ReportsPerMinute { get; set; } = 10;
}
