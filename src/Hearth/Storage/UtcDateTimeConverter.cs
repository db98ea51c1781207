using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Hearth.Storage;

/// <summary>SQLite hands DateTime back as Unspecified; everything Hearth stores is UTC, so say so on the way out.</summary>
sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
