using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// Loads ONNX models into ONNX Runtime sessions configured from <see cref="OnnxRuntimeOptions"/>.
/// One instance per process; the models it loads are independent of it.
/// </summary>
public sealed class OnnxRuntimeEngine
{
    private readonly OnnxRuntimeOptions _options;
    private readonly ILogger<OnnxRuntimeEngine> _logger;
    private int _fallbackLogged;

    // Set once the CUDA provider failed to load: the libraries cannot appear later in the process, so later loads go
    // straight to CPU instead of failing (and logging) again.
    private volatile bool _cudaUnavailable;

    /// <summary>Creates the engine.</summary>
    public OnnxRuntimeEngine(IOptions<OnnxRuntimeOptions> options, ILogger<OnnxRuntimeEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Loads a model from its bytes.</summary>
    /// <param name="model">The content of a .onnx file.</param>
    /// <param name="displayName">How messages name the model.</param>
    /// <exception cref="ModelLoadException">The bytes are not a model ONNX Runtime can load.</exception>
    public OnnxModel Load(byte[] model, string displayName)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0)
        {
            throw new ModelLoadException($"Model '{displayName}' is empty (0 bytes).");
        }

        return CreateSession(displayName, options => new InferenceSession(model, options));
    }

    /// <summary>
    /// Loads a model from a file; external data files are resolved relative to the file's folder.
    /// </summary>
    /// <exception cref="ModelLoadException">The file is not a model ONNX Runtime can load.</exception>
    public OnnxModel LoadFile(string path, string displayName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ModelLoadException($"Model '{displayName}' was not found at '{path}'.");
        }

        if (info.Length == 0)
        {
            throw new ModelLoadException($"Model '{displayName}' is empty (0 bytes).");
        }

        return CreateSession(displayName, options => new InferenceSession(path, options));
    }

    private OnnxModel CreateSession(string displayName, Func<SessionOptions, InferenceSession> create)
    {
        var useCuda = _options.ExecutionProvider == ExecutionProviderKind.Cuda && !_cudaUnavailable;
        if (useCuda)
        {
            try
            {
                return Create(displayName, create, cuda: true);
            }
            catch (CudaUnavailableException ex)
            {
                _cudaUnavailable |= ex.ProviderMissing;
                LogFallbackOnce(ex.Reason);
            }
        }

        return Create(displayName, create, cuda: false);
    }

    private OnnxModel Create(string displayName, Func<SessionOptions, InferenceSession> create, bool cuda)
    {
        using var options = BuildSessionOptions();
        if (cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(_options.DeviceId);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                throw new CudaUnavailableException(ex.Message, providerMissing: true);
            }
        }

        InferenceSession session;
        try
        {
            session = create(options);
        }
        catch (OnnxRuntimeException ex) when (cuda && ex.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase))
        {
            throw new CudaUnavailableException(ex.Message, providerMissing: false);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelLoadException($"Model '{displayName}' could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }

        try
        {
            return new OnnxModel(session, displayName, cuda ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private SessionOptions BuildSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = _options.GraphOptimizationLevel switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle intra-op threads spin by default; a server running requests side by side needs those cycles.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        if (_options.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = _options.IntraOpThreads;
        }

        return options;
    }

    private void LogFallbackOnce(string reason)
    {
        if (Interlocked.Exchange(ref _fallbackLogged, 1) == 0)
        {
            _logger.LogWarning(
                "CUDA execution provider unavailable (device {DeviceId}); models run on CPU. Reason: {Reason} " +
                "(ONNX Runtime's own log names the library it could not load; its CUDA build needs CUDA 13, cuDNN 9 and an NVIDIA driver)",
                _options.DeviceId,
                reason);
        }
    }

    /// <summary>Whether a fallback from CUDA to CPU has happened in this engine.</summary>
    public bool FellBackToCpu => Volatile.Read(ref _fallbackLogged) == 1;

    private sealed class CudaUnavailableException(string reason, bool providerMissing) : Exception(reason)
    {
        public string Reason { get; } = reason;

        /// <summary>The provider itself could not be added (its libraries or the driver are missing), not just this model on it.</summary>
        public bool ProviderMissing { get; } = providerMissing;
    }
}
