using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Monitoring.Statistics;
using ModelFunctions.Core.Registry;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// The in-memory capture of one model version: the open window, closed windows waiting to be flushed (bounded),
/// and per feature its baseline or the values it is learning one from. Memory is bounded by the number of
/// features (capped), the reservoir size, the learned baseline size and the pending window count.
/// </summary>
internal sealed class VersionCapture
{
    private readonly Lock _gate = new();
    private readonly MonitoringOptions _options;
    private readonly Random _random;
    private readonly List<VersionWindow> _closed = [];
    private readonly Dictionary<string, FeatureSlot> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FeatureBaseline> _pendingLearned = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tensor, int Columns, bool IsOutput, int InputColumns), SlotGroup> _slots = [];

    // Copies of the requests that arrived while the baselines loaded, captured once they are in.
    private readonly List<(NamedTensor[] Inputs, NamedTensor[] Outputs, int Rows)> _held = [];
    private long _heldValues;

    // Sample size per numeric feature, from the first request's shape (see MonitoringOptions.ReservoirValuesPerVersion).
    private int _reservoirCapacity;
    private VersionWindow? _current;
    private ModelBaseline? _reference;
    private bool _baselinesLoaded;
    private int _loadStarted;

    public VersionCapture(string model, int version, string instanceId, MonitoringOptions options, int seed)
    {
        Model = model;
        Version = version;
        InstanceId = instanceId;
        _options = options;
        _random = new Random(seed);
    }

    public string Model { get; }

    public int Version { get; }

    public string InstanceId { get; }

    /// <summary>Closed windows dropped because the store could not take them in time.</summary>
    public long DroppedWindows { get; private set; }

    /// <summary>True for the first caller only: that caller loads the baselines.</summary>
    public bool TryStartLoad() => Interlocked.Exchange(ref _loadStarted, 1) == 0;

    public bool HasReferenceBaseline
    {
        get
        {
            lock (_gate)
            {
                return _reference is not null;
            }
        }
    }

    /// <summary>
    /// Takes the version's baselines and captures the requests held while they loaded, into the window open at
    /// <paramref name="now"/>.
    /// </summary>
    public void SetBaselines(ModelBaseline? reference, ModelBaseline? learned, DateTimeOffset now)
    {
        lock (_gate)
        {
            FoldAll();
            _reference = reference;
            _baselinesLoaded = true;
            _slots.Clear();
            foreach (var slot in _byName.Values)
            {
                slot.Baseline = null;
                slot.Current = null;
            }

            if (learned is not null)
            {
                AdoptUnlocked(learned.Features);
            }

            if (_held.Count > 0)
            {
                var window = WindowFor(now);
                foreach (var (inputs, outputs, rows) in _held)
                {
                    RecordRows(window, inputs, outputs);
                    window.Rows.Captured += rows;
                }

                _held.Clear();
                _heldValues = 0;
            }
        }
    }

    public void Record(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor>? outputs, RequestOutcome outcome, double milliseconds, DateTimeOffset now)
    {
        lock (_gate)
        {
            var window = WindowFor(now);
            window.Requests.Add(outcome);
            window.Latency.Add(milliseconds);
            if (outcome != RequestOutcome.Success || outputs is null || inputs.Count == 0)
            {
                return;
            }

            var rows = FeatureNaming.Rows(inputs[0].Shape);
            window.Rows.Seen += rows;
            if (_options.SamplingRate < 1.0 && _random.NextDouble() >= _options.SamplingRate)
            {
                window.Rows.NotSampled += rows;
                return;
            }

            if (!_baselinesLoaded)
            {
                Hold(window, inputs, outputs, rows);
                return;
            }

            RecordRows(window, inputs, outputs);
            window.Rows.Captured += rows;
        }
    }

    /// <summary>Keeps a copy of a request that arrived before the baselines, within <see cref="MonitoringOptions.HeldValuesWhileLoading"/>.</summary>
    private void Hold(VersionWindow window, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, int rows)
    {
        long values = 0;
        foreach (var tensor in inputs.Concat(outputs))
        {
            values += tensor.ElementCount;
        }

        if (_heldValues + values > _options.HeldValuesWhileLoading)
        {
            window.Rows.DroppedWhileLoading += rows;
            return;
        }

        _held.Add((inputs.Select(Copy).ToArray(), outputs.Select(Copy).ToArray(), rows));
        _heldValues += values;

        // The request's buffers go back to their pools once it ends.
        static NamedTensor Copy(NamedTensor tensor) => new(
            tensor.Name,
            tensor.DataType,
            tensor.Shape.ToArray(),
            tensor.Data.ToArray(),
            tensor.Strings?.Select(s => (ReadOnlyMemory<byte>)s.ToArray()).ToArray());
    }

    private void RecordRows(VersionWindow window, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs)
    {
        if (_reservoirCapacity == 0)
        {
            // Every instance sees the same signature, so every instance sizes its samples alike (merges keep the
            // smaller size anyway).
            var features = inputs.Concat(outputs).Sum(t => (long)FeatureNaming.Columns(t.Shape));
            var share = _options.ReservoirValuesPerVersion / Math.Clamp(features, 1, _options.MaxFeatures);
            _reservoirCapacity = (int)Math.Clamp(share, _options.ReservoirCapacity, Math.Max(_options.ReservoirCapacity, _options.MaxReservoirCapacity));
        }

        var inputColumns = 0;
        foreach (var input in inputs)
        {
            inputColumns += FeatureNaming.Columns(input.Shape);
        }

        var csvNames = _reference is { } reference && reference.FeatureNames.Count == inputColumns ? reference.FeatureNames : null;
        var offset = 0;
        foreach (var input in inputs)
        {
            RecordTensor(window, input, false, csvNames, offset, inputColumns);
            offset += FeatureNaming.Columns(input.Shape);
        }

        foreach (var output in outputs)
        {
            RecordTensor(window, output, true, null, 0, 0);
        }
    }

    /// <summary>Closes the open window when its time is over.</summary>
    public void Roll(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_current is not null && now >= _current.End)
            {
                Close();
            }
        }
    }

    /// <summary>Serialized copies of the pending windows (and of the open one when asked), oldest first.</summary>
    public List<(VersionWindow Window, byte[] Json, bool Closed)> Snapshot(bool includeOpen)
    {
        lock (_gate)
        {
            FoldAll();
            var result = _closed.Select(w => (w, w.ToJson(), true)).ToList();
            if (includeOpen && _current is not null)
            {
                NoteLearning(_current);
                result.Add((_current, _current.ToJson(), false));
            }

            return result;
        }
    }

    public void MarkFlushed(VersionWindow window)
    {
        lock (_gate)
        {
            _closed.Remove(window);
        }
    }

    /// <summary>Whether the feature of that name was captured from an input.</summary>
    public bool IsInput(string name)
    {
        lock (_gate)
        {
            return _byName.TryGetValue(name, out var slot) && !slot.IsOutput;
        }
    }

    /// <summary>Baselines learned here and not yet saved.</summary>
    public Dictionary<string, FeatureBaseline> UnsavedLearned()
    {
        lock (_gate)
        {
            return _byName.Values
                .Where(s => s.LearnedUnsaved && s.Baseline is not null)
                .ToDictionary(s => s.Name, s => s.Baseline!, StringComparer.Ordinal);
        }
    }

    /// <summary>Takes the stored learned baselines (another instance may have learned some first).</summary>
    public void AdoptLearned(IReadOnlyDictionary<string, FeatureBaseline> stored)
    {
        lock (_gate)
        {
            AdoptUnlocked(stored);
        }
    }

    private void AdoptUnlocked(IReadOnlyDictionary<string, FeatureBaseline> stored)
    {
        // Buffered rows belong to the windows of the baselines they were captured under.
        FoldAll();
        foreach (var group in _slots.Values)
        {
            group.Window = null;
        }

        foreach (var (name, baseline) in stored)
        {
            if (_byName.TryGetValue(name, out var slot))
            {
                if (!ReferenceEquals(slot.Baseline, baseline) && slot.Baseline != baseline)
                {
                    slot.Baseline = baseline;
                    slot.Current = null;
                }

                slot.LearnedUnsaved = false;
                slot.LearningNumbers = null;
                slot.LearningText = null;
            }
            else
            {
                _pendingLearned[name] = baseline;
            }
        }
    }

    private VersionWindow WindowFor(DateTimeOffset now)
    {
        if (_current is not null && now >= _current.End)
        {
            Close();
        }

        if (_current is null)
        {
            var length = _options.WindowLength.Ticks;
            var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % length), TimeSpan.Zero);
            _current = new VersionWindow { Model = Model, Version = Version, Start = start, End = start.AddTicks(length), Instances = [InstanceId] };
            foreach (var slot in _byName.Values)
            {
                slot.Current = null;
            }
        }

        return _current;
    }

    private void Close()
    {
        FoldAll();
        NoteLearning(_current!);
        _closed.Add(_current!);
        _current = null;
        while (_closed.Count > _options.MaxPendingWindows)
        {
            _closed.RemoveAt(0);
            DroppedWindows++;
        }
    }

    /// <summary>Writes into the window how far each feature without a baseline is in learning one.</summary>
    private void NoteLearning(VersionWindow window)
    {
        window.Learning.Clear();
        foreach (var slot in _byName.Values)
        {
            if (slot.Baseline is null)
            {
                var values = slot.LearningNumbers?.Count ?? slot.LearningText?.Count ?? 0;
                window.Learning[slot.Name] = new LearningProgress(slot.IsOutput, values, _options.LearnedBaselineSize);
            }
        }
    }

    private void RecordTensor(VersionWindow window, NamedTensor tensor, bool isOutput, IReadOnlyList<string>? csvNames, int offset, int inputColumns)
    {
        var columns = FeatureNaming.Columns(tensor.Shape);
        var group = GroupFor(tensor, columns, isOutput, csvNames, offset, inputColumns);
        var slots = group.Slots;
        if (slots.Length == 0)
        {
            return;
        }

        var rows = FeatureNaming.Rows(tensor.Shape);
        var isText = TensorValues.IsText(tensor);
        var data = tensor.Data.Span;
        var dataType = tensor.DataType;
        if (!isText && Prepare(group, window))
        {
            Buffer(group, data, dataType, rows, columns);
            return;
        }

        Fold(group);
        for (var c = 0; c < slots.Length; c++)
        {
            var slot = slots[c];
            if (slot.Baseline is null)
            {
                Learn(slot, tensor, rows, columns, c, isText);
                continue;
            }

            var feature = slot.Current ??= NewFeatureWindow(window, slot);
            if (feature is null)
            {
                continue;
            }

            if (feature.Numeric is { } numeric)
            {
                for (var r = 0; r < rows; r++)
                {
                    numeric.Add(isText ? double.NaN : TensorValues.Number(data, dataType, (r * columns) + c));
                }

                continue;
            }

            for (var r = 0; r < rows; r++)
            {
                var index = (r * columns) + c;
                feature.Categorical!.Add(isText ? TensorValues.Text(tensor, index) : slot.CategoryOf(TensorValues.Number(data, dataType, index)));
            }
        }
    }

    /// <summary>Whether every slot of the group has a baseline; if so, makes sure each has its feature in <paramref name="window"/>.</summary>
    private bool Prepare(SlotGroup group, VersionWindow window)
    {
        if (ReferenceEquals(group.Window, window))
        {
            return true;
        }

        foreach (var slot in group.Slots)
        {
            if (slot.Baseline is null)
            {
                return false;
            }
        }

        Fold(group);
        foreach (var slot in group.Slots)
        {
            slot.Current ??= NewFeatureWindow(window, slot);
        }

        group.Window = window;
        return true;
    }

    private void Buffer(SlotGroup group, ReadOnlySpan<byte> data, TensorDataType dataType, int rows, int columns)
    {
        var width = group.Slots.Length;
        var floats = dataType == TensorDataType.Float32 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data) : default;
        for (var r = 0; r < rows; r++)
        {
            if (group.PendingRows == group.RowCapacity)
            {
                Fold(group);
            }

            var target = group.Pending.AsSpan(group.PendingRows * width, width);
            var source = r * columns;
            if (dataType == TensorDataType.Float32)
            {
                var row = floats.Slice(source, width);
                for (var c = 0; c < width; c++)
                {
                    target[c] = row[c];
                }
            }
            else
            {
                for (var c = 0; c < width; c++)
                {
                    target[c] = TensorValues.Number(data, dataType, source + c);
                }
            }

            group.PendingRows++;
        }
    }

    /// <summary>Adds the group's buffered rows to its features' windows, column by column.</summary>
    private static void Fold(SlotGroup group)
    {
        var rows = group.PendingRows;
        if (rows == 0)
        {
            return;
        }

        group.PendingRows = 0;
        var width = group.Slots.Length;
        var pending = group.Pending.AsSpan(0, rows * width);
        for (var c = 0; c < width; c++)
        {
            var slot = group.Slots[c];
            var feature = slot.Current!;
            if (feature.Numeric is { } numeric)
            {
                numeric.AddStrided(pending[c..], width, rows);
                continue;
            }

            var categorical = feature.Categorical!;
            for (var r = 0; r < rows; r++)
            {
                categorical.AddAt(slot.CategoryIndexOf(pending[(r * width) + c], categorical));
            }
        }
    }

    private void FoldAll()
    {
        foreach (var group in _slots.Values)
        {
            Fold(group);
        }
    }

    private FeatureWindow? NewFeatureWindow(VersionWindow window, FeatureSlot slot)
    {
        var baseline = slot.Baseline!;
        var existing = window.Features.Find(f => string.Equals(f.Name, slot.Name, StringComparison.Ordinal));
        if (existing is not null)
        {
            // Re-adopted baseline mid-window: start the feature over.
            window.Features.Remove(existing);
        }

        FeatureWindow feature = baseline.Kind == FeatureKind.Numeric
            ? new FeatureWindow { Name = slot.Name, IsOutput = slot.IsOutput, Numeric = NumericFeatureWindow.ForBaseline(baseline, _random, Math.Max(_reservoirCapacity, _options.ReservoirCapacity)) }
            : new FeatureWindow { Name = slot.Name, IsOutput = slot.IsOutput, Categorical = CategoricalFeatureWindow.ForBaseline(baseline) };
        window.Features.Add(feature);
        return feature;
    }

    private void Learn(FeatureSlot slot, NamedTensor tensor, int rows, int columns, int column, bool isText)
    {
        var size = _options.LearnedBaselineSize;
        if (isText)
        {
            var list = slot.LearningText ??= new List<string?>(Math.Min(size, 1024));
            for (var r = 0; r < rows && list.Count < size; r++)
            {
                list.Add(TensorValues.Text(tensor, (r * columns) + column));
            }

            if (list.Count >= size)
            {
                slot.Baseline = FeatureBaseline.FromCategories(list);
                Learned(slot);
            }

            return;
        }

        var numbers = slot.LearningNumbers ??= new List<double>(Math.Min(size, 1024));
        for (var r = 0; r < rows && numbers.Count < size; r++)
        {
            numbers.Add(TensorValues.Number(tensor, (r * columns) + column));
        }

        if (numbers.Count >= size)
        {
            try
            {
                slot.Baseline = FeatureBaseline.Infer(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(numbers));
                Learned(slot);
            }
            catch (ArgumentException)
            {
                // Nothing finite yet: learn from the next values.
                numbers.Clear();
            }
        }
    }

    private static void Learned(FeatureSlot slot)
    {
        slot.LearnedUnsaved = true;
        slot.LearningNumbers = null;
        slot.LearningText = null;
    }

    private SlotGroup GroupFor(NamedTensor tensor, int columns, bool isOutput, IReadOnlyList<string>? csvNames, int offset, int inputColumns)
    {
        var key = (tensor.Name, columns, isOutput, isOutput ? 0 : inputColumns);
        if (_slots.TryGetValue(key, out var group))
        {
            return group;
        }

        var names = csvNames is not null
            ? csvNames.Skip(offset).Take(columns).ToArray()
            : FeatureNaming.Names(tensor.Name, tensor.Shape);
        var list = new List<FeatureSlot>(names.Length);
        foreach (var name in names)
        {
            if (!_byName.TryGetValue(name, out var slot))
            {
                if (_byName.Count >= _options.MaxFeatures)
                {
                    break;
                }

                slot = new FeatureSlot(name, isOutput, TensorValues.IsText(tensor));
                if (!isOutput && _reference?.Features.TryGetValue(name, out var referenceBaseline) == true)
                {
                    slot.Baseline = referenceBaseline;
                }
                else if (_pendingLearned.Remove(name, out var learned))
                {
                    slot.Baseline = learned;
                }

                _byName[name] = slot;
            }

            list.Add(slot);
        }

        group = new SlotGroup(list.ToArray());
        _slots[key] = group;
        return group;
    }
}
