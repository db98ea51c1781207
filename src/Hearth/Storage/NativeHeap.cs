using System.Runtime.InteropServices;

namespace Hearth.Storage;

/// <summary>
/// The C library's allocator, where SQLite keeps its page caches and statement journals. glibc gives threads arenas of
/// their own, up to eight per core, and keeps what is freed in an arena for that arena's next allocations. A
/// connection drops its whole page cache whenever another connection has written, and reads it back on whichever pool
/// thread runs its next statement: an import of a million comments left nine arenas holding about 90 MB, most of it
/// free. Elsewhere than glibc (musl) the call does nothing, and that library's allocator keeps its own counsel.
/// </summary>
static class NativeHeap
{
    /// <summary>Hands the allocator's free pages, in every arena, back to the system; returns whether the call was made.</summary>
    public static bool GiveBackFree()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            Trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: it takes and returns plain integers, nothing to marshal, and the project
    // stays free of unsafe code.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int Trim(nuint pad);
}
