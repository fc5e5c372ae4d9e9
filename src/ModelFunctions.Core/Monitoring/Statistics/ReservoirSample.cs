using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// A bounded uniform random sample of a stream that can be merged with another one (bottom-k sampling with
/// skip-ahead: most offered values cost a counter decrement).
/// </summary>
/// <remarks>
/// Every value is given, in effect, an independent uniform key in [0, 1), and the sample keeps the
/// <see cref="Capacity"/> values with the smallest keys, so it is a uniform sample without replacement of everything
/// offered. Keys come from a counter-based generator (SplitMix64) seeded by <see cref="Seed"/>. Until the sample is
/// full every value draws its key. Once full, let t be the largest kept key: each further value enters with
/// probability t, so the number of values before the next one that enters is geometric, and that value's key is
/// uniform in [0, t). The reservoir draws that count (<see cref="Skip"/>) and then the entering key, as Li's
/// "Algorithm L" does for a plain reservoir, so values that cannot enter draw nothing: the result has the same
/// distribution as drawing a key per value. Skipped values would have had keys above every kept one, so merging
/// keeps the smallest keys of the union, exactly the sample one reservoir would have kept had it seen both streams
/// with those keys; each side contributes in proportion to its count. Reservoirs to be merged must have different
/// seeds (draw each from a seeded <see cref="Random"/>); when their capacities differ the merge keeps the smaller
/// one (the smallest keys of the union are then all among the two kept sets). The state is the seed, a counter and
/// the pending skip, so a reservoir survives a JSON round trip unchanged.
/// </remarks>
public sealed class ReservoirSample
{
    private double[] _keys;
    private double[] _values;
    private int _count;

    // Values still to pass over before the next one enters; -1 when none is drawn (not full yet, or after a merge).
    private long _skip = -1;

    /// <summary>Creates an empty reservoir.</summary>
    /// <param name="capacity">Largest number of values kept, at least 1.</param>
    /// <param name="seed">Seed of the key generator; distinct for reservoirs that will be merged.</param>
    public ReservoirSample(int capacity, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Seed = seed;
        _keys = new double[capacity];
        _values = new double[capacity];
    }

    /// <summary>Restores a reservoir from its serialized form.</summary>
    /// <param name="capacity">Largest number of values kept.</param>
    /// <param name="seed">Seed of the key generator.</param>
    /// <param name="offered">Number of values offered so far, merged ones included.</param>
    /// <param name="drawn">Number of keys drawn from this reservoir's own generator.</param>
    /// <param name="values">Kept values.</param>
    /// <param name="keys">Their keys, same order.</param>
    /// <param name="skip">Values to pass over before the next one enters; -1 (or absent) when none is drawn.</param>
    [JsonConstructor]
    public ReservoirSample(int capacity, ulong seed, long offered, long drawn, double[] values, double[] keys, long skip = -1)
        : this(capacity, seed)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(keys);
        if (values.Length != keys.Length || values.Length > capacity)
        {
            throw new ArgumentException("Values and keys must have the same length, at most the capacity.", nameof(keys));
        }

        Offered = offered;
        Drawn = drawn;
        foreach (var (key, value) in keys.Zip(values))
        {
            Offer(key, value);
        }

