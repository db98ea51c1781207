using Microsoft.Extensions.Options;

namespace Hearth.Mail;

public static class MailSetup
{
    public static IServiceCollection AddHearthMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section);
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<OutboxMailSender>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton<PublicAddress>();
        services.AddHostedService<MailDelivery>();
        services.AddSingleton<IMailSender>(provider => provider.GetRequiredService<IOptions<MailOptions>>().Value.HasServer
            ? provider.GetRequiredService<SmtpMailSender>()
            : provider.GetRequiredService<OutboxMailSender>());
        return services;
    }
}
