using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// A decoded V1 (TF Serving / KServe V1) <c>:predict</c> request.
/// </summary>
/// <param name="Inputs">Input tensors in model input order.</param>
/// <param name="IsColumnar">True for the columnar <c>inputs</c> form (answered with <c>outputs</c>), false for
/// the row <c>instances</c> form (answered with <c>predictions</c>).</param>
/// <param name="Instances">Number of instances (rows) in the row form; the batch size.</param>
public sealed record V1PredictRequest(IReadOnlyList<NamedTensor> Inputs, bool IsColumnar, int Instances);
