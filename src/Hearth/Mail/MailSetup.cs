using Microsoft.Extensions.Options;

namespace Hearth.Mail;

public static class MailSetup
{
    public static IServiceCollection AddHearthMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section);
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<LogMailSender>();
        services.AddSingleton<IMailSender>(provider => provider.GetRequiredService<IOptions<MailOptions>>().Value.Host is { Length: > 0 }
            ? provider.GetRequiredService<SmtpMailSender>()
            : provider.GetRequiredService<LogMailSender>());
        return services;
    }
}
