using System.Globalization;
using System.Text.Json;

namespace ModelFunctions.Bench.Load;

/// <summary>What one load run measured; printed as one JSON line.</summary>
internal sealed record LoadResult(long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P99Ms, string? FirstError)
{
    public string ToJson() => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"requests\":{Requests},\"errors\":{Errors},\"rps\":{RequestsPerSecond:F1},\"p50_ms\":{P50Ms:F4},\"p99_ms\":{P99Ms:F4},\"first_error\":{JsonSerializer.Serialize(FirstError)}}}");
}
