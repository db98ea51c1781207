using Hearth;
using Hearth.Avatars;
using Hearth.Cli;
using Hearth.Conversations;
using Hearth.Demo;
using Hearth.Sites;
using Hearth.Storage;
using Hearth.Web;

return await HearthCli.Run(args, Serve);

static async Task<int> Serve(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddHearthWeb();
    builder.Services.AddHearthOptions();
    builder.Services.AddHearthStorage();
    builder.Services.AddSites();
    builder.Services.AddConversations();
    builder.Services.AddConversationsMaintenance();

    var app = builder.Build();
    app.UseHearthWeb();
    app.MapConversations();
    app.MapAvatars();
    app.MapDemo();
    await app.RunAsync();
    return 0;
}
