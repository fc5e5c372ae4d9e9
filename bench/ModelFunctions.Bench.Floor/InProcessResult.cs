using System.Globalization;

namespace ModelFunctions.Bench.Floor;

/// <summary>What the in-process loop measured.</summary>
internal sealed record InProcessResult(long Calls, double CallsPerSecond, double P50Ms, double P99Ms)
{
    public string ToJson() => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"requests\":{Calls},\"errors\":0,\"rps\":{CallsPerSecond:F1},\"p50_ms\":{P50Ms:F4},\"p99_ms\":{P99Ms:F4}}}");
}
