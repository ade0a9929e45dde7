using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

public sealed class AttributionTests
{
    private const string Story = "Kremlin spokesman Dmitry Peskov spoke on Friday. Ukrainian President Volodymyr Zelenskyy spoke too.";

    [Theory]
    [InlineData("\"The amendments are unacceptable,\" Peskov said.", "Dmitry Peskov")]
    [InlineData("\"The amendments are unacceptable,\" said Peskov.", "Dmitry Peskov")]
    [InlineData("\u201cThe signals remain negative,\u201d Ukrainian President Volodymyr Zelenskyy told reporters.", "Volodymyr Zelenskyy")]
    [InlineData("The envoy will report to Moscow, according to Kremlin spokesman Dmitry Peskov.", "Dmitry Peskov")]
    [InlineData("Zelenskyy told European leaders that the drones kept coming.", "Volodymyr Zelenskyy")]
    [InlineData("Kremlin spokesman Dmitry Peskov stated that the envoy will review the proposals.", "Dmitry Peskov")]
    [InlineData("Marco Rubio, the US secretary of state, said the talks were productive.", "Marco Rubio")]
    public void SpeakerOf_ReportedSpeech_NamesTheSpeakerInFull(string sentence, string speaker)
    {
        Attribution.SpeakerOf(sentence, Story + " " + sentence, null).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The talks centred on a 20-point peace plan.")]
    [InlineData("Analysts said the plan was unlikely to survive.")]
    [InlineData("In Miami, the delegations met for three days.")]
    public void SpeakerOf_NoReportedSpeech_IsNull(string sentence)
    {
        Attribution.SpeakerOf(sentence, Story, null).ShouldBeNull();
    }

    [Fact]
    public void SpeakerOf_PronounAfterQuote_IsThePreviousSpeaker()
    {
        Attribution.SpeakerOf("\"We will see,\" he said.", Story, "Dmitry Peskov").ShouldBe("Dmitry Peskov");
    }
}
