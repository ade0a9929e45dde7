using System.Xml;
using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Feeds;

/// <summary>The feeds the operator configured (the <c>Feeds</c> section and its OPML file), kept in step with the store.</summary>
internal sealed class FeedCatalog(IFeedStore feedStore, IOptions<FeedsOptions> options, ConfigPaths paths)
{
    /// <summary>Stores the configured feeds (or <paramref name="overrides"/> instead) and returns them as stored.</summary>
    public async Task<IReadOnlyList<FeedRecord>> SyncAsync(IReadOnlyList<string>? overrides, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var wanted = overrides is { Count: > 0 }
            ? overrides.Select(u => new FeedSourceOptions { Url = u }).ToList()
            : [.. settings.Sources, .. ReadOpml(settings.Opml)];

        var feeds = new List<FeedRecord>();
        foreach (var source in wanted.DistinctBy(s => s.Url))
        {
            var name = string.IsNullOrWhiteSpace(source.Name) ? null : source.Name;
            feeds.Add(await feedStore.UpsertFeedAsync(source.Url, name, NameFor(source.Url), source.Interval ?? settings.DefaultInterval, cancellationToken));
        }

        return feeds;
    }

    private List<FeedSourceOptions> ReadOpml(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return [];
        }

        var path = paths.Resolve(file) ?? throw new OptionsValidationException(FeedsOptions.SectionName, typeof(FeedsOptions), [$"Feeds:Opml: no file at '{file}'"]);
        try
        {
            return Opml.Parse(File.ReadAllText(path)).Select(f => new FeedSourceOptions { Url = f.Url, Name = f.Name }).ToList();
        }
        catch (XmlException e)
        {
            throw new OptionsValidationException(FeedsOptions.SectionName, typeof(FeedsOptions), [$"Feeds:Opml: '{file}' is not valid OPML: {e.Message}"]);
        }
    }

    /// <summary>A readable default name: the host for a URL, the file name for a path.</summary>
    public static string NameFor(string location) => Uri.TryCreate(location, UriKind.Absolute, out var uri) && !uri.IsFile
        ? uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host
        : Path.GetFileNameWithoutExtension(location);
}
