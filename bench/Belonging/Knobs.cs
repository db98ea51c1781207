using System.Globalization;

/// <summary>The scale of the run, from the environment bench/belonging documents (its defaults are the targets' own).</summary>
static class Knobs
{
    public static int Sites => Int("BENCH_SITES", 20);
    public static int Threads => Int("BENCH_THREADS", 500);
    public static int Replies => Int("BENCH_REPLIES", 2);
    public static int Busy => Int("BENCH_BUSY_COMMENTS", 6000);
    public static int Samples => Int("BENCH_SAMPLES", 2000);
    public static int Followers => Int("BENCH_FOLLOWERS", 200);
    public static int Posts => Int("BENCH_POSTS", 1000);
    public static int CpuPosts => Int("BENCH_CPU_POSTS", 200);
    public static int Mails => Int("BENCH_MAILS", 10000);

    /// <summary>Posts or requests at once while seeding: a few people writing at the same moment.</summary>
    public const int SeedParallel = 4;

    static int Int(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
