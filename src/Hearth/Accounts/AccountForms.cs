namespace Hearth.Accounts;

public sealed record SignUpForm(string? Email, string? Name, string? Password);

public sealed record SignInForm(string? Email, string? Password, string? ReturnUrl);

public sealed record ForgotForm(string? Email);

public sealed record ResetForm(long User, string? Code, string? Password);

/// <summary>Where a page may send the browser after signing in: back into Hearth's own account pages, nowhere else.</summary>
public static class ReturnUrls
{
    public static string? Safe(string? url)
    {
        if (url is not { Length: > 0 and <= 2000 } || url.Any(char.IsControl) || url.Contains('\\') || !Uri.IsWellFormedUriString(url, UriKind.Relative))
        {
            return null;
        }
        // The path decides where the browser goes: it must stay under /account/, with nothing a browser would resolve
        // or decode into somewhere else (//host, /../, %2e%2e). The query only carries values.
        var query = url.IndexOf('?');
        var path = query < 0 ? url : url[..query];
        return path.StartsWith("/account/", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal)
            && !path.Contains("/.", StringComparison.Ordinal) && !path.Contains('%')
            ? url
            : null;
    }
}
