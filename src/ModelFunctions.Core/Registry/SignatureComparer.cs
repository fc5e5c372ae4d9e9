using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Finds what in a new signature breaks clients of an old one: an input removed or added, an input or output
/// whose datatype, rank or fixed dimension changed, an output removed. New outputs and dimensions that became
/// dynamic are compatible.
/// </summary>
internal static class SignatureComparer
{
    public static IReadOnlyList<string> BreakingChanges(
        IReadOnlyList<TensorSpec> oldInputs,
        IReadOnlyList<TensorSpec> oldOutputs,
        IReadOnlyList<TensorSpec> newInputs,
        IReadOnlyList<TensorSpec> newOutputs)
    {
        var changes = new List<string>();
        foreach (var old in oldInputs)
        {
            var current = newInputs.FirstOrDefault(i => i.Name == old.Name);
            if (current is null)
            {
                changes.Add($"input '{old.Name}' was removed");
                continue;
            }

            Compare("input", old, current, changes);
        }

        foreach (var added in newInputs.Where(n => oldInputs.All(o => o.Name != n.Name)))
        {
            changes.Add($"input '{added.Name}' was added (every input is required)");
        }

        foreach (var old in oldOutputs)
        {
            var current = newOutputs.FirstOrDefault(o => o.Name == old.Name);
            if (current is null)
            {
                changes.Add($"output '{old.Name}' was removed");
                continue;
            }

            Compare("output", old, current, changes);
        }

        return changes;
    }

    private static void Compare(string kind, TensorSpec old, TensorSpec current, List<string> changes)
    {
        if (old.DataType != current.DataType)
        {
            changes.Add($"{kind} '{old.Name}' changed datatype from {Describe(old.DataType)} to {Describe(current.DataType)}");
            return;
        }

        if (old.Shape.Length != current.Shape.Length)
        {
            changes.Add($"{kind} '{old.Name}' changed rank from {old.Shape.Length} to {current.Shape.Length} ({TensorShapes.Format(old.Shape)} to {TensorShapes.Format(current.Shape)})");
            return;
        }

        for (var d = 0; d < old.Shape.Length; d++)
        {
            // A fixed dimension that changes, or a dynamic one that becomes fixed, refuses requests that used to work.
            if (current.Shape[d] >= 0 && current.Shape[d] != old.Shape[d])
            {
                changes.Add($"{kind} '{old.Name}' dimension {d} changed from {old.Shape[d]} to {current.Shape[d]} ({TensorShapes.Format(old.Shape)} to {TensorShapes.Format(current.Shape)})");
                return;
            }
        }
    }

    private static string Describe(TensorDataType? type) => type?.ToProtocolName() ?? "a non-tensor type";
}
