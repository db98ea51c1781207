/// <summary>
/// Waits for the server's background work to catch up, read from its database: followed conversations and followed
/// people handed out (their cursors past the log's last entry, no hand-out left half done), and notifications that
/// are mailed at once turned into mail and accepted by the mail server. The server wakes that work every
/// ten seconds (a lease renewal), so a wait can take that long.
/// </summary>
static class Background
{
    public static Task<TimeSpan> SettleAsync(Server server, TimeSpan? longest = null) =>
        server.WaitForAsync(() => Pending(server) == 0 ? 1 : 0, 1, TimeSpan.FromMinutes(10), longest ?? TimeSpan.FromMinutes(10));

    public static long Pending(Server server)
    {
        var last = server.Count("""SELECT COALESCE(MAX("Id"), 0) FROM "ThreadEvents" """);
        long Behind(string cursor) => Math.Max(0, last - server.Count("""SELECT COALESCE(MAX(CAST("Value" AS INTEGER)), -1) FROM "InstanceSettings" WHERE "Name" = $n""", ("$n", cursor)));
        return Behind("notifications:followed:cursor") + Behind("notifications:person:cursor")
            + server.Count("""SELECT COUNT(*) FROM "PersonFanouts" WHERE NOT "Done" """)
            + server.Count("""SELECT COUNT(*) FROM "Notifications" WHERE "MailedAt" IS NULL AND "Kind" IN ('reply', 'mention')""")
            + server.Outbox();
    }
}
