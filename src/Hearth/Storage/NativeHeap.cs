using System.Runtime.InteropServices;

namespace Hearth.Storage;

/// <summary>
/// The C library's allocator, where SQLite keeps its page caches and statement journals. glibc gives threads arenas of
/// their own, up to eight per core, and keeps what is freed in an arena for that arena's next allocations. A
/// connection drops its whole page cache whenever another connection has written, and reads it back on whichever pool
/// thread runs its next statement: an import of a million comments left nine arenas holding about 90 MB, most of it
/// free. With another C library (musl) these calls do nothing, and that library's allocator keeps its own counsel.
/// </summary>
static class NativeHeap
{
    const int ArenaMaxOption = -8; // M_ARENA_MAX

    /// <summary>
    /// At most two arenas for the process from now on, shared by the threads that allocate next, so that what one
    /// thread freed another reuses; returns whether the allocator took it.
    /// </summary>
    public static bool LimitArenas() => Call(() => SetOption(ArenaMaxOption, 2) == 1);

    /// <summary>Hands the allocator's free pages back to the system; returns whether the call was made.</summary>
    public static bool GiveBackFree() => Call(() =>
    {
        Trim(0);
        return true;
    });

    static bool Call(Func<bool> call)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: both take and return plain integers, nothing to marshal, and the project
    // stays free of unsafe code.
    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int SetOption(int option, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int Trim(nuint pad);
}
