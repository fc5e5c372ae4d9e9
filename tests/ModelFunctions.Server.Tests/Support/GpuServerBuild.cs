using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>
/// The self-hosted server built as the GPU image builds the app: <c>dotnet build -p:OnnxRuntimeGpu=true</c>, which takes
/// ONNX Runtime from Microsoft.ML.OnnxRuntime.Gpu.Linux (CUDA and TensorRT providers) and keeps its outputs in bin/gpu.
/// </summary>
public sealed class GpuServerBuild : IAsyncLifetime
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The repository root.</summary>
    public string Root { get; } = AzuriteFixture.RepositoryRoot();

    /// <summary>The GPU build's output folder.</summary>
    public string Output => Path.Combine(Root, "src", "ModelFunctions.Server", "bin", "gpu", Configuration, "net10.0");

    /// <summary>The CPU build's output folder (the one the other tests run).</summary>
    public string CpuOutput => Path.Combine(Root, "src", "ModelFunctions.Server", "bin", Configuration, "net10.0");

    /// <summary>ONNX Runtime's native libraries of a build.</summary>
    public static string Native(string output) => Path.Combine(output, "runtimes", "linux-x64", "native");

    public async Task InitializeAsync()
    {
        using var build = DotnetProcess.Start(
            Root,
            ["build", Path.Combine("src", "ModelFunctions.Server", "ModelFunctions.Server.csproj"), "-c", Configuration, "-p:OnnxRuntimeGpu=true", "-nodeReuse:false", "--nologo", "-v", "quiet"]);
        var exit = await build.WaitAsync(TimeSpan.FromMinutes(15));
        Assert.True(exit == 0, $"The GPU build failed:\n{build.Output}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
