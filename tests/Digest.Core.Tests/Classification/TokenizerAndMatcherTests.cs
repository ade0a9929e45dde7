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
}
