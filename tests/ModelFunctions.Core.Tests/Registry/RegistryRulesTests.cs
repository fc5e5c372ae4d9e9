using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>Names, versions, blob layout, model.json parsing and service registration.</summary>
public sealed class RegistryRulesTests
{
    [Theory]
    [InlineData("iris", true)]
    [InlineData("a", true)]
    [InlineData("my-model_v2.onnx-export", true)]
    [InlineData("", false)]
    [InlineData("Iris", false)]
    [InlineData("iris model", false)]
    [InlineData("a..b", false)]
    [InlineData("a/b", false)]
    [InlineData("héllo", false)]
    public void Validate_ModelNames(string name, bool valid)
    {
        Assert.Equal(valid, ModelNames.Validate(name) is null);
    }

    [Fact]
    public void Validate_NameLength_IsAtMost64()
    {
        Assert.Null(ModelNames.Validate(new string('a', 64)));
        Assert.Contains("64", ModelNames.Validate(new string('a', 65)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("0", null)]
    [InlineData("01", null)]
    [InlineData("+1", null)]
    [InlineData("-1", null)]
    [InlineData("2147483648", null)]
    [InlineData("1.0", null)]
    [InlineData("", null)]
    public void TryParseVersion_AcceptsOnlyPlainPositiveIntegers(string text, int? expected)
    {
        var error = ModelNames.TryParseVersion(text, out var version);

        Assert.Equal(expected is null, error is not null);
        if (expected is not null)
        {
            Assert.Equal(expected, version);
        }
    }

    [Fact]
    public void Layout_BlobNames()
    {
        Assert.Equal("iris/3/model.onnx", ModelStoreLayout.ModelBlob("iris", 3));
        Assert.Equal("iris/3/reference.csv", ModelStoreLayout.ReferenceBlob("iris", 3));
        Assert.Equal("iris/model.json", ModelStoreLayout.SettingsBlob("iris"));
        Assert.Equal("iris/versions/3.json", ModelStoreLayout.ManifestBlob("iris", 3));
        Assert.Equal("iris/versions/3.baseline.json", ModelStoreLayout.BaselineBlob("iris", 3));
        Assert.Equal("iris/state.json", ModelStoreLayout.StateBlob("iris"));
    }

    [Theory]
    [InlineData("iris/3/model.onnx", true, "iris", 3)]
    [InlineData("iris/3/model.txt", false, "iris", 3)]
    [InlineData("iris/03/model.onnx", false, "iris", 0)]
    [InlineData("Iris/3/model.onnx", false, "", 3)]
    [InlineData("iris/model.onnx", false, "", 0)]
    [InlineData("iris/3/sub/model.onnx", false, "", 0)]
    public void TryParseModelBlob_KeepsTheValidParts(string blob, bool ok, string model, int version)
    {
        var parsed = ModelStoreLayout.TryParseModelBlob(blob, out var m, out var v, out var error);

        Assert.Equal(ok, parsed);
        Assert.Equal(ok, error is null);
        Assert.Equal(model, m);
        Assert.Equal(version, v);
    }

    [Fact]
    public void Settings_DefaultsAndFields()
    {
        var defaults = ModelSettingsReader.Parse("{}"u8);
        var full = ModelSettingsReader.Parse("""
            {"policy": "canary", "canaryPercent": 30, "rejectNonFinite": true, "extra": 1,
             "batching": {"enabled": true, "maxBatchSize": 8, "maxQueueDelayMs": 5},
             "monitoring": {"drift": {"threshold": 0.2}}}
            """u8);

        Assert.Equal(ModelSettings.Default.Policy, defaults.Policy);
        Assert.Equal((PromotionPolicy.Auto, 10, (bool?)null, 32, 2, false), (defaults.Policy, defaults.CanaryPercent, defaults.Batching.Enabled, defaults.Batching.MaxBatchSize, defaults.Batching.MaxQueueDelayMs, defaults.RejectNonFinite));
        Assert.Equal((PromotionPolicy.Canary, 30, (bool?)true, 8, 5, true), (full.Policy, full.CanaryPercent, full.Batching.Enabled, full.Batching.MaxBatchSize, full.Batching.MaxQueueDelayMs, full.RejectNonFinite));
        Assert.Equal(0.2, full.Monitoring!.Value.GetProperty("drift").GetProperty("threshold").GetDouble());
    }

    [Theory]
    [InlineData("""{"policy": "sometimes"}""", "policy")]
    [InlineData("""{"canaryPercent": 0}""", "canaryPercent")]
    [InlineData("""{"batching": {"maxBatchSize": "big"}}""", "batching.maxBatchSize")]
    [InlineData("""{"batching": []}""", "batching")]
    [InlineData("""{"rejectNonFinite": "yes"}""", "rejectNonFinite")]
    [InlineData("""[1]""", "object")]
    [InlineData("""{"policy": """, "not valid JSON")]
    public void Settings_Malformed_NameTheField(string json, string field)
    {
        var ex = Assert.Throws<RegistryException>(() => ModelSettingsReader.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Equal(RegistryErrorKind.Invalid, ex.Kind);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelState_History_KeepsTheLastChangesOnly()
    {
        var state = ModelState.Empty("iris");
        for (var i = 1; i <= ModelState.MaxHistory + 50; i++)
        {
            state = state.WithChange(new StateChange(DateTimeOffset.UnixEpoch.AddSeconds(i), StateActions.Promote, i - 1, i, null, $"change {i}"));
        }

        Assert.Equal(ModelState.MaxHistory, state.History.Count);
        Assert.Equal(51, state.History[0].To);
        Assert.Equal(ModelState.MaxHistory + 50, state.History[^1].To);
    }

    [Fact]
    public void AddModelRegistry_BindsOptionsAndResolvesServices()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["ModelFunctions:Registration:MaxModelBytes"] = "1000",
            ["ModelFunctions:Registration:PollInterval"] = "00:00:30",
        });

        var options = provider.GetRequiredService<IOptions<RegistrationOptions>>().Value;

        Assert.Equal(1000, options.MaxModelBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StableFor);
        Assert.NotNull(provider.GetRequiredService<ModelRegistrar>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddModelRegistry_InvalidOptions_FailValidation()
    {
        using var provider = Build(new Dictionary<string, string?> { ["ModelFunctions:Registration:PollInterval"] = "00:00:00" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistrationOptions>>().Value);

        Assert.Contains("PollInterval", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IBlobStore>(new FileSystemBlobStore(Path.Combine(Path.GetTempPath(), "mf-unused-" + Guid.NewGuid().ToString("N")), NullLogger<FileSystemBlobStore>.Instance));
        services.AddModelRegistry(configuration);
        return services.BuildServiceProvider();
    }
}
