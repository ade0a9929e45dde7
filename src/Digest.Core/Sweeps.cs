namespace Digest.Core;

/// <summary>The recovery sweep every worker runs beside its loops: once at start, then every interval until the stop.</summary>
internal static class Sweeps
{
    /// <summary>Runs <paramref name="sweep"/> now and after every <paramref name="interval"/> until <paramref name="stoppingToken"/> fires.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> sweep, TimeSpan interval, TimeProvider time, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await sweep(stoppingToken);
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
