using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Http;

/// <summary>
/// The one place that says which HTTP status a failure answers with: the caller's mistakes are 4xx with the message
/// that names the field, an unavailable store or an unloadable version is 503; anything else is a real fault (500).
/// </summary>
public static class HttpErrors
{
    /// <summary>The status and message for a known failure, or null for an unexpected one.</summary>
    public static (int StatusCode, string Message)? Map(Exception exception) => exception switch
    {
        ProtocolException ex => (ex.StatusCode, ex.Message),
        ServingException ex => (ex.StatusCode, ex.Message),
        RegistryException ex => (ex.Kind switch
        {
            RegistryErrorKind.NotFound => 404,
            RegistryErrorKind.Conflict => 409,
            _ => 400,
        }, ex.Message),
        BlobStoreException ex => (503, $"The model store is unavailable; try again later ({ex.Message})."),
        ModelLoadException ex => (503, ex.Message),
        _ => null,
    };
}
