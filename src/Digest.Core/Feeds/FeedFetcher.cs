using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Feeds;

internal enum FetchStatus
{
    Ok,
    NotModified,
    Failed,
}

/// <summary>A conditional request for a feed or page.</summary>
internal sealed record FetchRequest(string Location, string? ETag = null, string? LastModified = null);

/// <summary>What came back: the body (decompressed, within the cap), the validators to send next time, or a reason.</summary>
internal sealed record FetchResult(
    FetchStatus Status,
    byte[]? Body,
    string? MediaType,
    string? Charset,
    string? ETag,
    string? LastModified,
    string? Error,
    string FinalLocation)
{
    public static FetchResult Fail(string location, string error) => new(FetchStatus.Failed, null, null, null, null, null, error, location);
}

/// <summary>
/// Fetches feeds and pages politely and safely: conditional GET, compression, a timeout, a body cap checked while
/// streaming (after decompression), a bounded number of redirects, per-host and global concurrency limits
/// (<see cref="FetchGates"/>), and the address guard. Local files (<c>file:</c> URIs and paths) are read under the same cap.
/// A typed client: transient, so it keeps no state of its own.
/// </summary>
internal sealed partial class FeedFetcher(HttpClient http, FetchGates gates, IOptions<FeedsOptions> options, ConfigPaths paths, ILogger<FeedFetcher> logger)
{
    private readonly FeedsOptions options = options.Value;

    /// <summary>How long one request may take (<c>Feeds:Timeout</c>).</summary>
    public TimeSpan Timeout => options.Timeout;

    /// <summary>The limits a document fetched here is parsed within (<c>Feeds:MaxDepth</c>, <c>Feeds:ParseTimeout</c>).</summary>
    public FeedParseLimits ParseLimits => new(options.MaxDepth, options.ParseTimeout);

    /// <summary>Configures the primary handler: no automatic redirects (we follow them ourselves, counted) and the address guard at connect time.</summary>
    public static SocketsHttpHandler CreateHandler(FeedsOptions options) => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        UseCookies = false,

