namespace ModelFunctions.Server.Tests.Support;

/// <summary>A server started by one test with its own settings, on Kestrel.</summary>
public sealed class ConfiguredServerFixture(params KeyValuePair<string, string>[] settings) : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => settings;
}
