using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hearth.Conversations;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hearth.Identity;

/// <summary>Who the host site says the person is, read from a token it signed.</summary>
public sealed record SsoClaims(string Subject, string Name, string? Email, string? Picture, string? Url, IReadOnlyList<string> Badges, DateTime ExpiresAt);

/// <summary>Why a token was refused: a code for programs, a sentence for the developer wiring it up.</summary>
public sealed record SsoRefusal(string Code, string Detail);

/// <summary>
/// Reads the token a host site renders into data-sso-token: a JWT signed HS256 with the site's secret, for this site
/// (aud), short-lived (exp at most 24 hours after iat), naming the person (sub, name) and what the site says of them.
/// </summary>
public static partial class SsoToken
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);
    static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);
    const int MaxBadges = 10;

    /// <summary>The longest user id a site may send; the login table's provider key holds as much (SsoLogins).</summary>
    public const int MaxSubjectLength = 200;

    static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = 8 * 1024, MapInboundClaims = false };

    public static async Task<(SsoClaims? Claims, SsoRefusal? Refusal)> ReadAsync(string token, string siteName, string secret, DateTime now)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            ValidateIssuer = false,
            ValidAudience = siteName,
            RequireAudience = true,
            RequireExpirationTime = true,
            // Time comes from the instance's clock (tests move it), not from the machine's.
            ValidateLifetime = false,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return (null, Refuse(result.Exception));
        }
        var jwt = (JsonWebToken)result.SecurityToken;
        // RFC 7515 4.1.11: a token whose header makes extensions critical is invalid to a reader that does not know
        // them, and Hearth knows none; the library would let it through.
        if (HasCriticalExtensions(jwt))
        {
            return (null, new SsoRefusal("sso_token_invalid", "The token's header lists critical extensions (crit), which Hearth does not support: leave crit out."));
        }
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp) || !IsTime(exp))
        {
            return (null, new SsoRefusal("sso_token_invalid", "The token has no usable exp claim: it must expire within 24 hours."));
        }
        var expires = DateTime.UnixEpoch.AddSeconds(exp);
        if (jwt.TryGetPayloadValue<long>("iat", out var iat) && !IsTime(iat))
        {
            return (null, new SsoRefusal("sso_token_invalid", "The iat claim is not a time."));
        }
        var issued = iat != 0 ? DateTime.UnixEpoch.AddSeconds(iat) : now;
        if (expires <= now - Skew)
        {
            return (null, new SsoRefusal("sso_token_expired", "The token has expired: render a fresh one with each page."));
        }
        if (issued > now + Skew)
        {
            return (null, new SsoRefusal("sso_token_invalid", "The token was issued in the future (iat): check the clock of the server that signs it."));
        }
        if (expires - issued > MaxLifetime + Skew || expires - now > MaxLifetime + Skew)
        {
            return (null, new SsoRefusal("sso_token_too_long", "The token lives too long: exp may be at most 24 hours after iat."));
        }
        if (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && (!IsTime(nbf) || DateTime.UnixEpoch.AddSeconds(nbf) > now + Skew))
        {
            return (null, new SsoRefusal("sso_token_invalid", "The token is not valid yet (nbf)."));
        }
        return ReadClaims(jwt, expires);
    }

    static (SsoClaims?, SsoRefusal?) ReadClaims(JsonWebToken token, DateTime expires)
    {
        // The payload as the site wrote it: its JSON types decide, not the library's guesses about claim values.
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var jwt = document.RootElement;
        var sub = String(jwt, "sub");
        if (string.IsNullOrWhiteSpace(sub) || sub.Length > MaxSubjectLength)
        {
            return (null, Claim("sub", $"The sub claim is required: the person's user id on your site, at most {MaxSubjectLength} characters."));
        }
        var (person, field, error) = GuestInput.From(new GuestAuthorRequest(String(jwt, "name"), String(jwt, "email"), String(jwt, "url")));
        if (person is null)
        {
            var claim = field switch { "author.email" => "email", "author.website" => "url", _ => "name" };
            return (null, Claim(claim, error!.Replace("to comment as a guest", "in the token", StringComparison.Ordinal)));
        }
        var picture = String(jwt, "picture");
        if (picture is not null && (picture.Length > 500 || !Uri.TryCreate(picture, UriKind.Absolute, out var pictureUri) || pictureUri.Scheme != "https"))
        {
            return (null, Claim("picture", "The picture claim must be an https address of at most 500 characters."));
        }
        var badges = new List<string>();
        if (jwt.TryGetProperty("badges", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxBadges)
            {
                return (null, Claim("badges", $"The badges claim must be an array of at most {MaxBadges} names."));
            }
            foreach (var item in list.EnumerateArray())
            {
                var badge = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
                if (!BadgePattern().IsMatch(badge))
                {
                    return (null, Claim("badges", "Each badge is a short name of lower-case letters, digits and dashes, e.g. verified-buyer."));
                }
                if (RoleBadges.IsReserved(badge))
                {
                    return (null, Claim("badges", $"The badge '{badge}' is (or looks like) one Hearth gives from its own roles ({string.Join(", ", RoleBadges.Reserved)}); a site cannot give it."));
                }
                if (!badges.Contains(badge))
                {
                    badges.Add(badge);
                }
            }
        }
        return (new SsoClaims(sub, person.Name, person.Email, picture, person.Website, badges, expires), null);
    }

    static bool HasCriticalExtensions(JsonWebToken token)
    {
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedHeader));
        return header.RootElement.ValueKind == JsonValueKind.Object && header.RootElement.TryGetProperty("crit", out _);
    }

    /// <summary>Seconds since 1970 that a DateTime can hold.</summary>
    static bool IsTime(long seconds) => seconds is > 0 and < 253_402_300_799;

    static string? String(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static SsoRefusal Claim(string claim, string detail) => new("sso_claim_invalid", $"{detail} (claim: {claim})");

    static SsoRefusal Refuse(Exception? error) => error switch
    {
        SecurityTokenInvalidAudienceException => new("sso_wrong_audience", "The token is for another site: its aud claim must be this site's name."),
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
            new("sso_bad_signature", "The token's signature does not match this site's SSO secret."),
        SecurityTokenInvalidAlgorithmException => new("sso_bad_signature", "The token must be signed with HS256."),
        SecurityTokenNoExpirationException => new("sso_token_invalid", "The token has no exp claim: it must expire within 24 hours."),
        SecurityTokenMalformedException or ArgumentException => new("sso_token_invalid", "That is not a signed JWT (header.payload.signature)."),
        _ => new("sso_token_invalid", "The token could not be read as a JWT signed for this site."),
    };

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")]
    private static partial Regex BadgePattern();
}
