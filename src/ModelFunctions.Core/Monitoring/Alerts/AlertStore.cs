using System.Text.Json;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Monitoring.Alerts;

/// <summary>Reads and updates <c>{model}/alerts.json</c> under its ETag, retrying when another writer got there first.</summary>
internal sealed class AlertStore(IBlobStore store)
{
    private const int MaxAttempts = 8;

    public async Task<AlertDocument> GetAsync(string model, CancellationToken cancellationToken)
    {
        var (document, _) = await ReadAsync(model, cancellationToken).ConfigureAwait(false);
        return document;
    }

    /// <summary>Applies <paramref name="change"/> (which may run more than once) and writes the result; returns what the last run returned.</summary>
    public async Task<T> UpdateAsync<T>(string model, Func<AlertDocument, T> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = await ReadAsync(model, cancellationToken).ConfigureAwait(false);
            var result = change(document);
            var condition = etag is null ? BlobCondition.IfAbsent : BlobCondition.IfETagMatches(etag);
            try
            {
                using var content = new MemoryStream(RegistryJson.Serialize(document), writable: false);
                await store.PutAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.AlertsBlob(model), content, condition, null, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (BlobConditionFailedException) when (attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(AlertDocument Document, string? ETag)> ReadAsync(string model, CancellationToken cancellationToken)
    {
        await using var download = await store.OpenReadAsync(ModelStoreLayout.MonitoringContainer, MonitoringLayout.AlertsBlob(model), cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return (new AlertDocument { Model = model }, null);
        }

        using var buffer = new MemoryStream();
        await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        try
        {
            return (RegistryJson.Deserialize<AlertDocument>(buffer.ToArray()), download.Item.ETag);
        }
        catch (JsonException)
        {
            // A damaged document is replaced rather than blocking every check.
            return (new AlertDocument { Model = model }, download.Item.ETag);
        }
    }
}
