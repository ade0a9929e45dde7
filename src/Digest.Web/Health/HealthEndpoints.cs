using System.Text.Json;
using Digest.Core.Storage;
using Digest.Discord;
using Digest.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Digest.Web.Health;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness; no dependency asked). <c>/readyz</c>: every check tagged
/// <see cref="ReadyTag"/> — the database, the scheduler (registered by the worker), the chat connections — as JSON; 503 when
/// one is unhealthy, 200 when all are healthy or degraded (a chat connection held by another worker, or not yet taken).
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapDigestHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}

/// <summary>The database answers a small read within the check's time.</summary>
internal sealed class DatabaseHealthCheck(ILeaseStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await store.GetLeasesAsync(timeout.Token);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("no answer within 5 s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message.Split('\n', 2)[0].Trim());
        }
    }
}

/// <summary>
/// Each chat connection that must be unique across workers (the Telegram long poll, the Discord gateway) is held by a
/// live worker. Degraded, not unhealthy, when none holds it: delivery through the outbox and webhooks go on without it.
/// </summary>
internal sealed class ChatConnectionsHealthCheck(ILeaseStore store, IServiceProvider services, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var wanted = new List<string>();
        if (services.GetService(typeof(IOptions<TelegramOptions>)) is IOptions<TelegramOptions> { Value: { Enabled: true } telegram })
        {
            wanted.Add(telegram.Mode == "webhook" ? "telegram (webhook)" : "telegram");
        }

        if (services.GetService(typeof(IOptions<DiscordOptions>)) is IOptions<DiscordOptions> { Value.HasBotToken: true })
        {
            wanted.Add("discord");
        }

        if (wanted.Count == 0)
        {
            return HealthCheckResult.Healthy("no chat connection configured (console only)");
        }

        IReadOnlyList<LeaseRecord> leases;
        try
        {
            leases = await store.GetLeasesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Degraded("lease holders unknown: " + e.Message.Split('\n', 2)[0].Trim());
        }

        var now = time.GetUtcNow();
        var states = new List<string>();
        var missing = false;
        foreach (var name in wanted)
        {
            if (name.EndsWith("(webhook)", StringComparison.Ordinal))
            {
                states.Add("telegram: webhook on this host");
                continue;
            }

            var lease = leases.FirstOrDefault(l => l.Name == name && l.ExpiresAt > now);
            missing |= lease is null;
            states.Add(lease is null ? $"{name}: not connected (no worker holds it yet)" : $"{name}: held by {lease.Holder}");
        }

        var description = string.Join("; ", states);
        return missing ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
    }
}