        _skip = _count == Capacity ? Math.Max(skip, -1) : -1;
    }

    /// <summary>Largest number of values kept (a merge with a smaller reservoir lowers it to that one's).</summary>
    public int Capacity { get; private set; }

    /// <summary>Seed of the key generator.</summary>
    public ulong Seed { get; }

    /// <summary>Number of values offered, merged reservoirs included.</summary>
    public long Offered { get; private set; }

    /// <summary>Number of keys drawn from this reservoir's own generator.</summary>
    public long Drawn { get; private set; }

    /// <summary>
    /// Values the full reservoir passes over before the next one enters; -1 when not drawn yet (the next value
    /// offered to a full reservoir draws it).
    /// </summary>
    public long Skip => _skip;

    /// <summary>Number of values kept: min(<see cref="Offered"/>, <see cref="Capacity"/>).</summary>
    [JsonIgnore]
    public int Count => _count;

    /// <summary>Kept values, in internal (heap) order.</summary>
    public double[] Values => _values.AsSpan(0, _count).ToArray();

    /// <summary>Keys of the kept values, same order as <see cref="Values"/>.</summary>
    public double[] Keys => _keys.AsSpan(0, _count).ToArray();

    /// <summary>Offers one value.</summary>
    /// <param name="value">The value.</param>
    public void Add(double value)
    {
        Offered++;
        if (_skip > 0)
        {
            _skip--;
            return;
        }

        if (_count < Capacity)
        {
            Offer(NextKey(), value);
            return;
        }

        if (_skip < 0)
        {
            // Full, and no skip drawn since it filled up or merged: draw one; this value is the first it counts.
            _skip = DrawSkip();
            if (_skip > 0)
            {
                _skip--;
                return;
            }
        }

        // This value enters: its key is uniform below the largest kept key, which it replaces.
        _keys[0] = NextKey() * _keys[0];
        _values[0] = value;
        SiftDown(0);
        _skip = DrawSkip();
    }

    /// <summary>Merges another reservoir into this one; the other is left unchanged.</summary>
    /// <param name="other">A reservoir with a different seed.</param>
    public void Merge(ReservoirSample other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this) || other.Seed == Seed)
        {
            throw new ArgumentException("Reservoirs with the same seed cannot be merged: their keys are not independent.", nameof(other));
        }

        if (other.Capacity < Capacity)
        {
            ShrinkTo(other.Capacity);
        }

        Offered += other.Offered;
        for (var i = 0; i < other._count; i++)
        {
            Offer(other._keys[i], other._values[i]);
        }

        // The largest kept key may have dropped: the next value offered draws a new skip (the count is memoryless).
        _skip = -1;
    }

    /// <summary>Keeps the values with the smallest keys, at most <paramref name="capacity"/> of them, and that capacity.</summary>
    private void ShrinkTo(int capacity)
    {
        var kept = Enumerable.Range(0, _count).OrderBy(i => _keys[i]).Take(capacity).Select(i => (Key: _keys[i], Value: _values[i])).ToArray();
        Capacity = capacity;
        _keys = new double[capacity];
        _values = new double[capacity];
        _count = 0;
        foreach (var (key, value) in kept)
        {
            Offer(key, value);
        }

        _skip = -1;
    }

    /// <summary>Copies the kept values, sorted ascending, into a new array.</summary>
    public double[] ToSortedArray()
    {
        var sorted = _values.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private double NextKey()
    {
        // SplitMix64 on (seed + counter * golden gamma): a counter-based generator, so its state is two integers.
        var z = Seed + ((ulong)(Drawn + 1) * 0x9E3779B97F4A7C15UL);
        Drawn++;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    private long DrawSkip()
    {
        // Values before the next key below the threshold t: geometric, floor(ln(u) / ln(1 - t)) for u in (0, 1].
        var threshold = _keys[0];
        if (threshold <= 0.0)
        {
            return long.MaxValue;
        }

        var u = 1.0 - NextKey();
        var skip = Math.Floor(Math.Log(u) / Math.Log(1.0 - threshold));
        // NaN only when 1 - t rounds to 1 (t below 1e-16, after some 1e18 values): nothing enters any more.
        return skip < long.MaxValue ? (long)skip : long.MaxValue;
    }

    private void Offer(double key, double value)
    {
        if (_count < Capacity)
        {
            _keys[_count] = key;
            _values[_count] = value;
            SiftUp(_count);
            _count++;
            return;
        }

        if (key >= _keys[0])
        {
            return;
        }

        _keys[0] = key;
        _values[0] = value;
        SiftDown(0);
    }

    // Max-heap on keys: the root holds the largest kept key, the first to be evicted.
    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (_keys[parent] >= _keys[index])
            {
                return;
            }

            Swap(parent, index);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var left = (2 * index) + 1;
            if (left >= _count)
            {
                return;
            }

            var largest = left + 1 < _count && _keys[left + 1] > _keys[left] ? left + 1 : left;
            if (_keys[index] >= _keys[largest])
            {
                return;
            }

            Swap(index, largest);
            index = largest;
        }
    }

    private void Swap(int a, int b)
    {
        (_keys[a], _keys[b]) = (_keys[b], _keys[a]);
        (_values[a], _values[b]) = (_values[b], _values[a]);
    }
}
