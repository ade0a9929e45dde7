using Digest.Core.Items;

namespace Digest.Core.Tests.Items;

public sealed class ItemNormalizerTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri Feed = new("https://news.example/feed.xml");

    private static FeedItem Entry(string? id = null, string? title = "A title", string? link = null, string? summary = null, string? content = null, DateTimeOffset? published = null) =>
        new(id, title, link, summary, content, null, published, null);

    [Fact]
    public void Normalize_Html_BecomesPlainTextTitleAndSummary()
    {
        var item = ItemNormalizer.Normalize(Entry(title: "Talks &amp; <i>truce</i>", summary: "<p>Delegations   met.</p>\n<p>More soon.</p>"), Feed, Now)!;

        item.Title.ShouldBe("Talks & truce");
        item.Summary.ShouldBe("Delegations met. More soon.");
    }

    [Fact]
    public void Normalize_ContentLongerThanSummary_ContentWins()
    {
        var item = ItemNormalizer.Normalize(Entry(summary: "Short.", content: "<p>The whole story, with details.</p>"), Feed, Now)!;

        item.Summary.ShouldBe("The whole story, with details.");
    }

    [Fact]
    public void Normalize_SummaryLongerThanContent_SummaryWins()
    {
        var item = ItemNormalizer.Normalize(Entry(summary: "A summary that says more.", content: "<b>Less</b>"), Feed, Now)!;

        item.Summary.ShouldBe("A summary that says more.");
    }

    [Fact]
    public void Normalize_NoTitle_TakesTheFirstSentence()
    {
        var item = ItemNormalizer.Normalize(Entry(title: null, summary: "Ceasefire holds. Observers report calm."), Feed, Now)!;

        item.Title.ShouldBe("Ceasefire holds.");
    }

    [Fact]
    public void Normalize_NoTitleAndALongFirstSentence_TitleCutWhereAWordEnds()
    {
        var summary = "Harbour workers in Veldt, who had waited since the spring for the two governments to settle the quarrel over fishing quotas, "
            + "cheered on the quay when the treaty was signed";

        var item = ItemNormalizer.Normalize(Entry(title: null, summary: summary), Feed, Now)!;

        item.Title.ShouldBe("Harbour workers in Veldt, who had waited since the spring for the two governments to settle the quarrel over fishing…");
    }

    [Fact]
    public void Normalize_NoTitleAndAFigureWithAPoint_TitleIsTheWholeSentence()
    {
        var item = ItemNormalizer.Normalize(Entry(title: null, summary: "The harbour fee rises to 3.5 euros a tonne. Shippers object."), Feed, Now)!;

        item.Title.ShouldBe("The harbour fee rises to 3.5 euros a tonne.");
    }

    [Fact]
    public void Normalize_NoTitleNoText_Dropped() => ItemNormalizer.Normalize(Entry(title: " ", summary: "<p> </p>"), Feed, Now).ShouldBeNull();

    [Fact]
    public void Normalize_LongSummary_CutAtAWord()
    {
        var item = ItemNormalizer.Normalize(Entry(summary: string.Concat(Enumerable.Repeat("word ", 2000))), Feed, Now)!;

        item.Summary.Length.ShouldBeLessThanOrEqualTo(ItemNormalizer.MaxSummaryLength + 1);
        item.Summary.ShouldEndWith("word…");
    }

    [Fact]
    public void Normalize_Link_Canonical()
    {
        var item = ItemNormalizer.Normalize(Entry(link: "/world/talks?utm_source=rss&page=2#comments"), Feed, Now)!;

        item.Url.ShouldBe("https://news.example/world/talks?page=2");
    }

    [Fact]
    public void Normalize_NoLink_AnIdThatIsAnAddressStandsIn_AnOpaqueIdDoesNot()
    {
        ItemNormalizer.Normalize(Entry(id: "https://news.example/world/7"), Feed, Now)!.Url.ShouldBe("https://news.example/world/7");
        ItemNormalizer.Normalize(Entry(id: "post-7"), Feed, Now)!.Url.ShouldBe("");
    }

    [Fact]
    public void Key_GuidWhenPresent()
    {
        var item = ItemNormalizer.Normalize(Entry(id: " urn:story:42 ", link: "https://news.example/a"), Feed, Now)!;

        item.Key.ShouldBe("g:urn:story:42");
    }

    [Fact]
    public void Key_GuidThatIsALink_IgnoresTrackingAddedPerPoll()
    {
        var monday = ItemNormalizer.Normalize(Entry(id: "https://news.example/a?utm_campaign=mon"), Feed, Now)!;
        var tuesday = ItemNormalizer.Normalize(Entry(id: "https://news.example/a?utm_campaign=tue"), Feed, Now)!;

        monday.Key.ShouldBe(tuesday.Key);
    }

    [Fact]
    public void Key_NoGuid_CanonicalLink()
    {
        var item = ItemNormalizer.Normalize(Entry(link: "https://News.Example/a?fbclid=1"), Feed, Now)!;

        item.Key.ShouldBe("u:https://news.example/a");
    }

    [Fact]
    public void Key_NoGuidNoLink_SameHashOnEveryPoll()
    {
        var entry = Entry(title: "Statement", summary: "Text.");

        var first = ItemNormalizer.Normalize(entry, Feed, Now)!;
        var later = ItemNormalizer.Normalize(entry, Feed, Now.AddHours(3))!;

        first.Key.ShouldStartWith("h:");
        later.Key.ShouldBe(first.Key);
    }

    [Fact]
    public void NormalizeAll_GuidSharedByEveryEntry_KeysByLinkInstead()
    {
        FeedItem[] entries =
        [
            Entry(id: "https://news.example/", title: "One", link: "https://news.example/1"),
            Entry(id: "https://news.example/", title: "Two", link: "https://news.example/2"),
            Entry(id: "unique-3", title: "Three", link: "https://news.example/3"),
        ];

        var items = ItemNormalizer.NormalizeAll(entries, Feed, Now);

        items.Select(i => i.Key).ShouldBe(["u:https://news.example/1", "u:https://news.example/2", "g:unique-3"]);
    }

    [Fact]
    public void NormalizeAll_LinkAndGuidSharedByDistinctEntries_EachKeptByItsText()
    {
        FeedItem[] entries =
        [
            Entry(id: "https://parish.example/news/", title: "Bells rung for the wedding", link: "https://parish.example/news/"),
            Entry(id: "https://parish.example/news/", title: "Roof appeal reaches its target", link: "https://parish.example/news/#roof"),
            Entry(id: "https://parish.example/news/", title: "Bells rung for the wedding", link: "https://parish.example/news/"),
            Entry(title: "Fete postponed", link: "https://parish.example/fete"),
        ];

        var items = ItemNormalizer.NormalizeAll(entries, Feed, Now);

        items.Select(i => i.Title).ShouldBe(["Bells rung for the wedding", "Roof appeal reaches its target", "Fete postponed"]);
        items[0].Key.ShouldStartWith("h:");
        items[1].Key.ShouldStartWith("h:");
        items[2].Key.ShouldBe("u:https://parish.example/fete");
    }

    [Fact]
    public void NormalizeAll_SameEntryTwice_KeptOnce()
    {
        var items = ItemNormalizer.NormalizeAll([Entry(link: "https://news.example/1"), Entry(link: "https://news.example/1#again")], Feed, Now);

        items.Count.ShouldBe(1);
    }

    [Fact]
    public void Published_FutureDate_ClampedToNow() =>
        ItemNormalizer.Normalize(Entry(published: Now.AddDays(2)), Feed, Now)!.Published.ShouldBe(Now);

    [Fact]
    public void Published_Missing_UpdatedThenNow()
    {
        var updated = Now.AddHours(-5);

        ItemNormalizer.Normalize(Entry() with { Updated = updated }, Feed, Now)!.Published.ShouldBe(updated);
        ItemNormalizer.Normalize(Entry(), Feed, Now)!.Published.ShouldBe(Now);
    }
}
