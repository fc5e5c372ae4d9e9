using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// One loaded model: an ONNX Runtime session, its signature, and runs on named tensors.
/// Safe for concurrent <see cref="Run"/> calls. <see cref="Dispose"/> frees the native session once
/// the runs in flight have finished; runs started after it fail with <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Lock _lifetime = new();
    private readonly string[] _defaultOutputs;
    private readonly RunOptionsPool _runOptions = new(2 * Environment.ProcessorCount);
    private int _activeRuns;
    private bool _disposeRequested;
    private bool _released;

    internal OnnxModel(InferenceSession session, string displayName, ExecutionProviderKind provider)
    {
        _session = session;
        DisplayName = displayName;
        ExecutionProvider = provider;
        Signature = SignatureReader.Read(session);
        _defaultOutputs = Signature.Outputs.Where(o => o.IsSupported).Select(o => o.Name).ToArray();
    }

    /// <summary>How messages name this model.</summary>
    public string DisplayName { get; }

    /// <summary>Inputs, outputs and metadata.</summary>
    public ModelSignature Signature { get; }

    /// <summary>The provider the session runs on (CPU after a CUDA fallback).</summary>
    public ExecutionProviderKind ExecutionProvider { get; }

    /// <summary>
    /// Runs the model. Every declared input must be given once; <paramref name="outputNames"/> selects
    /// outputs (null: every tensor output, in model order).
    /// </summary>
    /// <exception cref="InferenceInputException">An input or requested output does not fit the signature.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the run was terminated.</exception>
    public IReadOnlyList<NamedTensor> Run(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputNames,
        CancellationToken cancellationToken) =>
        RunChecked(inputs, outputNames, validate: true, cancellationToken);

    /// <summary>
    /// Runs inputs that already passed <see cref="Validate"/> (or were merged from such inputs), without
    /// checking them again.
    /// </summary>
    internal IReadOnlyList<NamedTensor> RunValidated(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputNames,
        CancellationToken cancellationToken) =>
        RunChecked(inputs, outputNames, validate: false, cancellationToken);

    private IReadOnlyList<NamedTensor> RunChecked(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputNames,
        bool validate,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeRequested), this);
        var outputs = ResolveOutputs(outputNames);
        if (validate)
        {
            InputValidator.Validate(Signature, inputs);
        }

        Acquire();
        try
        {
            return RunCore(inputs, outputs, cancellationToken);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Checks inputs and output names against the signature without running, as <see cref="Run"/> would.
    /// </summary>
    /// <exception cref="InferenceInputException">An input or requested output does not fit the signature.</exception>
    public void Validate(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ResolveOutputs(outputNames);
        InputValidator.Validate(Signature, inputs);
    }

    private IReadOnlyList<NamedTensor> RunCore(
        IReadOnlyList<NamedTensor> inputs,
        string[] outputs,
        CancellationToken cancellationToken)
    {
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        var pins = new MemoryHandle[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = OrtValues.Create(inputs[i], ref pins[i]);
            }

            IDisposableReadOnlyCollection<OrtValue> results;
            var runOptions = _runOptions.Rent();
            var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static o => ((RunOptions)o!).Terminate = true, runOptions)
                : default;
            try
            {
                results = _session.Run(runOptions, names, values, outputs);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The inference was cancelled.", cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                var invalidInput = ex.Message.StartsWith("[ErrorCode:InvalidArgument]", StringComparison.Ordinal);
                throw new InferenceRunException($"Model '{DisplayName}' failed to run: {ex.Message}", invalidInput, ex);
            }
            finally
            {
                // Unregister waits for a callback already running, so the options are settled before they go back.
                registration.Dispose();
                _runOptions.Return(runOptions, terminated: cancellationToken.IsCancellationRequested);
            }

            using (results)
            {
                var list = new NamedTensor[outputs.Length];
                var index = 0;
                foreach (var value in results)
                {
                    list[index] = OrtValues.ToNamedTensor(outputs[index], value);
                    index++;
                }

                return list;
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }

            foreach (var pin in pins)
            {
                pin.Dispose();
            }
        }
    }

    private string[] ResolveOutputs(IReadOnlyList<string>? outputNames)
    {
        if (outputNames is null || outputNames.Count == 0)
        {
            return _defaultOutputs;
        }

        var resolved = new string[outputNames.Count];
        for (var i = 0; i < outputNames.Count; i++)
        {
            var name = outputNames[i];
            var spec = Signature.FindOutput(name)
                ?? throw new InferenceInputException(name, $"Unknown output '{name}'; the model's outputs are {string.Join(", ", Signature.Outputs.Select(o => $"'{o.Name}'"))}.");
            if (!spec.IsSupported)
            {
                throw new InferenceInputException(name, $"Output '{name}' cannot be served: {spec.UnsupportedReason}.");
            }

            if (Array.IndexOf(resolved, name, 0, i) >= 0)
            {
                throw new InferenceInputException(name, $"Output '{name}' is requested more than once.");
            }

            resolved[i] = name;
        }

        return resolved;
    }

    private void Acquire()
    {
        lock (_lifetime)
        {
            ObjectDisposedException.ThrowIf(_disposeRequested, this);
            _activeRuns++;
        }
    }

    private void Release()
    {
        bool release;
        lock (_lifetime)
        {
            _activeRuns--;
            release = _disposeRequested && _activeRuns == 0 && !_released;
            _released |= release;
        }

        if (release)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        bool release;
        lock (_lifetime)
        {
            _disposeRequested = true;
            release = _activeRuns == 0 && !_released;
            _released |= release;
        }

        if (release)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
    }
}
