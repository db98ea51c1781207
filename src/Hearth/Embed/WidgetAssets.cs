using System.Text;
using Hearth.Conversations;
using Microsoft.AspNetCore.StaticAssets;

namespace Hearth.Embed;

/// <summary>
/// The loader behind /embed.js, made once at start: the widget's fingerprinted addresses (from the static-asset
/// manifest, so they change whenever the files do) written into it, then precompressed like a thread page.
/// </summary>
public sealed class WidgetAssets
{
    public const string Script = "widget/hearth.js";
    public const string Styles = "widget/hearth.css";

    /// <summary>What only signed-in readers use (their inbox), loaded by the widget once someone is signed in.</summary>
    public const string Member = "widget/member.js";

    /// <summary>Names to mention after "@" in a comment box, loaded by the widget the first time someone types one.</summary>
    public const string Mention = "widget/mention.js";

    public CachedPage Loader { get; private set; } = null!;
    public string ScriptPath { get; private set; } = "/" + Script;
    public string StylesPath { get; private set; } = "/" + Styles;
    public string MemberPath { get; private set; } = "/" + Member;
    public string MentionPath { get; private set; } = "/" + Mention;

    public void Build(IEndpointRouteBuilder app)
    {
        var descriptors = app.DataSources.SelectMany(d => d.Endpoints)
            .SelectMany(e => e.Metadata.OfType<StaticAssetDescriptor>())
            .ToList();
        ScriptPath = Fingerprinted(descriptors, Script);
        StylesPath = Fingerprinted(descriptors, Styles);
        MemberPath = Fingerprinted(descriptors, Member);
        MentionPath = Fingerprinted(descriptors, Mention);
        using var stream = typeof(WidgetAssets).Assembly.GetManifestResourceStream("Hearth.Embed.loader.js")
            ?? throw new InvalidOperationException("The embed loader is missing from the build.");
        var source = new StreamReader(stream).ReadToEnd()
            .Replace("__WIDGET_JS__", ScriptPath)
            .Replace("__WIDGET_CSS__", StylesPath)
            .Replace("__WIDGET_MEMBER_JS__", MemberPath)
            .Replace("__WIDGET_MENTION_JS__", MentionPath);
        Loader = CachedPage.From(Encoding.UTF8.GetBytes(source));
    }

    /// <summary>The route of the uncompressed fingerprinted copy, e.g. /widget/hearth.k3j2h1.js.</summary>
    static string Fingerprinted(List<StaticAssetDescriptor> descriptors, string asset)
    {
        var match = descriptors.FirstOrDefault(d =>
            d.AssetPath == asset
            && d.Properties.Any(p => p.Name == "fingerprint")
            && d.Properties.Any(p => p.Name == "label" && p.Value == asset));
        return "/" + (match?.Route ?? asset);
    }
}
