using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Storage;

/// <summary>
/// Statements written by hand that run together as one command: one round of EF's command set-up, and one trip to
/// the database, instead of one each. Each statement is written with its own placeholders ({0}, {1}...; braces
/// doubled for a brace itself, as in string.Format) and values; they are renumbered here into the parameters' own
/// names (@p0, @p1...), and every value is sent as a parameter, never as text.
/// </summary>
public sealed partial class StatementList
{
    readonly StringBuilder _sql = new();
    readonly List<object?> _values = [];

    public bool IsEmpty => _sql.Length == 0;

    public void Add(string statement, params object?[] values)
    {
        Template.Of(statement).AppendTo(_sql, _values.Count);
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
            await db.ExecuteAsync(_sql.ToString(), _values, ct);
        }
        catch (DbException error)
        {
            throw new DbUpdateException("The statements could not be stored: " + error.Message, error);
        }
    }

    /// <summary>
    /// A statement cut once at its placeholders, so that renumbering it for its place in a list is only appending:
    /// a post adds the same dozen statements every time, and matching each one's text afresh cost a post about as much
    /// as the database's work for one of its inserts.
    /// </summary>
    sealed partial class Template
    {
        /// <summary>Statements come from a fixed set in the code; the bound only guards against one built per call.</summary>
        const int Kept = 512;

        static readonly ConcurrentDictionary<string, Template> Cut = new(StringComparer.Ordinal);

        readonly string[] _text;
        readonly int[] _placeholders;

        Template(string statement)
        {
            var text = new List<string>();
            var placeholders = new List<int>();
            var start = 0;
            var part = new StringBuilder();
            foreach (Match match in Placeholder().Matches(statement))
            {
                part.Append(statement, start, match.Index - start);
                start = match.Index + match.Length;
                if (!match.Groups[1].Success)
                {
                    // "{{" or "}}": the brace itself.
                    part.Append(match.Value[0]);
                    continue;
                }
                text.Add(part.ToString());
                part.Clear();
                placeholders.Add(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            }
            text.Add(part.Append(statement, start, statement.Length - start).ToString());
            (_text, _placeholders) = (text.ToArray(), placeholders.ToArray());
        }

        public static Template Of(string statement) =>
            Cut.TryGetValue(statement, out var template) ? template
            : Cut.Count < Kept ? Cut.GetOrAdd(statement, static s => new Template(s))
            : new Template(statement);

        public void AppendTo(StringBuilder sql, int offset)
        {
            for (var i = 0; i < _placeholders.Length; i++)
            {
                sql.Append(_text[i]).Append("@p").Append(offset + _placeholders[i]);
            }
            sql.Append(_text[^1]);
        }

        [GeneratedRegex(@"\{\{|\}\}|\{(\d+)\}")]
        private static partial Regex Placeholder();
    }
}
