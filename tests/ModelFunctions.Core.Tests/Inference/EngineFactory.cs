using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Inference;

/// <summary>Builds engines for tests.</summary>
internal static class EngineFactory
{
    public static OnnxRuntimeEngine Create(OnnxRuntimeOptions? options = null, ILogger<OnnxRuntimeEngine>? logger = null) =>
        new(Options.Create(options ?? new OnnxRuntimeOptions()), logger ?? NullLogger<OnnxRuntimeEngine>.Instance);
}
