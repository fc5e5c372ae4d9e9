using System.ComponentModel.DataAnnotations;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// How ONNX Runtime sessions are created. Bound from <c>ModelFunctions:OnnxRuntime</c>.
/// </summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ModelFunctions:OnnxRuntime";

    /// <summary>
    /// Threads one run may use; 0 lets ONNX Runtime pick (one per physical core). Default 1: on the 2 cores this was
    /// measured on, one thread per run was faster for the MLP in every case, alone (32,000 against 27,000 runs/s in
    /// process) and under load (1 connection 10,300 against 7,700 req/s, 32 connections 17,900 against 15,900);
    /// concurrent requests, not a run's inner loops, are what fill the cores of a serving instance. Raise it for a
    /// large model on a machine with cores to spare and little concurrency.
    /// </summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin-wait for work between runs. Spinning saves a lone request a few
    /// microseconds but burns cores that concurrent requests need (on 2 cores it halved throughput at 32 connections,
    /// see bench/README.md). Default false.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Graph optimizations applied at load. Default <see cref="GraphOptimization.All"/>.</summary>
    public GraphOptimization GraphOptimizationLevel { get; set; } = GraphOptimization.All;

    /// <summary>Where models run. Default <see cref="ExecutionProviderKind.Cpu"/>.</summary>
    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Cpu;

    /// <summary>GPU device id for <see cref="ExecutionProviderKind.Cuda"/>. Default 0.</summary>
    [Range(0, 63)]
    public int DeviceId { get; set; }
}
