using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// Statements written by hand that run together as one command: one round of EF's command set-up, and one trip to
/// the database, instead of one each. Each statement is written with its own placeholders ({0}, {1}...) and values;
/// they are renumbered here, and every value is sent as a parameter, never as text.
/// </summary>
public sealed partial class StatementList
{
    readonly StringBuilder _sql = new();
    readonly List<object?> _values = [];

    public bool IsEmpty => _sql.Length == 0;

    public void Add(string statement, params object?[] values)
    {
        var offset = _values.Count;
        _sql.Append(Placeholder().Replace(statement, m =>
            "{" + (offset + int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture) + "}"));
        _sql.Append(";\n");
        foreach (var value in values)
        {
            _values.Add(value);
        }
    }

    /// <summary>
    /// A failure of the database (a unique key another node has just taken, say) is reported as EF reports a failed
    /// save, so a caller treats these rows as it treats saved ones (<see cref="GroupCommit"/> runs such a write again).
    /// </summary>
    public async Task RunAsync(HearthDb db, CancellationToken ct)
    {
        if (IsEmpty)
        {
            return;
        }
        try
        {
            await db.Database.ExecuteSqlRawAsync(_sql.ToString(), _values!, ct);
        }
        catch (DbException error)
        {
            throw new DbUpdateException("The statements could not be stored: " + error.Message, error);
        }
    }

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();
}
