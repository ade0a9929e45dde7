using System.Text.Json;
using Digest.Core.Summarization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

/// <summary>The chat backend against a local fake of an OpenAI-compatible endpoint (POST /v1/chat/completions).</summary>
public sealed class ChatKeyLinesTests : IAsyncLifetime
{
    private const string Story =
        "Kremlin spokesman Dmitry Peskov said on Monday that the amendments proposed by Kyiv and its European allies were unacceptable. "
        + "Ukraine said Russia had launched 1,300 drones and 1,000 guided bombs in a week. "
        + "The delegations will meet again in Miami after the holidays, officials said.";

    private static readonly SourceText Source = new("Kremlin rejects amendments to peace plan", Story, "Wire", new DateTimeOffset(2025, 12, 22, 9, 0, 0, TimeSpan.Zero));

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 12, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly TaskCompletionSource requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalServer server = null!;
    private string mode = "ok";
    private JsonDocument? lastRequest;
    private string? lastAuthorization;
    private string? configDirectory;

    public async ValueTask InitializeAsync()
    {
        server = await LocalServer.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            lastAuthorization = context.Request.Headers.Authorization.ToString();
            lastRequest = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            requestArrived.TrySetResult();
            switch (mode)
            {
                case "fail":
                    return Results.StatusCode(500);
                case "hang":
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return Results.StatusCode(500);
                default:
                    var answer = JsonSerializer.Serialize(new
                    {
                        lines = new object[]
                        {
                            new { text = "The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", speaker = "Dmitry Peskov" },
                            new { text = "Russia launched 1,300 drones and 1,000 guided bombs in a week.", speaker = "Vladimir Putin" },
                            new { text = "Both sides signed a permanent treaty ending all sanctions on grain exports yesterday.", speaker = (string?)null },
                        },
                    });
                    return Results.Json(new
                    {
                        id = "chatcmpl-1",
                        @object = "chat.completion",
                        created = 1766397600,
                        model = "test-model",
                        choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                        usage = new { prompt_tokens = 100, completion_tokens = 50, total_tokens = 150 },
                    });
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        lastRequest?.Dispose();
        await server.DisposeAsync();
        if (configDirectory is not null)
        {
            Directory.Delete(configDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Extract_ModelAnswers_KeepsGroundedLinesWithTheSpeakersTheSourcesName()
    {
        using var services = Services(new Uri(server.Url("/v1")));
        var extractor = services.GetRequiredService<IKeyLineExtractor>();

        var lines = await extractor.ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        extractor.ShouldBeOfType<ChatKeyLines>();
        lines.Select(l => (l.Text, l.Speaker)).ShouldBe([
            ("The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", "Dmitry Peskov"),
            ("Russia launched 1,300 drones and 1,000 guided bombs in a week.", null),
        ]);
        lastAuthorization.ShouldBe("Bearer test-key");
        lastRequest!.RootElement.GetProperty("model").GetString().ShouldBe("test-model");
        lastRequest.RootElement.GetProperty("messages").GetRawText().ShouldContain("1,300 drones");
    }

    [Fact]
    public async Task Extract_EndpointFails_FallsBackToExtractiveLines()
    {
        mode = "fail";
        using var services = Services(new Uri(server.Url("/v1")));

        var lines = await services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        var extractive = await services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);
        lines.ShouldBe(extractive);
        lines.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Extract_EndpointHangsPastTheTimeout_FallsBackToExtractiveLines()
    {
        mode = "hang";
        using var services = Services(new Uri(server.Url("/v1")));

        var pending = services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken).AsTask();
        await requestArrived.Task.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(21));
        var lines = await pending.WaitAsync(TestContext.Current.CancellationToken);

        var extractive = await services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);
        lines.ShouldBe(extractive);
    }

    [Fact]
    public void Services_LlmOffByDefault_UsesExtractiveLines()
    {
        using var services = Services(null);

        services.GetRequiredService<IKeyLineExtractor>().ShouldBeOfType<ExtractiveKeyLines>();
    }

    [Fact]
    public void Services_LlmOnWithoutEndpoint_StopsWithAMessageNamingTheKey()
    {
        using var services = Services(null, ("Summarization:Llm:Enabled", "true"), ("Summarization:Llm:Model", "m"));

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<SummarizationOptions>>().Value);

        error.Message.ShouldContain("Summarization:Llm:Endpoint");
    }

    [Fact]
    public void Services_ZeroLlmTimeout_IsRejected()
    {
        using var services = Services(null, ("Summarization:Llm:Timeout", "00:00:00"));

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<SummarizationOptions>>().Value);

        error.Message.ShouldContain("Timeout");
    }

    private ServiceProvider Services(Uri? endpoint, params (string Key, string Value)[] settings)
    {
        configDirectory = Directory.CreateTempSubdirectory("digest-keylines-").FullName;
        Directory.CreateDirectory(Path.Combine(configDirectory, "topics"));
        File.WriteAllText(Path.Combine(configDirectory, "topics", "talks.json"), """{ "id": "talks", "name": "Talks", "entities": [{ "name": "Kremlin", "aliases": [], "weight": 1 }] }""");
        var values = new Dictionary<string, string?> { ["Topic:Profile"] = "topics/talks.json" };
        if (endpoint is not null)
        {
            values["Summarization:Llm:Enabled"] = "true";
            values["Summarization:Llm:Endpoint"] = endpoint.ToString();
            values["Summarization:Llm:Model"] = "test-model";
            values["Summarization:Llm:ApiKey"] = "test-key";
        }

        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddDigestCore(configDirectory);
        return services.BuildServiceProvider();
    }
}
