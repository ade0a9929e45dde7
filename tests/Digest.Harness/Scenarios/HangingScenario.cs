using Digest.Harness.Infrastructure;

namespace Digest.Harness.Scenarios;

internal static class HangingScenario
{
    public static Task<Report> RunAsync(HarnessOptions options) => throw new NotImplementedException();
}
