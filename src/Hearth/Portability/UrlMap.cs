namespace Hearth.Portability;

/// <summary>
/// Old addresses to new ones (a blog that moved host or path): the first prefix that matches is replaced, before the
/// address is normalised as Hearth keys threads.
/// </summary>
public sealed class UrlMap
{
    readonly List<(string From, string To)> _rules = [];

    public IReadOnlyList<(string From, string To)> Rules => _rules;

    /// <summary>Adds "OLD=NEW"; returns why not when the text is not that.</summary>
    public string? Add(string rule)
    {
        var split = rule.IndexOf('=');
        if (split <= 0 || split == rule.Length - 1)
        {
            return $"'{rule}' is not a map: write OLD=NEW, e.g. https://old.example/=https://new.example/.";
        }
        _rules.Add((rule[..split].Trim(), rule[(split + 1)..].Trim()));
        return null;
    }

    /// <summary>Reads a CSV of old,new per line (blank lines and lines starting with # are passed over); returns why not, naming the line.</summary>
    public string? AddFile(TextReader csv)
    {
        var number = 0;
        while (csv.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }
            var split = text.IndexOf(',');
            if (split <= 0 || split == text.Length - 1)
            {
                return $"line {number} of the map file is not old,new.";
            }
            _rules.Add((text[..split].Trim().Trim('"'), text[(split + 1)..].Trim().Trim('"')));
        }
        return null;
    }

    public string? Apply(string? url)
    {
        if (url is null)
        {
            return null;
        }
        foreach (var (from, to) in _rules)
        {
            if (url.StartsWith(from, StringComparison.OrdinalIgnoreCase))
            {
                return to + url[from.Length..];
            }
        }
        return url;
    }
}
