using System.Reflection;

namespace ModelFunctions.Core.Http;

/// <summary>
/// What the server says about itself in <c>GET /v2</c>.
/// </summary>
public static class ServerInfo
{
    /// <summary>Server name.</summary>
    public const string Name = "modelfunctions";

    /// <summary>Protocol extensions supported (Triton's names).</summary>
    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data"];

    /// <summary>Version of the running build.</summary>
    public static string Version { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Platform name of ONNX models in model metadata.</summary>
    public const string Platform = "onnx_onnxv1";
}
