using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hearth.Storage;

/// <summary>
/// SQLite hands DateTime back as Unspecified; everything Hearth stores is UTC, so say so on the way out. On the way in
/// every value is made UTC, which PostgreSQL's timestamptz (through Npgsql) requires.
/// </summary>
sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
