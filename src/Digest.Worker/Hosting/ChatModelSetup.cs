using System.ClientModel;
using System.ClientModel.Primitives;
using Digest.Core.Summarization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Digest.Worker.Hosting;

/// <summary>The chat model behind <c>Summarization:Llm</c>: the OpenAI SDK lives here, Core sees only <see cref="IChatClient"/>.</summary>
internal static class ChatModelSetup
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client the chat endpoint is called with.</summary>
    public const string HttpClientName = "Summarization.Llm";

    /// <summary>
    /// An OpenAI-compatible chat endpoint over the named <see cref="IHttpClientFactory"/> client, without the SDK's own
    /// retries or timeout (the extractive lines are the fallback, and <c>Summarization:Llm:Timeout</c> the limit). Built
    /// only when something asks for it, which Core does only with <c>Summarization:Llm:Enabled</c>.
    /// </summary>
    public static IServiceCollection AddChatModel(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName);
        services.AddSingleton<IChatClient>(sp =>
        {
            var llm = sp.GetRequiredService<IOptions<SummarizationOptions>>().Value.Llm;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            var client = new OpenAIClient(
                new ApiKeyCredential(string.IsNullOrEmpty(llm.ApiKey) ? "unused" : llm.ApiKey),
                new OpenAIClientOptions
                {
                    Endpoint = llm.Endpoint,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = Timeout.InfiniteTimeSpan,
                });
            return client.GetChatClient(llm.Model).AsIChatClient();
        });
        return services;
    }
}
