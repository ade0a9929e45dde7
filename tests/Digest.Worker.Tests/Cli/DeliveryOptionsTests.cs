namespace Digest.Worker.Tests.Cli;

public sealed class DeliveryOptionsTests
{
    [Theory]
    [InlineData("--Delivery:MaxAttempts=0", "Delivery:MaxAttempts")]
    [InlineData("--Delivery:RetryMax=00:00:01", "Delivery:RetryBase: must not be longer than Delivery:RetryMax")]
    public async Task Run_BadDeliverySetting_StopsAtStartNamingTheKey(string setting, string message)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["run", setting]);

        exit.ShouldBe(3);
        errors.ShouldContain(message);
    }
}
