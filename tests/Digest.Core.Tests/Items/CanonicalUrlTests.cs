using Digest.Core.Items;

namespace Digest.Core.Tests.Items;

public sealed class CanonicalUrlTests
{
    [Theory]
    [InlineData("https://WWW.Example.com/a/b?utm_source=x&id=3&fbclid=y#top", "https://www.example.com/a/b?id=3")]
    [InlineData("HTTP://example.com:80/x?gclid=1", "http://example.com/x")]
    [InlineData("https://example.com/x?utm_medium=rss", "https://example.com/x")]
    public void Normalize_StripsTrackingAndFragment(string input, string expected) =>
        CanonicalUrl.Normalize(input).ShouldBe(expected);

    [Fact]
    public void Normalize_RelativeLink_ResolvesAgainstFeed() =>
        CanonicalUrl.Normalize("/news/1", new Uri("https://example.com/feed.xml")).ShouldBe("https://example.com/news/1");

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    [InlineData("mailto:a@b.c")]
    public void Normalize_NonHttp_ReturnsNull(string input) => CanonicalUrl.Normalize(input).ShouldBeNull();
}
