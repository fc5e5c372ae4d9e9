namespace ModelFunctions.Server.Tests.Support;

/// <summary>The server with an inference key and an admin key configured, on the in-memory test host.</summary>
public sealed class KeyedServerFixture : ServerFixture
{
    public const string InferenceKey = "inference-key-for-tests";
    public const string AdminKey = "admin-key-for-tests";

    protected override bool UseKestrel => false;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("ModelFunctions:Keys:Inference", InferenceKey),
        new("ModelFunctions:Keys:Admin", AdminKey),
    ];
}
