using System.Text.Json.Serialization;

namespace ModelFunctions.Core.Monitoring.Statistics;

/// <summary>
/// A bounded uniform random sample of a stream that can be merged with another one (bottom-k sampling).
/// </summary>
/// <remarks>
/// Every offered value gets a pseudo-random key in [0, 1) from a counter-based generator (SplitMix64) seeded by
/// <see cref="Seed"/>; the sample keeps the <see cref="Capacity"/> values with the smallest keys. Since keys are
/// independent and uniform, the kept values are a uniform sample without replacement of everything offered.
/// Merging keeps the smallest keys of the union, which is exactly the sample one reservoir would have kept had it
/// seen both streams with the same keys; so each side contributes in proportion to its count. Reservoirs to be
/// merged must have different seeds (draw each from a seeded <see cref="Random"/>) and the same capacity.
/// The generator state is the seed and a counter, so a reservoir survives a JSON round trip unchanged.
/// </remarks>
public sealed class ReservoirSample
{
    private readonly double[] _keys;
    private readonly double[] _values;
    private int _count;

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
    [JsonConstructor]
    public ReservoirSample(int capacity, ulong seed, long offered, long drawn, double[] values, double[] keys)
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
    }

    /// <summary>Largest number of values kept.</summary>
    public int Capacity { get; }

    /// <summary>Seed of the key generator.</summary>
    public ulong Seed { get; }

    /// <summary>Number of values offered, merged reservoirs included.</summary>
    public long Offered { get; private set; }

    /// <summary>Number of keys drawn from this reservoir's own generator.</summary>
    public long Drawn { get; private set; }

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
        Offer(NextKey(), value);
    }

    /// <summary>Merges another reservoir into this one; the other is left unchanged.</summary>
    /// <param name="other">A reservoir of the same capacity and a different seed.</param>
    public void Merge(ReservoirSample other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Capacity != Capacity)
        {
            throw new ArgumentException("Reservoirs must have the same capacity to be merged.", nameof(other));
        }

        if (ReferenceEquals(other, this) || other.Seed == Seed)
        {
            throw new ArgumentException("Reservoirs with the same seed cannot be merged: their keys are not independent.", nameof(other));
        }

        Offered += other.Offered;
        for (var i = 0; i < other._count; i++)
        {
            Offer(other._keys[i], other._values[i]);
        }
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
