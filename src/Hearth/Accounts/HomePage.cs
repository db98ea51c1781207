using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// The instance's front door at /: where to sign in or sign up, and the way to one's account and to the sites one
/// runs. The account cookie stays under /account, so this page cannot tell who is looking: the signed-in person's own
/// list of sites is one click away, on their account page and at /account/moderate.
/// </summary>
public static class HomePage
{
    public static async Task<IResult> ShowAsync(HttpContext http, Storage.HearthDb db, CancellationToken ct) => Page(http, "Welcome to Hearth", $"""
        {(await SetupCodes.InstanceHasAdminAsync(db, ct) ? "" : FirstRun)}
        <p>Conversations for any web page, on your own server.</p>
        <p><a class="action" href="/account/signin">Sign in</a> <a class="action secondary" href="/account/signup">Create an account</a></p>
        <h2>Signed in already?</h2>
        <ul>
        <li><a href="/account">Your account</a>: your profile, where you are signed in, your data</li>
        <li><a href="/account/sites">Your sites</a>: their snippets, dashboards and settings; an admin adds sites there</li>
        <li><a href="/account/moderate">Moderate your sites</a>: the queue of each site you own or moderate</li>
        <li><a href="/account/tokens">API tokens</a> for the sites you run</li>
        </ul>
        <h2>See it at work</h2>
        <ul>
        <li><a href="/explore">Explore</a>: the liveliest conversations of the sites listed here</li>
        <li><a href="/demo">The demo page and its thread</a></li>
        <li><a href="/scalar/v1">API reference</a> (<a href="/openapi/v1.json">OpenAPI document</a>)</li>
        <li><a href="/healthz">Health</a></li>
        </ul>
        """);

    const string FirstRun = """
        <p class="notice" id="first-run"><strong>New here?</strong> This Hearth has no admin yet. If you run it,
        <a href="/account/setup">set it up</a> with the setup code from the server's log.</p>
        """;
}
