using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Digest.Worker.Jobs;

/// <summary>For <c>/readyz</c>: Quartz is running (not still starting, in standby or shut down).</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("running")
            : HealthCheckResult.Unhealthy($"scheduler {scheduler.Status.ToString().ToLowerInvariant()}");
    }
}
