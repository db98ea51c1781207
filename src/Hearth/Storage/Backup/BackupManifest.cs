using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Storage.Backup;

/// <summary>One file of the archive as it was written: restore compares every byte against this before it writes anything.</summary>
public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>manifest.json, the first thing a restore reads: what made the archive, when, and what it holds.</summary>
public sealed record BackupManifest(string Format, int Version, string Hearth, DateTime CreatedAt, string? LastMigration, List<BackupFile> Files)
{
    public const string FileName = "manifest.json";
    public const string FormatName = "hearth-backup";
    public const int CurrentVersion = 1;
    public const string Database = "hearth.db";

    public static async Task<string> HashAsync(Stream stream, CancellationToken ct) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
sealed partial class BackupJson : JsonSerializerContext;
