using Hearth.Conversations;

namespace Hearth.Embed;

public static class EmbedApi
{
    public static IServiceCollection AddEmbed(this IServiceCollection services) => services.AddSingleton<WidgetAssets>();

    public static IEndpointRouteBuilder MapEmbed(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        var assets = app.ServiceProvider.GetRequiredService<WidgetAssets>();
        assets.Build(app);

        app.MapGet("/embed.js", (HttpContext http) =>
        {
            // Short-lived on purpose: the loader names the current widget, so a new release reaches readers within minutes.
            http.Response.Headers["Access-Control-Allow-Origin"] = "*";
            return new CachedJsonResult(assets.Loader, "text/javascript; charset=utf-8", "public, max-age=300");
        }).ExcludeFromDescription();
        app.MapGet("/embed/{site}/thread", NoScriptPage.RenderAsync).ExcludeFromDescription();
        return app;
    }
}
