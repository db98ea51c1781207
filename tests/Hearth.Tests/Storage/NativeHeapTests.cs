using Hearth.Storage;

namespace Hearth.Tests.Storage;

/// <summary>
/// The allocator settings an import's memory figure rests on (BENCHMARKS.md, the import section) reach the C library on
/// the Linux the server is built for: a name that did not resolve would fail silently, by design, elsewhere.
/// </summary>
public class NativeHeapTests
{
    [Fact]
    public void OnLinuxTheArenasAreLimitedAndFreePagesGivenBack()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.LimitArenas());
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.GiveBackFree());
    }
}
