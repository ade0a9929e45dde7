using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Digest.Harness.Infrastructure;

/// <summary>A line a process wrote, and when (since the harness started the process).</summary>
internal sealed record OutputLine(TimeSpan At, string Text);

/// <summary>
/// A real <c>digest</c> process (the <c>digest.dll</c> built next to the harness, run with <c>dotnet</c>), its output kept
/// line by line with timestamps, and its memory and CPU sampled from <c>/proc/&lt;pid&gt;</c> while it runs: peak RSS is
/// the kernel's high-water mark (VmHWM), so a short peak between two samples is not missed.
/// </summary>
internal sealed class DigestProcess : IAsyncDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Process process;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource stopSampling = new();
    private readonly Task sampling;
    private readonly bool echo;
    private long peakKb;
    private long lastRssKb;
    private long cpuTicks;

    private DigestProcess(Process process, bool echo)
    {
        this.process = process;
        this.echo = echo;
        process.OutputDataReceived += (_, e) => Keep(Output, e.Data, "out");
        process.ErrorDataReceived += (_, e) => Keep(Errors, e.Data, "err");
        process.Start();
        Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        sampling = SampleAsync(stopSampling.Token);
    }

    public static string DigestDll => Path.Combine(AppContext.BaseDirectory, "digest.dll");

    public int Id { get; }

    public ConcurrentQueue<OutputLine> Output { get; } = new();

    public ConcurrentQueue<OutputLine> Errors { get; } = new();

    public TimeSpan Elapsed => clock.Elapsed;

    public bool HasExited => process.HasExited;

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>The peak resident set (VmHWM) seen so far, in MB.</summary>
    public double PeakRssMb => Interlocked.Read(ref peakKb) / 1024.0;

    /// <summary>The resident set at the last sample, in MB.</summary>
    public double RssMb => Interlocked.Read(ref lastRssKb) / 1024.0;

    /// <summary>User + system CPU time at the last sample (at most 100 ms stale).</summary>
    public TimeSpan CpuTime => TimeSpan.FromSeconds(Interlocked.Read(ref cpuTicks) / TicksPerSecond);

    /// <summary>Starts <c>digest {verb} {arguments}</c> with <paramref name="environment"/> added to the harness's own.</summary>
    public static DigestProcess Start(string verb, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool echo = false)
    {
        if (!File.Exists(DigestDll))
        {
            throw new FileNotFoundException($"{DigestDll} is missing: build the harness (it references src/Digest.Worker)");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(DigestDll);
        start.ArgumentList.Add(verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new DigestProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, echo);
    }

    /// <summary>Runs a verb to its end and returns its exit code and standard output (for <c>status</c> and the like).</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string verb, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        await using var run = Start(verb, arguments, environment);
        var exit = await run.WaitForExitAsync(timeout) ?? -1;
        return (exit, string.Join('\n', run.Output.Select(l => l.Text)), string.Join('\n', run.Errors.Select(l => l.Text)));
    }

    /// <summary>Waits for the process to end; null if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return process.ExitCode;
    }

    /// <summary>kill -9: no shutdown hooks, no lease release, claims left behind.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        await StopSamplingAsync();
    }

    /// <summary>SIGTERM (what Ctrl-C or <c>docker stop</c> sends), then kill -9 if it has not ended within <paramref name="grace"/>.</summary>
    public async Task<(int? Exit, TimeSpan Took)> TerminateAsync(TimeSpan grace)
    {
        var watch = Stopwatch.StartNew();
        if (!process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
            await kill!.WaitForExitAsync();
        }

        var exit = await WaitForExitAsync(grace);
        var took = watch.Elapsed;
        if (exit is null)
        {
            await KillAsync();
        }

        await StopSamplingAsync();
        return (exit, took);
    }

    /// <summary>Waits until a line of standard error (logs) or output matches; false after <paramref name="timeout"/> or if the process ended.</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int skip = 0)
    {
        var until = clock.Elapsed + timeout;
        while (clock.Elapsed < until)
        {
            if (Errors.Skip(skip).Any(l => match(l.Text)) || Output.Any(l => match(l.Text)))
            {
                return true;
            }

            if (process.HasExited)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The last lines of standard error, for a report when something went wrong.</summary>
    public string Tail(int lines = 15) => string.Join('\n', Errors.TakeLast(lines).Select(l => l.Text));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await StopSamplingAsync();
        process.Dispose();
        stopSampling.Dispose();
    }

    private async Task StopSamplingAsync()
    {
        await stopSampling.CancelAsync();
        try
        {
            await sampling;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Keep(ConcurrentQueue<OutputLine> lines, string? text, string stream)
    {
        if (text is null)
        {
            return;
        }

        lines.Enqueue(new OutputLine(clock.Elapsed, text));
        if (echo)
        {
            Console.Error.WriteLine($"  [{Id} {stream}] {text}");
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        var status = $"/proc/{Id}/status";
        var stat = $"/proc/{Id}/stat";
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync(status, cancellationToken))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = Kb(line);
                        if (kb > Interlocked.Read(ref peakKb))
                        {
                            Interlocked.Exchange(ref peakKb, kb);
                        }
                    }
                    else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        Interlocked.Exchange(ref lastRssKb, Kb(line));
                    }
                }

                // Fields after the command name (which may hold spaces, so read from the closing parenthesis): utime is
                // field 14 and stime field 15 of the whole line, i.e. the 12th and 13th after ")".
                var text = await File.ReadAllTextAsync(stat, cancellationToken);
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                Interlocked.Exchange(ref cpuTicks, long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended between two samples.
                if (process.HasExited)
                {
                    return;
                }
            }

            await Task.Delay(SampleEvery, cancellationToken);
        }
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
