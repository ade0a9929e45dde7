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
    [InlineData("04.03.2025 18:30", "2025-03-04T18:30:00+00:00")] // dotted dates are day first: 4 March, not 3 April
    [InlineData("4.3.2025", "2025-03-04T00:00:00+00:00")]
    [InlineData("Tue Mar  4 18:30:00 2025", "2025-03-04T18:30:00+00:00")] // C asctime
    [InlineData("Tue Mar  4 18:30:00 CET 2025", "2025-03-04T17:30:00+00:00")] // Unix date
    [InlineData("Tue Mar 04 18:30:00 +0100 2025", "2025-03-04T17:30:00+00:00")] // Ruby
    [InlineData("Tue Mar 04 2025 18:30:00 GMT+0100 (Central European Standard Time)", "2025-03-04T17:30:00+00:00")] // JavaScript
    [InlineData("Tue, 04 Mar 2025 18:30:00 CET +0100", "2025-03-04T17:30:00+00:00")] // zone written twice
    [InlineData("Tue, 04 Mar 2025 18:30:00 +0100 CET", "2025-03-04T17:30:00+00:00")]
    [InlineData("Tue, 04 Mar 2025 18:30:00CET", "2025-03-04T17:30:00+00:00")] // zone glued to the time
    [InlineData("Tue, 4 Mar 2025 6:30:00 PM +0100", "2025-03-04T17:30:00+00:00")]
    [InlineData("2025-03-04 at 18:30:00", "2025-03-04T18:30:00+00:00")]
    [InlineData("2025-03-04T18:30:00+01:00[Europe/Paris]", "2025-03-04T17:30:00+00:00")]
    [InlineData("Thu, 4 Sept 2025 18:30:00 GMT", "2025-09-04T18:30:00+00:00")]
    [InlineData("Tue, 4 Mar 2025 18:3:7 +0000", "2025-03-04T18:03:07+00:00")]
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
