using Microsoft.AspNetCore.Antiforgery;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Accounts;

/// <summary>
/// For the account pages' POSTs that carry no other form fields: minimal APIs check the anti-forgery token only when
/// a handler binds a form, so these check it here, before anything changes.
/// </summary>
public sealed class RequireAntiforgery(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return Page(context.HttpContext, "This form has expired", """<p>Go back, reload the page and try again.</p>""", status: 400);
        }
        return await next(context);
    }
}
