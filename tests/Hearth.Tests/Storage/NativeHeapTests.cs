using Hearth.Storage;

namespace Hearth.Tests.Storage;

/// <summary>
/// The call an import's memory figure rests on (BENCHMARKS.md, the import section) reaches glibc, the C library of the
/// Debian the server is built for: a name that did not resolve would make it do nothing, silently, by design.
/// </summary>
public class NativeHeapTests
{
    [Fact]
    public void OnLinuxFreePagesAreGivenBack()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.GiveBackFree());
    }
}
