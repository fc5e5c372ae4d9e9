namespace ModelFunctions.Core.Storage;

/// <summary>
/// An open blob: its properties and a stream of its content as of <see cref="BlobItem.ETag"/>.
/// </summary>
public sealed class BlobDownload : IAsyncDisposable, IDisposable
{
    /// <summary>Creates the download.</summary>
    public BlobDownload(BlobItem item, Stream content)
    {
        Item = item;
        Content = content;
    }

    /// <summary>The blob's properties.</summary>
    public BlobItem Item { get; }

    /// <summary>The blob's content.</summary>
    public Stream Content { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
