namespace Digest.Core.Delivery;

/// <summary>
/// One call to a chat platform under its own timeout. A timeout is the platform's failure, never a shutdown: it comes out
/// as a <see cref="TimeoutException"/>, so only a cancelled <c>cancellationToken</c> surfaces as a cancellation.
/// </summary>
internal static class PlatformCall
{
    public static async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Ours, or the HttpClient's own timeout: either way the platform did not answer in time.
            throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    public static Task WithTimeoutAsync(Func<CancellationToken, Task> call, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WithTimeoutAsync<bool>(
            async token =>
            {
                await call(token);
                return true;
            },
            timeout,
            time,
            cancellationToken);
}