        // A proxy would make the guard below see the proxy's address instead of the feed's.
        UseProxy = false,
        ConnectTimeout = options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, token) => ConnectAsync(context, options.AllowPrivateAddresses, token),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} has no address");
        }

        if (!allowPrivate)
        {
            foreach (var address in addresses)
            {
                if (AddressGuard.WhyBlocked(address) is { } why)
                {
                    throw new BlockedAddressException(host, address, why);
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<FetchResult> FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        if (LocalPath(request.Location) is { } path)
        {
            return await ReadFileAsync(request.Location, path, cancellationToken);
        }

        if (!Uri.TryCreate(request.Location, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return FetchResult.Fail(request.Location, $"'{SafeUrl.Redact(request.Location)}' is not an http(s) URL, a file: URI or an existing path");
        }

        if (IsReservedName(uri.Host))
        {
            return FetchResult.Fail(request.Location, $"{uri.Host} is a reserved name that never resolves (RFC 2606); not fetched");
        }

        using var lease = await gates.EnterAsync(uri.Host, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await FetchHttpAsync(uri, request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Fail(request.Location, string.Create(CultureInfo.InvariantCulture, $"timed out after {options.Timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException e) when (FindBlocked(e) is { } blocked)
        {
            return FetchResult.Fail(request.Location, $"refused: {blocked.Message}");
        }
        catch (HttpRequestException e)
        {
            return FetchResult.Fail(request.Location, SafeUrl.RedactIn($"request failed: {Innermost(e).Message}"));
        }
        catch (IOException e)
        {
            return FetchResult.Fail(request.Location, $"connection failed: {Innermost(e).Message}");
        }
        catch (InvalidDataException e)
        {
            return FetchResult.Fail(request.Location, $"bad compressed body: {e.Message}");
        }
    }

    private async Task<FetchResult> FetchHttpAsync(Uri uri, FetchRequest request, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, current);
            message.Headers.UserAgent.ParseAdd(options.UserAgent);
            message.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, text/html;q=0.7, */*;q=0.5");
            if (request.ETag is { Length: > 0 } etag)
            {
                // Sent back as the server wrote it: some servers send validators that are not quoted strings.
                message.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            if (request.LastModified is { Length: > 0 } lastModified
                && DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                message.Headers.IfModifiedSince = since;
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (IsRedirect(response.StatusCode))
            {
                if (hop >= options.MaxRedirects)
                {
                    return FetchResult.Fail(request.Location, $"too many redirects (more than {options.MaxRedirects})");
                }

                if (response.Headers.Location is not { } location)
                {
                    return FetchResult.Fail(request.Location, $"redirect {(int)response.StatusCode} without a Location header");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    return FetchResult.Fail(request.Location, $"redirect to a non-http URL ({next.Scheme}:)");
                }

                current = next;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FetchResult(
                    FetchStatus.NotModified, null, null, null, ETagOf(response) ?? request.ETag, LastModifiedOf(response) ?? request.LastModified, null, current.ToString());
            }

            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Fail(request.Location, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }

            var declared = response.Content.Headers.ContentLength;
            if (declared > options.MaxBodyBytes)
            {
                return FetchResult.Fail(request.Location, string.Create(CultureInfo.InvariantCulture, $"body too large: {declared:N0} bytes declared, the limit is {options.MaxBodyBytes:N0} bytes"));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var body = await ReadCappedAsync(stream, options.MaxBodyBytes, cancellationToken);
            if (body is null)
            {
                return FetchResult.Fail(request.Location, string.Create(CultureInfo.InvariantCulture, $"body too large: more than the limit of {options.MaxBodyBytes:N0} bytes (counted after decompression)"));
            }

            var contentType = response.Content.Headers.ContentType;
            var shownUrl = SafeUrl.Redact(current.ToString());
            LogFetched(logger, shownUrl, body.Length);
            return new FetchResult(
                FetchStatus.Ok,
                body,
                contentType?.MediaType,
                contentType?.CharSet,
                ETagOf(response),
                LastModifiedOf(response),
                null,
                current.ToString());
        }
    }

    private async Task<FetchResult> ReadFileAsync(string location, string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path))
            {
                return FetchResult.Fail(location, $"{path} is a folder, not a feed file");
            }

            if (!info.Exists)
            {
                return FetchResult.Fail(location, $"file not found: {path}");
            }

            if (info.Length > options.MaxBodyBytes)
            {
                return FetchResult.Fail(location, string.Create(CultureInfo.InvariantCulture, $"file too large: {info.Length:N0} bytes, the limit is {options.MaxBodyBytes:N0} bytes"));
            }

            var body = await File.ReadAllBytesAsync(path, cancellationToken);
            var mediaType = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/feed+json" : "application/xml";
            return new FetchResult(FetchStatus.Ok, body, mediaType, null, null, null, null, location);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FetchResult.Fail(location, $"can't read {path}: {e.Message}");
        }
    }

    /// <summary>A local path for a <c>file:</c> URI or a path; relative paths resolve against the config folder.</summary>
    internal string? LocalPath(string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            return uri.IsFile ? uri.LocalPath : null;
        }

        return paths.Resolve(location);
    }

    internal static async Task<byte[]?> ReadCappedAsync(Stream stream, long cap, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string? ETagOf(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("ETag", out var values) ? values.FirstOrDefault(v => v.Length > 0) : null;

    private static string? LastModifiedOf(HttpResponseMessage response) => response.Content.Headers.LastModified?.ToString("R");

    /// <summary>Names under .example, .invalid and .test never resolve: asking DNS would only leak a query (the bundled samples link to them).</summary>
    internal static bool IsReservedName(string host) =>
        host.EndsWith(".example", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".test", StringComparison.OrdinalIgnoreCase) || host is "example" or "invalid" or "test";

    private static bool IsRedirect(HttpStatusCode code) => code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static BlockedAddressException? FindBlocked(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is BlockedAddressException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched {FeedUrl}: {Bytes} bytes")]
    private static partial void LogFetched(ILogger logger, string feedUrl, int bytes);
}
