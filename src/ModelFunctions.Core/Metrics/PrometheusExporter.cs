using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ModelFunctions.Core.Metrics;

/// <summary>
/// Collects the <see cref="ServingMetrics.MeterName"/> instruments and the runtime's own <c>System.Runtime</c> meter
/// (GC heap sizes by generation, allocations, collections, pause time, working set, thread pool) and renders them in
/// the Prometheus text exposition format (version 0.0.4): counters as <c>_total</c>, histograms with cumulative
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series, dots in names turned into underscores, seconds and bytes
/// named as units.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Upper bounds of the duration buckets, in seconds.</summary>
    public static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The meter the .NET runtime publishes its GC, memory, thread-pool and JIT instruments on.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();

    /// <summary>Starts listening to the serving meter.</summary>
    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is ServingMetrics.MeterName or RuntimeMeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The request path records several measurements per request: find the series without building strings.
        // The serving instruments carry at most three tags, always in the same order.
        var key = tags.Length <= 3
            ? new SeriesKey(instrument, tags.Length > 0 ? tags[0].Value : null, tags.Length > 1 ? tags[1].Value : null, tags.Length > 2 ? tags[2].Value : null)
            : new SeriesKey(instrument, Labels(tags), ManyTags, null);
        if (!_series.TryGetValue(key, out var series))
        {
            var labels = Labels(tags);
            series = _series.GetOrAdd(key, _ => new Series(instrument, labels));
        }

        series.Add(value);
    }

    /// <summary>Renders every series collected so far.</summary>
    public string Render()
    {
        // Observable instruments (the runtime's) report when asked: now.
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.Values.GroupBy(s => s.Instrument.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var instrument = group.First().Instrument;
            var name = instrument.Name.Replace('.', '_');
            var kind = instrument switch
            {
                Histogram<double> => "histogram",
                _ when IsGauge(instrument) => "gauge",
                _ => "counter",
            };
            if (instrument.Unit == "s")
            {
                name += "_seconds";
            }
            else if (instrument.Unit == "By")
            {
                name += "_bytes";
            }

            if (kind == "counter")
            {
                name += "_total";
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var series in group.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                series.Render(text, name, kind == "histogram");
            }
        }

        return text.ToString();
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            // Prometheus label names take no dots (the runtime's tags have them: gc.heap.generation).
            text.Append(key.Replace('.', '_')).Append("=\"");
            foreach (var c in Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                text.Append(c switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    '\n' => "\\n",
                    _ => c.ToString(),
                });
            }

            text.Append('"');
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static bool IsGauge(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>));
    }

    private static readonly object ManyTags = new();

    private readonly record struct SeriesKey(Instrument Instrument, object? Tag0, object? Tag1, object? Tag2);

    private sealed class Series(Instrument instrument, string labels)
    {
        private readonly Lock _gate = new();
        private readonly long[] _bucketCounts = new long[Buckets.Length];
        private double _sum;
        private long _count;

        public Instrument Instrument { get; } = instrument;

        public string Labels { get; } = labels;

        public void Add(double value)
        {
            lock (_gate)
            {
                // An observable instrument reports its current value, not an increment.
                if (Instrument.IsObservable)
                {
                    _sum = value;
                    _count = 1;
                    return;
                }

                _sum += value;
                _count++;
                if (Instrument is Histogram<double>)
                {
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            _bucketCounts[i]++;
                            break;
                        }
                    }
                }
            }
        }

        public void Render(StringBuilder text, string name, bool histogram)
        {
            lock (_gate)
            {
                var prefix = Labels.Length == 0 ? string.Empty : Labels + ",";
                if (!histogram)
                {
                    text.Append(name).Append('{').Append(Labels).Append("} ").Append(Format(_sum)).Append('\n');
                    return;
                }

                long cumulative = 0;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    cumulative += _bucketCounts[i];
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Format(Buckets[i])).Append("\"} ").Append(cumulative).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                text.Append(name).Append("_sum{").Append(Labels).Append("} ").Append(Format(_sum)).Append('\n');
                text.Append(name).Append("_count{").Append(Labels).Append("} ").Append(_count).Append('\n');
            }
        }

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
