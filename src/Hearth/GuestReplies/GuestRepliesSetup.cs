namespace Hearth.GuestReplies;

public static class GuestRepliesSetup
{
    public static IServiceCollection AddGuestReplies(this IServiceCollection services) => services
        .AddSingleton<GuestReplyTokens>()
        .AddScoped<GuestSubscriptions>()
        .AddScoped<GuestReplyRound>()
        .AddHostedService<GuestReplyNotifier>();
}
