using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Discord.Tests.TestSupport;

internal static class TestServices
{
    /// <summary>The adapter as a host would register it, pointed at the fake, on the given clock.</summary>
    public static ServiceProvider Create(FakeDiscord fake, TimeProvider time, Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Discord:BotToken"] = FakeDiscord.BotToken,
            ["Discord:ApiBaseUrl"] = fake.ApiUrl,

            // Tests move a fake clock on while real requests are in flight: a long timeout keeps a slow machine from turning
            // that into a timeout. Tests of timeouts set their own.
            ["Discord:RequestTimeout"] = "00:10:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<Digest.Core.ICron, Digest.Worker.Jobs.QuartzCron>();
        services.AddDigestDiscord(configuration);
        services.AddSingleton<ScriptedHandler>();
        services.AddSingleton<Digest.Discord.Interactions.IDiscordInteractionHandler>(sp => sp.GetRequiredService<ScriptedHandler>());
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Moves the fake clock on until the task finishes (the task's own I/O runs on real time in between).</summary>
    public static async Task<T> AdvanceUntilDone<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        await AdvanceUntilDone(time, (Task)task, step);
        return await task;
    }

    public static async Task AdvanceUntilDone(this FakeTimeProvider time, Task task, TimeSpan step)
    {
        for (var i = 0; i < 20_000 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(2));
            if (!task.IsCompleted)
            {
                time.Advance(step);
            }
        }

        await task;
    }
}
