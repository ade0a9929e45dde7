using Digest.Core.Pipeline;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Jobs;

/// <summary>
/// The process and refresh stages as loops on every worker, from start to stop: woken when this worker stores items or
/// changes stories, and sweeping every few seconds for work anybody left (another worker's polls, a crash, a kill -9).
/// </summary>
internal sealed class PipelineService(ProcessStage process, RefreshStage refresh) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(process.RunAsync(null, stoppingToken), refresh.RunAsync(null, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left stays in the store for the next start or another worker.
        }
    }
}
