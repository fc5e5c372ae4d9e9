using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ModelFunctions.Core.Tests.Storage;
using ModelFunctions.Server.Tests.Support;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// The GPU build on a machine without a GPU or CUDA: the real Microsoft.ML.OnnxRuntime.Gpu.Linux package, the CUDA
/// provider asked for through the setting a user sets, and the fallback to CPU that has to follow; plus the CUDA
/// libraries the GPU image must ship, read from the provider the package really contains.
/// </summary>
public sealed partial class GpuBuildTests(GpuServerBuild build) : IClassFixture<GpuServerBuild>
{
    [Fact]
    public void GpuBuild_ShipsTheCudaProvider_AndTheCpuBuildDoesNot()
    {
        Assert.True(File.Exists(Path.Combine(GpuServerBuild.Native(build.Output), "libonnxruntime_providers_cuda.so")));
        Assert.True(File.Exists(Path.Combine(GpuServerBuild.Native(build.Output), "libonnxruntime_providers_shared.so")));
        Assert.False(File.Exists(Path.Combine(GpuServerBuild.Native(build.CpuOutput), "libonnxruntime_providers_cuda.so")));
    }

    [Fact]
    public async Task CudaAsked_WithoutAGpu_FallsBackToCpu_LogsWhyOnce_AndServes()
    {
        var store = Directory.CreateTempSubdirectory("mf-gpu-store-").FullName;
        var port = AzuriteFixture.FreePort();
        var url = $"http://127.0.0.1:{port}";
        try
        {
            using var server = DotnetProcess.Start(
                build.Output,
                [Path.Combine(build.Output, "ModelFunctions.Server.dll"), "--urls", url, "--contentRoot", build.Output],
                new Dictionary<string, string>
                {
                    ["ModelFunctions__Store"] = Path.Combine(store, "models"),
                    ["ModelFunctions__Serving__CacheFolder"] = Path.Combine(store, "cache"),
                    ["ModelFunctions__Registration__WorkFolder"] = Path.Combine(store, "work"),
                    ["ModelFunctions__Monitoring__RunSchedules"] = "false",
                    ["ModelFunctions__OnnxRuntime__ExecutionProvider"] = "Cuda",
                });
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(client, server);

            var answers = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var (status, body) = await Api.PostJsonAsync(client, "/v2/models/iris/infer", Api.IrisRequest([Api.IrisRow]));
                Assert.True(status == HttpStatusCode.OK, body.ToString());
                answers.Add(body.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "label").GetProperty("data")[0].ToString());
            }

            Assert.All(answers, label => Assert.Equal("0", label));
            var output = server.Output;
            Assert.Single(Regex.Matches(output, "CUDA execution provider unavailable"));
            Assert.Contains("models run on CPU", output);
            // The provider is tried once: later loads go straight to CPU rather than failing again.
            Assert.Single(Regex.Matches(output, "Failed to load library .*libonnxruntime_providers_cuda.so"));
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public void GpuImage_ShipsEveryCudaLibraryTheProviderLinks_FromAMatchingCudaImage()
    {
        var provider = Path.Combine(GpuServerBuild.Native(build.Output), "libonnxruntime_providers_cuda.so");
        var dockerfile = File.ReadAllText(Path.Combine(build.Root, "src", "ModelFunctions.Functions", "Dockerfile"));
        var needed = NeededLibraries(provider);

        // libcuda.so.1 is the driver: it comes from the GPU host, never from the image.
        var cuda = needed.Where(n => n.StartsWith("libcu", StringComparison.Ordinal) && n != "libcuda.so.1").ToList();
        Assert.Contains(cuda, n => n.StartsWith("libcudart.so.", StringComparison.Ordinal));
        foreach (var library in cuda)
        {
            Assert.Contains($" {library}*", dockerfile);
        }

        var cudaMajor = cuda.Single(n => n.StartsWith("libcudart.so.", StringComparison.Ordinal))["libcudart.so.".Length..];
        Assert.Matches($@"(?m)^FROM nvidia/cuda:{cudaMajor}\.\d+\.\d+-cudnn-runtime-\S+ AS cuda-libs$", dockerfile);
        // cuDNN is opened at run time, not linked: ONNX Runtime's CUDA builds need cuDNN 9.
        Assert.Contains("libcudnn*.so.9*", dockerfile);
        Assert.Contains("-p:OnnxRuntimeGpu=", dockerfile);
    }

    private static List<string> NeededLibraries(string library)
    {
        var start = new ProcessStartInfo("readelf", ["-d", "-W", library]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var readelf = Process.Start(start) ?? throw new InvalidOperationException("readelf did not start (Debian package binutils).");
        var text = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        Assert.Equal(0, readelf.ExitCode);
        return NeededEntry().Matches(text).Select(m => m.Groups[1].Value).ToList();
    }

    private static async Task WaitReadyAsync(HttpClient client, DotnetProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(server.HasExited, $"The server exited:\n{server.Output}");
            try
            {
                using var response = await client.GetAsync("/v2/models/iris/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The GPU build of the server did not get ready:\n{server.Output}");
    }

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededEntry();
}
