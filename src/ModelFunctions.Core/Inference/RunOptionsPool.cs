using Microsoft.ML.OnnxRuntime;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// Reuses ONNX Runtime <see cref="RunOptions"/> across runs of one session. Each run needs options of its own
/// (cancelling a run sets <see cref="RunOptions.Terminate"/> on them), but creating and freeing a native object
/// per request is avoidable work on the hot path. A fixed set of slots, taken and given back with interlocked
/// exchanges: no lock and no allocation once warm; options beyond the slots are simply freed.
/// </summary>
internal sealed class RunOptionsPool : IDisposable
{
    private readonly RunOptions?[] _slots;

    /// <summary>Creates a pool keeping at most <paramref name="capacity"/> idle options.</summary>
    public RunOptionsPool(int capacity)
    {
        _slots = new RunOptions?[Math.Max(1, capacity)];
    }

    /// <summary>Idle options, or new ones when none are idle.</summary>
    public RunOptions Rent()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is not null && Interlocked.Exchange(ref _slots[i], null) is { } options)
            {
                return options;
            }
        }

        return new RunOptions();
    }

    /// <summary>
    /// Gives options back after their run. Options of a terminated run are freed rather than reused: clearing the
    /// flag would work, but a cancelled run is rare and fresh options are certain to be clean.
    /// </summary>
    public void Return(RunOptions options, bool terminated)
    {
        if (!terminated)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _slots[i], options, null) is null)
                {
                    return;
                }
            }
        }

        options.Dispose();
    }

    /// <summary>Frees the idle options (call once no run uses the pool).</summary>
    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }
}
