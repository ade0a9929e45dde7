using Digest.Worker.Hosting;

namespace Digest.Worker.Tests.Hosting;

public sealed class NativeHeapTrimmerTests
{
    private const long Mb = 1L << 20;

    [Theory]
    [InlineData(100, 0)]
    [InlineData(127, 0)]
    [InlineData(120, 40)]
    public void CompactionDue_ASmallBot_NeverPaysForOne(long committedMb, long aliveMb)
    {
        NativeHeapTrimmer.CompactionDue(committedMb * Mb, aliveMb * Mb, quiet: false, allocatedSince: 10_000 * Mb).ShouldBeFalse();
        NativeHeapTrimmer.CompactionDue(committedMb * Mb, aliveMb * Mb, quiet: true, allocatedSince: 10_000 * Mb).ShouldBeFalse();
    }

    [Theory]
    [InlineData(300, 200, false)]
    [InlineData(301, 200, true)]
    [InlineData(200, 0, true)]
    public void CompactionDue_ABigHeapAtWork_OnceItHoldsHalfAsMuchAgainAsWasAlive(long committedMb, long aliveMb, bool due) =>
        NativeHeapTrimmer.CompactionDue(committedMb * Mb, aliveMb * Mb, quiet: false, allocatedSince: 10_000 * Mb).ShouldBe(due);

    [Theory]
    [InlineData(true, 250, true)]
    [InlineData(true, 249, false)]
    [InlineData(false, 10_000, false)]
    public void CompactionDue_ABigHeapGoneQuiet_OnceAfterAllocatingAsMuchAsWasAlive(bool quiet, long allocatedSinceMb, bool due) =>
        NativeHeapTrimmer.CompactionDue(260 * Mb, 250 * Mb, quiet, allocatedSinceMb * Mb).ShouldBe(due);
}
