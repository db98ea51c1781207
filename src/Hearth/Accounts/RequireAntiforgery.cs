using Microsoft.AspNetCore.Antiforgery;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// For the account pages' POSTs that carry no other form fields: minimal APIs check the anti-forgery token only when
/// a handler binds a form, so these check it here, before anything changes. A form sent by the browser is answered
/// with a page; a call from a page's script or a program (anything but a form) with problem+json it can read.
/// </summary>
public sealed class RequireAntiforgery(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return http.Request.HasFormContentType
                ? Page(http, "This form has expired", """<p>Go back, reload the page and try again.</p>""", status: 400)
                : Web.Problems.Of(StatusCodes.Status400BadRequest, "page_token_missing",
                    "This address takes requests from Hearth's own pages only, with the page's anti-forgery token in the X-CSRF header: " +
                    "reload the page and try again. An API token is not taken here.");
        }
        return await next(context);
    }
}
