namespace ModelFunctions.Core.Serving;

/// <summary>
/// The use of a loaded model by one request; disposing it lets the model be unloaded.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model)
    {
        _model = model;
    }

    /// <summary>The model in use.</summary>
    public LoadedModel Model => _model ?? throw new ObjectDisposedException(nameof(ModelLease));

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.RemoveUser();
}
