using System.Text.Json;
using Digest.Core.Summarization;
using Digest.Worker.Hosting;
using Digest.Worker.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Digest.Worker.Tests.Hosting;

/// <summary>
/// The chat model the composition root builds for <c>Summarization:Llm</c> (the OpenAI SDK over the named HTTP client),
/// against a local fake of an OpenAI-compatible endpoint (POST /v1/chat/completions).
/// </summary>
public sealed class ChatModelTests : IAsyncLifetime
{
    private static readonly SourceText Source = new(
        "Kremlin rejects amendments to peace plan",
        "Kremlin spokesman Dmitry Peskov said on Monday that the amendments proposed by Kyiv and its European allies were unacceptable. "
        + "Ukraine said Russia had launched 1,300 drones and 1,000 guided bombs in a week.",
        "Wire",
        new DateTimeOffset(2025, 12, 22, 9, 0, 0, TimeSpan.Zero));

    private readonly TestSupport.Cli files = new();
    private WebApplication endpoint = null!;
    private string endpointUrl = "";
    private int status = 200;
    private string? authorization;
    private string? model;
    private string? prompt;
    private int requests;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        endpoint = builder.Build();
        endpoint.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Interlocked.Increment(ref requests);
            authorization = context.Request.Headers.Authorization.ToString();
            using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            model = request.RootElement.GetProperty("model").GetString();
            prompt = request.RootElement.GetProperty("messages").GetRawText();
            if (status != 200)
            {
                return Results.StatusCode(status);
            }

            var answer = JsonSerializer.Serialize(new { lines = new[] { new { text = "The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", speaker = "Dmitry Peskov" } } });
            return Results.Json(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                created = 1766397600,
                model = "test-model",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 100, completion_tokens = 20, total_tokens = 120 },
            });
        });
        await endpoint.StartAsync(TestContext.Current.CancellationToken);
        endpointUrl = endpoint.Urls.Single() + "/v1";
    }

    public async ValueTask DisposeAsync()
    {
        await endpoint.StopAsync(CancellationToken.None);
        await endpoint.DisposeAsync();
        files.Dispose();
    }

    private IHost Host(params string[] settings) => DigestHost.Build(
        HostMode.Tool,
        [$"--Storage:ConnectionString=Data Source={files.Database}", .. settings],
        TextWriter.Null,
        "text",
        configDirectory: TestConfig.Create(files.Directory));

    private IHost LlmHost() => Host(
        "--Summarization:Llm:Enabled=true",
        $"--Summarization:Llm:Endpoint={endpointUrl}",
        "--Summarization:Llm:Model=test-model",
        "--Summarization:Llm:ApiKey=test-key");

    [Fact]
    public async Task LlmOn_KeyLinesComeFromTheEndpointWithTheKeyAndModelConfigured()
    {
        using var host = LlmHost();
        var extractor = host.Services.GetRequiredService<IKeyLineExtractor>();

        var lines = await extractor.ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        extractor.ShouldBeOfType<ChatKeyLines>();
        lines.Select(l => (l.Text, l.Speaker)).ShouldBe([("The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", "Dmitry Peskov")]);
        authorization.ShouldBe("Bearer test-key");
        model.ShouldBe("test-model");
        prompt.ShouldNotBeNull().ShouldContain("1,300 drones");
    }

    [Fact]
    public async Task LlmOn_EndpointAnswers500_ExtractiveLinesAfterOneRequest()
    {
        status = 500;
        using var host = LlmHost();

        var lines = await host.Services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        lines.ShouldBe(await host.Services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken));
        requests.ShouldBe(1); // no retries of the SDK's own: the extractive lines are the fallback
    }

    [Fact]
    public void LlmOff_NoChatModelIsUsed()
    {
        using var host = Host();

        host.Services.GetRequiredService<IKeyLineExtractor>().ShouldBeOfType<ExtractiveKeyLines>();
    }
}
