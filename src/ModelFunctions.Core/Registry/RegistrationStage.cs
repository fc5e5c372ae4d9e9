namespace ModelFunctions.Core.Registry;

/// <summary>The registration steps, in order; a rejection names the one that failed.</summary>
public enum RegistrationStage
{
    /// <summary>The model name or version is invalid.</summary>
    Name,

    /// <summary>The per-model settings (model.json) are malformed.</summary>
    Settings,

    /// <summary>The file is empty or larger than allowed.</summary>
    Size,

    /// <summary>The file is not an ONNX model.</summary>
    Format,

    /// <summary>ONNX Runtime could not load the model.</summary>
    Load,

    /// <summary>An external-data file is missing or lies outside the version's folder.</summary>
    ExternalData,

    /// <summary>The model failed to run on synthetic inputs.</summary>
    SmokeTest,

    /// <summary>The model has nothing to serve (no inputs, or no inputs or outputs the protocol can carry).</summary>
    Signature,

    /// <summary>The reference data could not be turned into a baseline.</summary>
    Baseline,

    /// <summary>Writing the registry's documents failed, or the version conflicts with an earlier upload.</summary>
    Store,
}
