namespace Hearth.Portability;

/// <summary>The export formats Hearth reads, by their command-line name.</summary>
public static class ImportFormats
{
    public static IReadOnlyList<IImportFormat> All { get; } = [new DisqusFormat(), new WordPressFormat(), new BloggerFormat(), new HearthJsonFormat()];

    public static IImportFormat? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
