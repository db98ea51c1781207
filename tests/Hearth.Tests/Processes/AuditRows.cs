namespace Hearth.Tests.Processes;

/// <summary>One line of the audit log as the database holds it (SiteName null: the whole instance).</summary>
public sealed record AuditRow(string? SiteName, string ActorName, string Action, string Target, string? Before, string? After);

public static class AuditRows
{
    /// <summary>The audit log of a data folder, oldest first, read from its database as the command line left it.</summary>
    public static List<AuditRow> Read(string databasePath)
    {
        using var connection = TestDatabase.Open(Path.GetDirectoryName(databasePath)!);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s."Name", a."ActorName", a."Action", a."Target", a."Before", a."After"
            FROM "AuditLog" a LEFT JOIN "Sites" s ON s."Id" = a."SiteId" ORDER BY a."Id"
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<AuditRow>();
        while (reader.Read())
        {
            rows.Add(new AuditRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return rows;
    }
}
