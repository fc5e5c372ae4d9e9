namespace ModelFunctions.Server;

/// <summary>
/// The demo model the server puts in an empty folder store on first run. Bound from <c>ModelFunctions:Sample</c>.
/// </summary>
internal sealed class SampleModelOptions
{
    public const string SectionName = "ModelFunctions:Sample";

    /// <summary>Whether to seed an empty store with the sample model. Default true.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>Name the sample model is registered under. Default <c>iris</c>.</summary>
    public string Name { get; set; } = "iris";
}
