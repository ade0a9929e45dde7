using System.Diagnostics;

namespace Digest.Harness.Infrastructure;

/// <summary>Progress lines on standard error (the report goes to standard output), stamped with the run's elapsed time.</summary>
internal static class Progress
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Say(string text) => Console.Error.WriteLine($"[{Clock.Elapsed:hh\\:mm\\:ss}] {text}");
}
