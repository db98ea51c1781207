using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hearth.Storage;

/// <summary>
/// A statement written out in SQL and read row by row, for the few queries every post runs. LINQ costs a post more in
/// translation and materialising than these statements cost the database; this goes through EF's own command path
/// all the same, so it joins the request's transaction, is logged, and is seen by command interceptors. Values are
/// bound as @p0, @p1, ... in order.
/// </summary>
public static class PlainSql
{
    public static async Task<PlainReader> ReadAsync(this HearthDb db, string sql, IReadOnlyList<object?> values, CancellationToken ct)
    {
        var (command, parameters) = Build(db, sql, values, untypedNulls: false);
        return new PlainReader(await command.ExecuteReaderAsync(parameters, ct));
    }

    /// <summary>
    /// The same for statements that return nothing to read; the number of rows they changed. A missing value is sent as
    /// a NULL of no type, as ExecuteSqlRaw sends it, so PostgreSQL takes it for whatever it is compared with.
    /// </summary>
    public static Task<int> ExecuteAsync(this HearthDb db, string sql, IReadOnlyList<object?> values, CancellationToken ct)
    {
        var (command, parameters) = Build(db, sql, values, untypedNulls: true);
        return command.ExecuteNonQueryAsync(parameters, ct);
    }

    static (IRelationalCommand, RelationalCommandParameterObject) Build(HearthDb db, string sql, IReadOnlyList<object?> values, bool untypedNulls)
    {
        // The parameters through EF's builder; the text given to the command as it is: appended to the builder, a
        // statement's text was copied twice more for every run (a sixth of what a post allocated).
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var bound = new Dictionary<string, object?>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var name = "p" + i.ToString(CultureInfo.InvariantCulture);
            // A missing value binds as NULL (as text, or of no type); the others as EF binds them when it writes them.
            var mapping = values[i] is { } value ? mappings.GetMapping(value.GetType())
                : untypedNulls ? RelationalTypeMapping.NullMapping : mappings.GetMapping(typeof(string));
            builder.AddParameter(name, "@" + name, mapping, nullable: values[i] is null);
            bound[name] = values[i];
        }
        var command = new RelationalCommand(db.GetService<RelationalCommandBuilderDependencies>(), sql, sql, builder.Parameters);
        return (command, new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(), bound, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>()));
    }
}

/// <summary>The rows of a <see cref="PlainSql"/> statement; disposing it closes the connection if the statement opened it.</summary>
public sealed class PlainReader(RelationalDataReader reader) : IAsyncDisposable
{
    public DbDataReader Rows => reader.DbDataReader;

    public ValueTask DisposeAsync() => reader.DisposeAsync();
}
