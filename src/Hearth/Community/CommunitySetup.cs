namespace Hearth.Community;

public static class CommunitySetup
{
    public static IServiceCollection AddCommunity(this IServiceCollection services) => services.AddSingleton<CommunityCache>();
}
