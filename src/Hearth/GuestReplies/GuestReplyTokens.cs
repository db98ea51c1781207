using System.Globalization;
using Hearth.Storage;

namespace Hearth.GuestReplies;

/// <summary>
/// The signed links of reply e-mails for guests: one confirms a subscription, one ends it. Each names the subscription
/// and until when it works, with a keyed hash under the instance key (kept in the database, so any node checks a link
/// any other node wrote) over those and the guest key the subscription is for. A link made for one subscription does
/// nothing to another, nor to a later one that took the same place, and the two kinds cannot stand in for each other.
/// </summary>
public sealed class GuestReplyTokens(InstanceKey key, TimeProvider clock)
{
    public const string Confirm = "guest-replies-confirm";
    public const string Stop = "guest-replies-stop";

    /// <summary>A confirmation link works for a week; then the guest can ask again with their next comment.</summary>
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromDays(7);

    /// <summary>Long enough for an old reply e-mail in someone's mailbox.</summary>
    public static readonly TimeSpan StopLifetime = TimeSpan.FromDays(90);

    public string Create(string purpose, long subscriptionId, string guestKey)
    {
        var lifetime = purpose == Confirm ? ConfirmLifetime : StopLifetime;
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var id = subscriptionId.ToString(CultureInfo.InvariantCulture);
        return $"{id}.{expires}.{key.Hash(purpose, $"{id}.{guestKey}.{expires}")}";
    }

    /// <summary>The subscription id a well-formed, unexpired token names; <see cref="Matches"/> then checks it against the row.</summary>
    public long? Read(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || clock.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return null;
        }
        return id;
    }

    public bool Matches(string purpose, string token, GuestSubscription subscription)
    {
        var parts = token.Split('.');
        return parts.Length == 3 && key.Matches(purpose, $"{parts[0]}.{subscription.GuestKey}.{parts[1]}", parts[2]);
    }
}
