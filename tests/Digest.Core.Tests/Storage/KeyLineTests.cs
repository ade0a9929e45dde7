using Digest.Core.Storage;

namespace Digest.Core.Tests.Storage;

public sealed class KeyLineTests
{
    [Theory]
    [InlineData("Harbour minister Ada Lind said the treaty would be signed on Monday.", "Ada Lind", null)]
    [InlineData("\"The ports reopen in a month,\" Lind told reporters.", "Ada Lind", null)]
    [InlineData("The Harbour Office declined to comment on the talks.", "the Harbour Office", null)]
    [InlineData("Norland and Estmark said in Veldt that the ports would reopen.", "Norland; Estmark", null)]
    [InlineData("The draft was handed to President Ilya Marek, according to his office.", "Ilya Marek's office", null)]
    [InlineData("He said the envoys would travel to Veldt next week.", "Ilya Marek", "Ilya Marek")]
    [InlineData("\"The ports reopen in a month,\" the minister said.", "Ada Lind", "Ada Lind")]
    [InlineData("Norland said the ports would reopen within a month.", "Norland; Estmark", "Norland; Estmark")]
    [InlineData("Linden trees line the harbour road, the mayor said.", "Ada Lind", "Ada Lind")]
    [InlineData("The ports reopen in a month.", null, null)]
    public void Credit_TheLineNamesItsSpeaker_TheSpeakerIsShownOnce(string text, string? speaker, string? credit)
    {
        new KeyLine(text, speaker).Credit().ShouldBe(credit);
    }
}
