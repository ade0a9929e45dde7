using Digest.Core.Classification;
using Digest.Core.Summarization;

namespace Digest.Core.Tests.Classification;

public sealed class TokenPoolTests
{
    [Fact]
    public void Get_WordMetBefore_ReturnsTheSameString()
    {
        var pool = new TokenPool(1024);
        var first = pool.Get("ceasefire talks".AsSpan(0, 9));

        var again = pool.Get("the ceasefire".AsSpan(4));

        again.ShouldBe("ceasefire");
        again.ShouldBeSameAs(first);
    }

    [Fact]
    public void Get_AnotherWordInTheSlot_TakesItAndKeepsTheSpelling()
    {
        var pool = new TokenPool(1);
        var talks = pool.Get("talks");
        pool.Get("envoy").ShouldBe("envoy");

        var again = pool.Get("talks");

        again.ShouldBe("talks");
        again.ShouldNotBeSameAs(talks);
        pool.Get("talks").ShouldBeSameAs(again);
    }

    [Fact]
    public void Get_WordLongerThanTheLimit_IsMadeAfresh()
    {
        var pool = new TokenPool(1024);
        var word = new string('x', TokenPool.MaxLength + 1);

        var first = pool.Get(word);

        first.ShouldBe(word);
        pool.Get(word).ShouldNotBeSameAs(first);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void New_SlotsNotAPowerOfTwo_Throws(int slots) => Should.Throw<ArgumentOutOfRangeException>(() => new TokenPool(slots));

    [Fact]
    public void Tokenize_PluralsInIes_FoldAsBefore()
    {
        Tokenizer.Tokenize("Countries, Allies and PARTIES agree; cities ties")
            .ShouldBe(["country", "ally", "and", "party", "agree", "city", "tie"]);
    }

    [Fact]
    public void WordsTokens_LongAndNonLatinWords_LowerCasedAsTheWholeWordWould()
    {
        var text = "İSTANBUL ΑΘΗΝΑ Kremlin's 1,300 " + new string('Q', TokenPool.MaxLength + 5);

        Words.Tokens(text).ShouldBe(["İSTANBUL".ToLowerInvariant(), "ΑΘΗΝΑ".ToLowerInvariant(), "kremlin's", "1,300", new string('q', TokenPool.MaxLength + 5)]);
    }
}
