using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

public sealed class SourceCacheTests
{
    [Fact]
    public void GetOrAdd_ComputesATextOnceAndForgetsTheLeastRecentlyUsedPastItsSize()
    {
        var cache = new SourceCache<string>(capacity: 30);
        var computed = new List<string>();
        string Analyse(string title, string text)
        {
            computed.Add(title);
            return title + ":" + text.Length;
        }

        cache.GetOrAdd("a", "0123456789", Analyse).ShouldBe("a:10");
        cache.GetOrAdd("b", "0123456789", Analyse);
        cache.GetOrAdd("a", "0123456789", Analyse).ShouldBe("a:10"); // a hit: a is now the most recent
        cache.GetOrAdd("c", "0123456789", Analyse); // 33 characters: b, the least recent, goes
        cache.GetOrAdd("a", "0123456789", Analyse);
        cache.GetOrAdd("b", "0123456789", Analyse);

        computed.ShouldBe(["a", "b", "c", "b"]);
        cache.Size.ShouldBeLessThanOrEqualTo(30);
    }

    [Fact]
    public void GetOrAdd_ATextLargerThanTheCache_IsComputedAndNotKept()
    {
        var cache = new SourceCache<string>(capacity: 5);

        cache.GetOrAdd("title", "a long text", (t, x) => t + x).ShouldBe("titlea long text");

        cache.Size.ShouldBe(0);
    }
}
