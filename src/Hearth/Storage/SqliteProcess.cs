namespace Hearth.Storage;

/// <summary>
/// SQLite's settings for the whole process, made before it starts. Its memory statistics, on unless switched off,
/// take one lock for the whole process around every allocation and release, and a post makes thousands of them: about
/// a tenth of a post's CPU on a 2-core machine (BENCHMARKS.md, 2026-12-04). Hearth reads none of those statistics.
/// </summary>
static class SqliteProcess
{
    const int ConfigMemoryStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    public static void Configure()
    {
        SQLitePCL.Batteries_V2.Init();
        // Refused (SQLITE_MISUSE) once SQLite has started in this process, as in a test host that opened a database
        // before the server: SQLite then keeps its defaults, which are slower but the same in every other way.
        SQLitePCL.raw.sqlite3_config(ConfigMemoryStatus, 0);
    }
}
