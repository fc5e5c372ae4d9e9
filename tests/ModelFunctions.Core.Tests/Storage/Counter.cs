using System.Globalization;
using System.Text;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>A counter blob incremented by optimistic read-modify-write (If-Match), retried on conflict.</summary>
internal static class Counter
{
    /// <summary>Adds <paramref name="times"/> to the counter; returns how many conflicts were retried.</summary>
    public static async Task<int> IncrementAsync(IBlobStore store, string container, string name, int times, CancellationToken cancellationToken)
    {
        var conflicts = 0;
        for (var i = 0; i < times; i++)
        {
            while (true)
            {
                var (value, etag) = await ReadAsync(store, container, name, cancellationToken);
                var next = new MemoryStream(Encoding.ASCII.GetBytes((value + 1).ToString(CultureInfo.InvariantCulture)));
                try
                {
                    await store.PutAsync(container, name, next, BlobCondition.IfETagMatches(etag), null, cancellationToken);
                    break;
                }
                catch (BlobConditionFailedException)
                {
                    conflicts++;
                }
            }
        }

        return conflicts;
    }

    /// <summary>The counter's value and ETag.</summary>
    public static async Task<(int Value, string ETag)> ReadAsync(IBlobStore store, string container, string name, CancellationToken cancellationToken)
    {
        await using var download = await store.OpenReadAsync(container, name, cancellationToken)
            ?? throw new InvalidOperationException("The counter blob is missing.");
        using var reader = new StreamReader(download.Content, Encoding.ASCII);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return (int.Parse(text, CultureInfo.InvariantCulture), download.Item.ETag);
    }
}
