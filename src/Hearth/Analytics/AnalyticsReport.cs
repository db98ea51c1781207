namespace Hearth.Analytics;

/// <summary>One site's (or one thread's) conversation over a range of days: what the dashboard and its API show.</summary>
public sealed record AnalyticsReport(
    string Site,
    ReportThread? Thread,
    DateOnly From,
    DateOnly To,
    ReportTotals Totals,
    IReadOnlyList<DayCount> Days,
    IReadOnlyList<DayCount> Weeks,
    IReadOnlyList<RetentionCohort> Retention,
    IReadOnlyList<DepthCount> Depths,
    ReportBelonging Belonging,
    IReadOnlyList<TopConversation> TopConversations,
    IReadOnlyList<TopContributor> TopContributors);

public sealed record ReportThread(long Id, string Url, string? Title);

/// <param name="Comments">Public comments written in the range.</param>
/// <param name="NewcomerComments">Of those, the ones written on the day of their writer's first comment on the site.</param>
/// <param name="Commenters">People who wrote them, each counted once (an account, a person the site signed in, a guest).</param>
/// <param name="NewCommenters">Of those, the ones whose first comment on the site fell in the range.</param>
/// <param name="Conversations">Threads where at least two people replied to each other in the range.</param>
/// <param name="Answered">Comments that got a reply from someone else within 30 days.</param>
/// <param name="MedianMinutesToFirstReply">Over the answered comments: null when none was.</param>
/// <param name="TeamAnswered">Comments by people outside the site's team that the team replied to within 30 days.</param>
/// <param name="UnansweredNewcomers">Right now, not in the range: newcomers whose first comment nobody has answered (at most 50).</param>
/// <param name="Views">Page views the widget counted in the range (none from readers who ask not to be tracked).</param>
/// <param name="Conversion">Commenters per page view: how many readers became commenters; null without views.</param>
public sealed record ReportTotals(
    int Comments,
    int NewcomerComments,
    int ReturningComments,
    int Commenters,
    int NewCommenters,
    int ReturningCommenters,
    int Threads,
    int Conversations,
    int Replies,
    int Answered,
    double? AnsweredShare,
    double? MedianMinutesToFirstReply,
    int CommentsByOthers,
    int TeamAnswered,
    double? TeamAnsweredShare,
    double? MedianMinutesToFirstTeamReply,
    int? UnansweredNewcomers,
    long Views,
    double? Conversion);

/// <summary>A day (or a week, by its Monday) of comments, split by whether their writer was new that day.</summary>
public sealed record DayCount(DateOnly Date, int Comments, int Newcomers, int Returning, long Views);

/// <summary>
/// People whose first comment on the site fell in one month (of the range), and how many of them commented again on a
/// later day within 30 days. Complete once the last of them has had their 30 days.
/// </summary>
public sealed record RetentionCohort(string Month, int Newcomers, int CameBack, double? Share, bool Complete);

/// <summary>Comments at one depth: "0" for top-level ones, up to "6+".</summary>
public sealed record DepthCount(string Depth, int Comments);

/// <summary>
/// The belonging index (0 to 100) and the three shares it is the mean of; see docs/analytics.md. Null parts had nobody
/// to measure (no newcomers, or nobody outside the team) and are left out of the mean; the index is null with no comments.
/// </summary>
public sealed record ReportBelonging(int? Index, double? Retention, double? Reciprocity, double? Response,
    DateOnly PreviousFrom, DateOnly PreviousTo, int? PreviousIndex, int? Change);

public sealed record TopConversation(long ThreadId, string Url, string? Title, int Comments, int People, bool Conversation, long Views);

public sealed record TopContributor(string Name, string Kind, int Comments, int RepliesGiven, int RepliesReceived, bool New);
