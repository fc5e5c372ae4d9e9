using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// How loaded models are kept and how requests reach them. Bound from <c>ModelFunctions:Serving</c>.
/// </summary>
public sealed class ServingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:Serving";

    /// <summary>
    /// Memory budget for loaded models, in bytes, estimated from their file sizes; least recently used versions
    /// are unloaded beyond it (the production version of each model is kept when it alone exceeds it). Default 4 GiB.
    /// </summary>
    [Range(1L << 20, long.MaxValue)]
    public long CacheBudgetBytes { get; set; } = 4L << 30;

    /// <summary>Local folder where model files are copied before loading. Default: a folder under the temp path.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>How long the serving path trusts its copy of a model's state (production, canary). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StateRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a request waits for a model's state to be read again once its copy is stale. When the store answers
    /// later (or not at all, during an outage) the request is served from the copy it has, and the read goes on in
    /// the background, so loaded versions keep serving while the store is away. Default 0.5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StateRefreshWait { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Longest an inference may take before it is cancelled (504). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
