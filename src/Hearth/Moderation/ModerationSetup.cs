using Hearth.Moderation.SpamFilter;

namespace Hearth.Moderation;

public static class ModerationSetup
{
    /// <summary>
    /// The checks every new comment passes through, in this order; the first that decides, decides. The pace of
    /// posting (<see cref="PostingRateCheck"/>) is checked before all of them, before the write lock is taken.
    /// </summary>
    public static IServiceCollection AddModeration(this IServiceCollection services)
    {
        services.AddSingleton<PostingRateCheck>();
        services.AddScoped<ModerationModeCheck>();
        services.AddScoped<BanCheck>();
        services.AddScoped<TeamNameCheck>();
        services.AddScoped<ReportComment>();
        services.AddScoped<NearDuplicates>();
        services.AddScoped<DecideComments>();
        services.AddScoped<CommentMarks>();
        services.AddScoped<SpamModels>();
        services.AddScoped<SpamTraining>();
        services.AddScoped<SpamScoreCheck>();
        services.AddScoped<DeletedAccount>();
        // The batch check (NearDuplicates) runs while posts are stored one after another, the others before a post
        // queues; batch checks must stand together in this order (see CheckPlan).
        services.AddScoped<IReadOnlyList<ICommentCheck>>(provider =>
        [
            new ClosedThreadCheck(),
            new SignInRequiredCheck(),
            provider.GetRequiredService<TeamNameCheck>(),
            provider.GetRequiredService<BanCheck>(),
            new BannedWordsCheck(),
            provider.GetRequiredService<NearDuplicates>(),
            new LinksCheck(),
            new SuspectWordsCheck(),
            provider.GetRequiredService<SpamScoreCheck>(),
            provider.GetRequiredService<ModerationModeCheck>(),
        ]);
        services.AddScoped<EditChecks>(provider => new EditChecks(
        [
            new ClosedThreadCheck(),
            new BannedWordsCheck(),
            new LinksCheck(),
            new SuspectWordsCheck(),
            provider.GetRequiredService<SpamScoreCheck>(),
            provider.GetRequiredService<ModerationModeCheck>(),
        ]));
        return services;
    }

    /// <summary>Background work that belongs to a running server, not to a one-off CLI command.</summary>
    public static IServiceCollection AddModerationMaintenance(this IServiceCollection services) =>
        services.AddHostedService<SimilarityBandCleanup>();
}
