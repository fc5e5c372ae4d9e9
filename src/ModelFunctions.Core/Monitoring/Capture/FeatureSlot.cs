using ModelFunctions.Core.Monitoring.Statistics;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>One feature of a captured version: its baseline (or what is being learned), and its open window.</summary>
internal sealed class FeatureSlot(string name, bool isOutput, bool isText)
{
    public string Name { get; } = name;

    public bool IsOutput { get; } = isOutput;

    public bool IsText { get; } = isText;

    public FeatureBaseline? Baseline { get; set; }

    /// <summary>Whether <see cref="Baseline"/> was learned here and not yet written to the store.</summary>
    public bool LearnedUnsaved { get; set; }

    /// <summary>Values collected to learn a baseline (numbers), bounded by the learned baseline size.</summary>
    public List<double>? LearningNumbers { get; set; }

    /// <summary>Values collected to learn a baseline (text), bounded by the learned baseline size.</summary>
    public List<string?>? LearningText { get; set; }

    public FeatureWindow? Current { get; set; }

    // How many distinct numbers a slot remembers the category of: class labels are few; a feature with more is
    // better served by formatting than by an ever larger table.
    private const int RememberedNumbers = 512;

    private Dictionary<double, string>? _categoryText;

    /// <summary>
    /// A number's category text, remembered for the first few hundred distinct numbers: formatting every
    /// value of a numeric categorical feature (class labels) would dominate the capture's cost.
    /// </summary>
    public string? CategoryOf(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }

        _categoryText ??= [];
        if (_categoryText.TryGetValue(value, out var text))
        {
            return text;
        }

        text = FeatureBaseline.FormatCategory(value);
        if (_categoryText.Count < RememberedNumbers)
        {
            _categoryText[value] = text;
        }

        return text;
    }

    private Dictionary<double, int>? _categoryIndex;
    private string[]? _categoryIndexOf;

    /// <summary>
    /// Where a number falls in <paramref name="window"/>'s categories: its index, <see cref="CategoricalFeatureWindow.Other"/>
    /// or <see cref="CategoricalFeatureWindow.Missing"/> (not finite). Remembered per number for the first few hundred
    /// distinct numbers, so the buffered path neither formats nor hashes text per value.
    /// </summary>
    public int CategoryIndexOf(double value, CategoricalFeatureWindow window)
    {
        if (!double.IsFinite(value))
        {
            return CategoricalFeatureWindow.Missing;
        }

        if (!ReferenceEquals(_categoryIndexOf, window.Categories))
        {
            // A new baseline (or a restored window) brings its own categories: the remembered indexes are void.
            _categoryIndex = null;
            _categoryIndexOf = window.Categories;
        }

        _categoryIndex ??= [];
        if (_categoryIndex.TryGetValue(value, out var index))
        {
            return index;
        }

        index = window.IndexOf(CategoryOf(value)!);
        if (_categoryIndex.Count < RememberedNumbers)
        {
            _categoryIndex[value] = index;
        }

        return index;
    }
}
