using Microsoft.Data.Sqlite;

/// <summary>
/// What the benchmark reads of the server besides its answers: its CPU time (from /proc, user and system, the
/// background work included) and, read-only from its SQLite file, how far its background work has got.
/// </summary>
sealed class Server(int pid, string data)
{
    static readonly double TicksPerSecond = 100; // USER_HZ; Linux reports /proc times in it on every common build.

    /// <summary>The server's CPU time so far, in milliseconds.</summary>
    public double CpuMs()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) * 1000 / TicksPerSecond;
    }

    public long Count(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "hearth.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>Waits until the count reaches <paramref name="expected"/> (or stops moving for <paramref name="still"/>); the time it took.</summary>
    public async Task<TimeSpan> WaitForAsync(Func<long> count, long expected, TimeSpan still, TimeSpan longest)
    {
        var started = DateTime.UtcNow;
        var last = -1L;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - started < longest)
        {
            var now = count();
            if (now >= expected)
            {
                return DateTime.UtcNow - started;
            }
            if (now != last)
            {
                (last, since) = (now, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - since >= still)
            {
                break;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Background work stopped at {last} of {expected}.");
    }

    /// <summary>Mail not yet accepted by the mail server.</summary>
    public long Outbox() => Count("""SELECT COUNT(*) FROM "MailQueue" """);
}
