using System.Globalization;
using Hearth.Storage;

namespace Hearth.Notifications;

/// <summary>
/// The signed part of an unsubscribe link: the person, the kind of notification, and until when it works, with a keyed
/// hash under the instance key (kept in the database, so any node checks a link any other node wrote). Nobody can
/// make one for another person or kind, and changing any part breaks the hash.
/// </summary>
public sealed class UnsubscribeToken(InstanceKey key, TimeProvider clock)
{
    const string Purpose = "unsubscribe";

    /// <summary>Long enough for an old message in someone's mailbox; the inbox page changes the same choice at any time.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    public string Create(long userId, string kind)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = $"{userId.ToString(CultureInfo.InvariantCulture)}.{kind}.{expires}";
        return $"{payload}.{key.Hash(Purpose, payload)}";
    }

    /// <summary>The person and kind the token names, or null when it is malformed, altered or expired.</summary>
    public (long UserId, string Kind)? Read(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 4 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !MailPreference.Kinds.Contains(parts[1])
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !key.Matches(Purpose, $"{parts[0]}.{parts[1]}.{parts[2]}", parts[3]))
        {
            return null;
        }
        return clock.GetUtcNow().ToUnixTimeSeconds() < expires ? (userId, parts[1]) : null;
    }
}
