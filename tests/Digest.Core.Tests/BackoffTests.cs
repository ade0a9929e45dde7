using Digest.Core;

namespace Digest.Core.Tests;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(4, 480)]
    [InlineData(9, 3600)]
    [InlineData(10_000, 3600)]
    [InlineData(int.MaxValue, 3600)]
    public void Exponential_DoublesFromTheFirstWaitUpToTheMost(int failures, int seconds) =>
        Backoff.Exponential(TimeSpan.FromMinutes(1), failures, TimeSpan.FromHours(1)).ShouldBe(TimeSpan.FromSeconds(seconds));

    /// <summary>A long first wait doubled many times is the most, not an overflow into a negative wait.</summary>
    [Fact]
    public void Exponential_LongFirstWaitManyFailures_TheMost() =>
        Backoff.Exponential(TimeSpan.FromDays(1), 40, TimeSpan.MaxValue).ShouldBe(TimeSpan.MaxValue);
}
