using Digest.Core.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Digest.Core.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace Digest.Core.Tests.Feeds;

public sealed class FetchGatesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FetchGates Gates(int perHost, int global) =>
        new(Options.Create(new FeedsOptions { PerHostConcurrency = perHost, GlobalConcurrency = global }));

    [Fact]
    public async Task Enter_SameHostAtItsLimit_WaitsUntilASlotIsReturned()
    {
        var gates = Gates(perHost: 1, global: 8);
        var first = await gates.EnterAsync("news.example", Ct);

        var second = gates.EnterAsync("NEWS.example", Ct);
        var other = gates.EnterAsync("other.example", Ct);

        second.IsCompleted.ShouldBeFalse();
        (await other).Dispose();
        first.Dispose();
        (await second).Dispose();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    public async Task Enter_Loopback_OnlyTheGlobalLimitHolds(string host)
    {
        var gates = Gates(perHost: 1, global: 3);
        var first = await gates.EnterAsync(host, Ct);
        var second = await gates.EnterAsync(host, Ct);
        var third = await gates.EnterAsync(host, Ct);

        var fourth = gates.EnterAsync(host, Ct);

        fourth.IsCompleted.ShouldBeFalse();
        first.Dispose();
        (await fourth).Dispose();
        second.Dispose();
        third.Dispose();
    }

    [Fact]
    public async Task Enter_GlobalLimit_HoldsEveryHost()
    {
        var gates = Gates(perHost: 2, global: 1);
        var first = await gates.EnterAsync("a.example", Ct);

        var second = gates.EnterAsync("b.example", Ct);

        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task Enter_Cancelled_GivesBackTheHostSlot()
    {
        var gates = Gates(perHost: 1, global: 1);
        var held = await gates.EnterAsync("a.example", Ct);
        using var cancel = new CancellationTokenSource();

        var waiting = gates.EnterAsync("b.example", cancel.Token);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(waiting);
        held.Dispose();
        (await gates.EnterAsync("b.example", Ct)).Dispose();
    }

    [Fact]
    public void AddDigestCore_OneGatesForAllFetchers()
    {
        using var services = FetcherServices.Build();

        services.GetRequiredService<FetchGates>().ShouldBeSameAs(services.GetRequiredService<FetchGates>());
        services.GetRequiredService<FeedFetcher>().ShouldNotBeSameAs(services.GetRequiredService<FeedFetcher>());
    }

    [Fact]
    public async Task ReadCapped_EndlessStream_StopsAtTheCap()
    {
        var endless = new EndlessStream();

        var body = await FeedFetcher.ReadCappedAsync(endless, 1024 * 1024, Ct);

        body.ShouldBeNull();
        endless.BytesRead.ShouldBeLessThanOrEqualTo(1024 * 1024 + 81920);
    }

    /// <summary>Zeros forever, counting what was asked of it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Clear();
            BytesRead += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
