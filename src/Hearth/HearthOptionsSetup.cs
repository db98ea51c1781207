using Microsoft.Extensions.Options;

namespace Hearth;

public static class HearthOptionsSetup
{
    public static IServiceCollection AddHearthOptions(this IServiceCollection services)
    {
        services.AddOptions<HearthOptions>()
            .BindConfiguration(HearthOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // HEARTH_DATA is the short form; an explicit Hearth:DataDirectory (or --data) wins over it.
                if (configuration[$"{HearthOptions.Section}:{nameof(HearthOptions.DataDirectory)}"] is null
                    && configuration["HEARTH_DATA"] is { Length: > 0 } data)
                {
                    options.DataDirectory = data;
                }
                if (configuration[Storage.DatabaseAddress.Setting] is null
                    && configuration[Storage.DatabaseAddress.ShortSetting] is { Length: > 0 } database)
                {
                    options.Database = database;
                }
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Hearth:DataDirectory must name a folder.")
            .Validate(o => o.EditWindow >= TimeSpan.Zero && o.DuplicateWindow >= TimeSpan.Zero, "Time windows cannot be negative.")
            .Validate(o => o.NotificationsKeptFor >= TimeSpan.FromDays(1), "Hearth:NotificationsKeptFor must be at least a day.")
            .Validate(o => o.PageSize is >= 1 and <= 200, "Hearth:PageSize must be between 1 and 200.")
            .Validate(o => o.MaxReplyDepth is >= 1 and <= Conversations.Comment.ReplyDepthLimit,
                $"Hearth:MaxReplyDepth must be between 1 and {Conversations.Comment.ReplyDepthLimit}.")
            .Validate(o => o.RateLimits is { CommentWritesPerMinute: > 0, VotesPerMinute: > 0, PreviewsPerMinute: > 0, SignInsPerMinute: > 0,
                AccountActionsPerMinute: > 0, ReportsPerMinute: > 0, CommentsPerAuthorPerMinute: > 0, CommentsPerThreadPerMinute: > 0, CommentsPerAddressOnThreadPerMinute: > 0,
                SignUpsPerHour: > 0 }, "Rate limits must be positive.")
            .Validate(o => Web.TrustedProxies.Options(o) is not null,
                "Hearth:KnownProxies must list IP addresses and Hearth:KnownNetworks CIDR ranges (such as 10.0.0.0/8), separated by commas.")
            .Validate(o => o.Trust.Problem() is null, "Hearth:Trust thresholds must be positive, and the Regular ones at least the Basic ones.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HearthOptions>, Storage.DatabaseAddressValidation>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
