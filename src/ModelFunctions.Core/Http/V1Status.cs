namespace ModelFunctions.Core.Http;

/// <summary>TF Serving's status object.</summary>
/// <param name="ErrorCode">OK, or the reason class.</param>
/// <param name="ErrorMessage">Empty, or why the version is not servable.</param>
public sealed record V1Status(string ErrorCode, string ErrorMessage);
