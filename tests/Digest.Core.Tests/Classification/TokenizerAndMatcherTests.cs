using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TokenizerAndMatcherTests
{
    [Fact]
    public void Tokenize_PossessivesPluralsAndHyphens_FoldToTheSameWords()
    {
        Tokenizer.Tokenize("Trump’s 28-point plan: Peace talks, guarantees & allies' U.S. envoys")
            .ShouldBe(["trump", "28", "point", "plan", "peace", "talk", "guarantee", "ally", "u", "s", "envoy"]);
    }

    [Fact]
    public void Match_MultiWordSpellings_FindsEachTermOnceInOrder()
    {
        var matcher = new TermMatcher([["security guarantees", "security assurances"], ["Abu Dhabi"], ["talks"]]);

        var found = matcher.Match(Tokenizer.Tokenize("Talks in Abu Dhabi on security guarantee; more talks on security assurances"));

        found.ShouldBe([2, 1, 0]);
    }

    [Fact]
    public void Match_PartOfASpelling_DoesNotMatch()
    {
        var matcher = new TermMatcher([["Abu Dhabi"]]);

        matcher.Match(Tokenizer.Tokenize("Abu Ghraib anniversary")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Leaders try to end the war before winter", true)]
    [InlineData("Envoys seek to end Russia's war on Ukraine", true)]
    [InlineData("Trump wants to end the war", true)]
    [InlineData("Rally to end a long day of protests over the war", false)]
    [InlineData("The war will not end soon", false)]
    public void Match_SpellingWithAGap_AllowsUpToThreeWordsBetween(string text, bool found)
    {
        var matcher = new TermMatcher([["end … war"]]);

        (matcher.Match(Tokenizer.Tokenize(text)).Count == 1).ShouldBe(found);
    }

    [Fact]
    public void Hits_ReportWhereEachTermStartsAndHowLongItIs()
    {
        var matcher = new TermMatcher([["White House", "Washington"], ["Kyiv"]]);

        var hits = matcher.Hits(Tokenizer.Tokenize("White House sends draft to Kyiv, Washington says"));

        hits.ShouldBe([new TermHit(0, 0, 2), new TermHit(1, 5, 1), new TermHit(0, 6, 1)]);
    }
}
