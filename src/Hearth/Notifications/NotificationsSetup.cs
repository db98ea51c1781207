namespace Hearth.Notifications;

public static class NotificationsSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) => services
        .AddScoped<Inbox>()
        .AddScoped<InboxConversations>()
        .AddScoped<TeamInbox>()
        .AddScoped<Identity.SsoLinks>()
        .AddSingleton<LogHandOutSignal>()
        .AddHostedService<FollowedThreadsNotifier>()
        .AddSingleton<UnsubscribeToken>()
        .AddScoped<NotificationMailRound>()
        .AddHostedService<NotificationMailer>()
        .AddHostedService<NotificationCleanup>();
}
