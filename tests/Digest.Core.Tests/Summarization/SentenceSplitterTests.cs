using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

public sealed class SentenceSplitterTests
{
    [Fact]
    public void Split_TitlesAcronymsAndInitials_DoNotEndSentences()
    {
        var sentences = SentenceSplitter.Split(
            "Mr. Witkoff met U.S. Secretary of State Marco Rubio on Dec. 3 in Florida. John F. Kennedy Airport was closed. The talks went on.");

        sentences.ShouldBe([
            "Mr. Witkoff met U.S. Secretary of State Marco Rubio on Dec. 3 in Florida.",
            "John F. Kennedy Airport was closed.",
            "The talks went on.",
        ]);
    }

    [Fact]
    public void Split_AcronymBeforeSentenceOpener_EndsSentence()
    {
        SentenceSplitter.Split("The envoy flew back to the U.S. The Kremlin said nothing.")
            .ShouldBe(["The envoy flew back to the U.S.", "The Kremlin said nothing."]);
    }

    [Fact]
    public void Split_Numbers_StayInTheirSentence()
    {
        SentenceSplitter.Split("Russia launched 1,300 drones. Output fell 3.5% in the quarter.")
            .ShouldBe(["Russia launched 1,300 drones.", "Output fell 3.5% in the quarter."]);
    }

    [Fact]
    public void Split_QuoteSpanningSentences_StaysWithItsSpeaker()
    {
        SentenceSplitter.Split("\u201cWe are not there yet. The work goes on,\u201d Peskov told reporters. Talks resume on Monday.")
            .ShouldBe(["\u201cWe are not there yet. The work goes on,\u201d Peskov told reporters.", "Talks resume on Monday."]);
    }

    [Fact]
    public void Split_QuoteEndingASentence_EndsAfterTheClosingMark()
    {
        SentenceSplitter.Split("He said: \"The signals remain negative.\" Then he left.")
            .ShouldBe(["He said: \"The signals remain negative.\"", "Then he left."]);
    }

    [Fact]
    public void Split_Ellipsis_EndsOnlyBeforeACapital()
    {
        SentenceSplitter.Split("The plan was... almost ready. Then... Nothing happened.")
            .ShouldBe(["The plan was... almost ready.", "Then...", "Nothing happened."]);
    }

    [Fact]
    public void Split_CyrillicText_PassesThroughWhole()
    {
        SentenceSplitter.Split("Песков заявил, что В. Путин изучит план. Переговоры продолжатся в Майами!")
            .ShouldBe(["Песков заявил, что В. Путин изучит план.", "Переговоры продолжатся в Майами!"]);
    }

    [Fact]
    public void Split_LineBreaks_EndParagraphs()
    {
        SentenceSplitter.Split("Kremlin Downplays Progress\nMoscow confirmed its envoy is in the United States.")
            .ShouldBe(["Kremlin Downplays Progress", "Moscow confirmed its envoy is in the United States."]);
    }
}
