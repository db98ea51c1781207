using Hearth.Live;

namespace Hearth.Conversations;

public static class ConversationsSetup
{
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<ThreadPageCache>();
        services.AddSingleton<People.PageAuthor>();
        services.AddSingleton<GuestOwnership>();
        services.AddScoped<ReadThread>();
        services.AddScoped<MentionLinks>();
        services.AddScoped<PostComment>();
        services.AddScoped<StoreNewComment>();
        services.AddScoped<EditComment>();
        services.AddScoped<DeleteComment>();
        services.AddScoped<VoteOnComment>();
        services.AddScoped<ThreadCounts>();
        services.AddScoped<OwnHeldComments>();
        return services;
    }

    /// <summary>Background work that belongs to a running server, not to a one-off CLI command.</summary>
    public static IServiceCollection AddConversationsMaintenance(this IServiceCollection services)
    {
        services.AddHostedService<IdempotencyCleanup>();
        return services;
    }
}
