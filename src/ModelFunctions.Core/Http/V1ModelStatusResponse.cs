using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Http;

/// <summary>Body of <c>GET /v1/models/{model}</c>, as TF Serving answers it.</summary>
/// <param name="ModelVersionStatus">One entry per version.</param>
public sealed record V1ModelStatusResponse(
    [property: JsonPropertyName("model_version_status")] IReadOnlyList<V1VersionStatus> ModelVersionStatus);
