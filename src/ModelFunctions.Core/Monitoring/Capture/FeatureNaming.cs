using System.Globalization;

namespace ModelFunctions.Core.Monitoring.Capture;

/// <summary>
/// How tensors become named features. A tensor's first dimension is the batch (rows); everything after it is
/// flattened row-major into columns: a [N] tensor is one feature named <c>{tensor}</c>, a [N, k] tensor (or any
/// higher rank, k being the product of the other dimensions) gives k features <c>{tensor}[0]</c> ..
/// <c>{tensor}[k-1]</c>, a scalar is one feature with one row. Inputs are named from the reference CSV header
/// instead, in order, when the version's baseline has exactly as many features as the inputs have columns in
/// total (inputs taken in the model's order). Outputs are always named from the tensor.
/// </summary>
internal static class FeatureNaming
{
    public static int Rows(long[] shape) => shape.Length == 0 ? 1 : (int)shape[0];

    public static int Columns(long[] shape)
    {
        if (shape.Length <= 1)
        {
            return 1;
        }

        long columns = 1;
        for (var i = 1; i < shape.Length; i++)
        {
            columns *= shape[i];
        }

        return (int)columns;
    }

    public static string[] Names(string tensor, long[] shape)
    {
        if (shape.Length <= 1)
        {
            return [tensor];
        }

        var columns = Columns(shape);
        var names = new string[columns];
        for (var i = 0; i < columns; i++)
        {
            names[i] = string.Create(CultureInfo.InvariantCulture, $"{tensor}[{i}]");
        }

        return names;
    }
}
