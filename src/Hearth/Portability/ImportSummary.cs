namespace Hearth.Portability;

/// <summary>What an import is asked to do.</summary>
public sealed record ImportRequest(long SiteId, IImportFormat Format, UrlMap Map, bool DryRun)
{
    /// <summary>The site's first origin: a page named by its path alone (Blogger's newer export does) is taken to be there.</summary>
    public string? Origin { get; init; }
}

/// <summary>Where an import is, for a progress bar: Done of Total in the phase (Total 0 when not known).</summary>
public sealed record ImportProgress(string Phase, long Done, long Total);

/// <summary>What an import did, or would do in a dry run.</summary>
public sealed class ImportSummary
{
    public bool DryRun { get; init; }
    public int ThreadsCreated { get; set; }
    public int ThreadsMatched { get; set; }
    public long CommentsImported { get; set; }
    public long AlreadyPresent { get; set; }

    /// <summary>Deleted comments kept, without their words, because replies hang under them (counted among the imported).</summary>
    public long Tombstones { get; set; }
    public SortedDictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

    public void Skip(string reason, long count = 1)
    {
        if (count > 0)
        {
            Skipped[reason] = Skipped.GetValueOrDefault(reason) + count;
        }
    }

    const int MaxNamedReasons = 16;
    const int MaxNamedChars = 40;
    int _named;

    /// <summary>
    /// A record skipped for a reason the file names itself (a WordPress comment type, a Blogger entry's kind): kept short,
    /// in plain characters (the summary is printed to terminals), and few, so a file of made-up types cannot grow the
    /// summary; past <see cref="MaxNamedReasons"/> of them the rest count as "other". Hearth's own reasons stay exact.
    /// </summary>
    public void SkipNamedByFile(string word)
    {
        var plain = new string(word.Take(MaxNamedChars).Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' ? c : '?').ToArray());
        if (!Skipped.ContainsKey(plain))
        {
            if (_named >= MaxNamedReasons)
            {
                plain = "other";
            }
            else
            {
                _named++;
            }
        }
        Skip(plain);
    }

    public IEnumerable<string> Lines()
    {
        var would = DryRun ? "would be " : "";
        yield return DryRun ? "Dry run: nothing was written." : "Import finished.";
        yield return $"Threads {would}created: {ThreadsCreated}";
        yield return $"Threads {would}matched to existing ones: {ThreadsMatched}";
        yield return $"Comments {would}imported: {CommentsImported} (of which tombstones: {Tombstones})";
        yield return $"Comments already present: {AlreadyPresent}";
        foreach (var (reason, count) in Skipped)
        {
            yield return $"Skipped ({reason}): {count}";
        }
    }
}
