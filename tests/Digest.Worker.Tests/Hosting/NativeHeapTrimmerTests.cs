using Digest.Worker.Hosting;

namespace Digest.Worker.Tests.Hosting;

public sealed class NativeHeapTrimmerTests
{
    private const long Mb = 1L << 20;

    [Theory]
    [InlineData(100, 0)]
    [InlineData(127, 0)]
    [InlineData(120, 40)]
    public void CompactionDue_ASmallBot_NeverPaysForOne(long committedMb, long aliveMb) =>
        NativeHeapTrimmer.CompactionDue(committedMb * Mb, aliveMb * Mb).ShouldBeFalse();

    [Theory]
    [InlineData(300, 200, false)]
    [InlineData(301, 200, true)]
    [InlineData(200, 0, true)]
    public void CompactionDue_ABigHeap_OnceItHoldsHalfAsMuchAgainAsWasAlive(long committedMb, long aliveMb, bool due) =>
        NativeHeapTrimmer.CompactionDue(committedMb * Mb, aliveMb * Mb).ShouldBe(due);
}
