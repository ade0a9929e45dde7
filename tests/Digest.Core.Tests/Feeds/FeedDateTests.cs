using Digest.Core.Feeds;

namespace Digest.Core.Tests.Feeds;

public sealed class FeedDateTests
{
    [Theory]
    [InlineData("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T09:00:00+00:00")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 PDT", "2003-06-10T11:00:00+00:00")]
    [InlineData("Sat, 1 Mar 2025 18:30:00 MSK", "2025-03-01T15:30:00+00:00")]
    [InlineData("Sat, 01 Mar 2025 18:30:00 +0300", "2025-03-01T15:30:00+00:00")]
    [InlineData("Sat, 01 Mar 2025 18:30 +0300", "2025-03-01T15:30:00+00:00")]
    [InlineData("01 Mar 2025 18:30:00 -0130", "2025-03-01T20:00:00+00:00")]
    [InlineData("Sat, 1 Mar 25 18:30:00 GMT", "2025-03-01T18:30:00+00:00")]
    [InlineData("Mon, 01 Mar 2025 18:30:00 GMT", "2025-03-01T18:30:00+00:00")] // wrong day name: 1 March 2025 is a Saturday
    [InlineData("Sat, 01 Mar 2025 18:30:00", "2025-03-01T18:30:00+00:00")] // no zone: UTC
    [InlineData("2025-03-01T18:30:00Z", "2025-03-01T18:30:00+00:00")]
    [InlineData("2025-03-01T18:30:00.123+01:00", "2025-03-01T17:30:00.123+00:00")]
    [InlineData("2025-03-01T18:30+01:00", "2025-03-01T17:30:00+00:00")]
    [InlineData("2025-03-01", "2025-03-01T00:00:00+00:00")]
    [InlineData("March 1, 2025 6:30 PM", "2025-03-01T18:30:00+00:00")]
    public void ParseDate_CommonForms(string text, string expected) =>
        FeedParser.ParseDate(text).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("32 Jan 2025 10:00:00 GMT")]
    public void ParseDate_Unusable_IsNull(string? text) => FeedParser.ParseDate(text).ShouldBeNull();
}
