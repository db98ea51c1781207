using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Sites;

namespace Hearth.Conversations;

/// <summary>Compile-time JSON for the hot paths: no reflection when a thread page is serialised.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ThreadPageResponse))]
[JsonSerializable(typeof(CommentResponse))]
[JsonSerializable(typeof(PostCommentRequest))]
[JsonSerializable(typeof(EditCommentRequest))]
[JsonSerializable(typeof(VoteRequest))]
[JsonSerializable(typeof(OwnCommentsRequest))]
[JsonSerializable(typeof(List<CommentResponse>))]
[JsonSerializable(typeof(VoteResponse))]
[JsonSerializable(typeof(CountsResponse))]
[JsonSerializable(typeof(PreviewResponse))]
[JsonSerializable(typeof(ParticipantsResponse))]
[JsonSerializable(typeof(SiteResponse))]
[JsonSerializable(typeof(List<SiteResponse>))]
[JsonSerializable(typeof(SiteSsoResponse))]
[JsonSerializable(typeof(SiteSettingsResponse))]
[JsonSerializable(typeof(Hearth.Identity.RoleResponse))]
[JsonSerializable(typeof(Hearth.Identity.SsoSignInRequest))]
[JsonSerializable(typeof(Hearth.Identity.SsoSessionResponse))]
public sealed partial class HearthJson : JsonSerializerContext;
