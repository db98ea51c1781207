using Hearth;
using Hearth.Accounts;
using Hearth.Analytics;
using Hearth.Avatars;
using Hearth.Cli;
using Hearth.Community;
using Hearth.Conversations;
using Hearth.Demo;
using Hearth.Embed;
using Hearth.GuestReplies;
using Hearth.Identity;
using Hearth.Live;
using Hearth.Moderation;
using Hearth.Notifications;
using Hearth.Portability;
using Hearth.People;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;

SqliteProcess.Configure();
return await HearthCli.Run(args, Serve);

static async Task<int> Serve(string[] args)
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        // Settings and static files sit beside the program, wherever it is started from.
        ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
    });
    builder.AddHearthConsoleLogging();
    builder.AddHearthWeb();
    builder.Services.AddHearthOptions();
    builder.Services.AddHearthStorage();
    builder.Services.AddSites();
    builder.Services.AddConversations();
    builder.Services.AddPortability();
    builder.Services.AddModeration();
    builder.Services.AddHearthIdentity();
    builder.Services.AddIdentityMaintenance();
    builder.Services.AddAccounts(builder.Configuration);
    builder.Services.AddConversationsMaintenance();
    builder.Services.AddModerationMaintenance();
    builder.Services.AddLive();
    builder.Services.AddEmbed();
    builder.Services.AddNotifications();
    builder.Services.AddGuestReplies();
    builder.Services.AddCommunity();
    builder.Services.AddAnalytics();

    var app = builder.Build();
    app.UseHearthWeb();
    var siteApi = app.MapSiteApi();
    siteApi.MapConversations();
    siteApi.MapLive();
    siteApi.MapIdentity();
    siteApi.MapSiteSettings();
    siteApi.MapTeam();
    siteApi.MapModeration();
    siteApi.MapBans();
    siteApi.MapThreadActions();
    siteApi.MapPeople();
    siteApi.MapInbox();
    siteApi.MapFollow();
    siteApi.MapPersonFollows();
    siteApi.MapSsoLink();
    siteApi.MapMailPreferences();
    siteApi.MapCommunity();
    siteApi.MapAnalytics();
    app.MapModerationPage();
    app.MapSiteSettingsPage();
    app.MapTeamPage();
    app.MapExportDownload();
    app.MapImportUploads();
    app.MapDashboardPage();
    app.MapAllSitesPage();
    app.MapSitesConsolePage();
    app.MapEmbed();
    app.MapAvatars();
    app.MapDemo();
    app.MapAccounts();
    app.MapInboxPage();
    app.MapInboxConversationsPage();
    app.MapTeamInboxPage();
    app.MapPeoplePages();
    app.MapUnsubscribe();
    app.MapGuestReplies();
    app.MapExploreApi();
    app.MapCommunityPages();
    await app.RunAsync();
    return 0;
}
