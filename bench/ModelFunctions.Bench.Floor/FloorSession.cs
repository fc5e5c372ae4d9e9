using Microsoft.ML.OnnxRuntime;

namespace ModelFunctions.Bench.Floor;

/// <summary>
/// The raw ONNX Runtime path: one session created as the server creates it (all graph optimizations, no spinning;
/// one intra-op thread per run; FLOOR_ALLOW_SPINNING=1 and FLOOR_INTRA_OP_THREADS=n change that), one FP32 input,
/// every output returned as an <see cref="OrtValue"/> the caller disposes.
/// </summary>
internal sealed class FloorSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    public FloorSession(string modelPath)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // The same session settings as the server's defaults, so the comparison measures the HTTP and serving layers.
        var spinning = Environment.GetEnvironmentVariable("FLOOR_ALLOW_SPINNING") == "1";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        // One intra-op thread per run, as the server's default; FLOOR_INTRA_OP_THREADS=n sets n (0: ONNX Runtime picks).
        var threads = int.TryParse(Environment.GetEnvironmentVariable("FLOOR_INTRA_OP_THREADS"), out var set) && set >= 0 ? set : 1;
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
        }

        _session = new InferenceSession(modelPath, options);
        _inputNames = [.. _session.InputMetadata.Keys];
        _outputNames = [.. _session.OutputMetadata.Keys];
        if (_inputNames.Length != 1)
        {
            throw new InvalidOperationException("The floor serves models with exactly one input.");
        }

        var dims = _session.InputMetadata[_inputNames[0]].Dimensions;
        Features = dims[^1];
    }

    /// <summary>Width of the input's last dimension (4 for iris, 256 for the MLP).</summary>
    public int Features { get; }

    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Runs on data already in managed memory; the data is used in place, not copied.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(float[] data, long[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        return _session.Run(_runOptions, _inputNames, [input], _outputNames);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
