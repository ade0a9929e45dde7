using Digest.Core.Classification;
using Digest.Tests.Shared;

namespace Digest.Core.Tests.Classification;

public sealed class TokenizerAndMatcherTests
{
    [Fact]
    public void Tokenize_PossessivesPluralsAndHyphens_FoldToTheSameWords()
    {
        Tokenizer.Tokenize("Trump’s 28-point plan: Peace talks, guarantees & allies' U.S. envoys")
            .ShouldBe(["trump", "28", "point", "plan", "peace", "talk", "guarantee", "ally", "u", "s", "envoy"]);
    }

    [Theory]
    [InlineData("One two three four", 2)]
    [InlineData("Trump's envoy's plan's talks", 2)]
    [InlineData("Kyiv’s plan. Don't talk's end", 3)]
    [InlineData("allies' U.S. envoys' talks's", 2)]
    [InlineData("short", 40)]
    [InlineData("ends on a word", 4)]
    [InlineData("ends on a word's", 4)]
    [InlineData("ends on a word's ", 4)]
    [InlineData("--  a  --  b  --", 1)]
    public void Opening_TokenizedAlone_GivesTheSameFirstTokens(string text, int tokens)
    {
        var opening = Tokenizer.Opening(text, tokens);

        Tokenizer.Tokenize(opening).ShouldBe(Tokenizer.Tokenize(text, tokens));
        text.ShouldStartWith(opening);
    }

    [Fact]
    public void Opening_OfArticles_GivesTheSameFortyTokens()
    {
        // BBC articles as summaries: long texts with quotes, possessives and figures.
        var summaries = Directory.EnumerateFiles(SharedData.PathOf("data/summaries/bbc/article"), "*.txt", SearchOption.AllDirectories)
            .Select(File.ReadAllText).ToList();

        foreach (var summary in summaries)
        {
            Tokenizer.Tokenize(Tokenizer.Opening(summary, 40)).ShouldBe(Tokenizer.Tokenize(summary, 40), summary);
        }

        summaries.Sum(s => Tokenizer.Opening(s, 40).Length).ShouldBeLessThan(summaries.Sum(s => s.Length));
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
