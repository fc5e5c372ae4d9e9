using System.Security.Cryptography;
using System.Text.Json;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>
/// Registration and state changes against a real store, real model files and real ONNX Runtime.
/// Each store kind derives from this class, so the same behaviour is checked on the folder store and on Azurite.
/// </summary>
public abstract class RegistrarContractTests
{
    private protected abstract IBlobStore CreateStore();

    private RegistryHarness Harness(RegistrationOptions? options = null) => new(CreateStore(), options);

    [Fact]
    public async Task Register_GoodDrop_BecomesProductionWithManifestAndBaseline()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("iris");
        var bytes = TestModels.Bytes("iris.onnx");
        await h.DropAsync(model, 1, bytes);
        await h.DropFileAsync(model, 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var manifest = await h.Registry.GetManifestAsync(model, 1, CancellationToken.None);
        Assert.NotNull(manifest);
        Assert.Equal(VersionStatus.Ready, manifest.Status);
        Assert.Null(manifest.FailedStage);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest.Sha256);
        Assert.Equal(bytes.Length, manifest.SizeBytes);
        var input = Assert.Single(manifest.Inputs);
        Assert.Equal("features", input.Name);
        Assert.Equal([-1L, 4L], input.Shape);
        Assert.Equal(["probabilities", "label"], manifest.Outputs.Select(o => o.Name));
        Assert.Equal("modelfunctions-tests", manifest.Producer);
        Assert.Equal(17, manifest.Opsets[""]);
        Assert.Equal("setosa,versicolor,virginica", manifest.CustomMetadata["classes"]);
        Assert.True(manifest.LoadMilliseconds > 0);
        Assert.Empty(manifest.BreakingChanges);
        Assert.True(manifest.HasBaseline);

        var baselineBytes = await h.Registry.ReadBytesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, 1), CancellationToken.None);
        Assert.NotNull(baselineBytes);
        var baseline = RegistryJson.Deserialize<ModelBaseline>(baselineBytes);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], baseline.FeatureNames);
        Assert.Equal(600, baseline.Rows);
        Assert.Equal(600, baseline.Features["petal_length"].Count);
        Assert.NotNull(baseline.Features["petal_length"].BinEdges);

        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(1, state.Production);
        Assert.Null(state.Canary);
        Assert.Equal([StateActions.Register, StateActions.Promote], state.History.Select(c => c.Action));
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.WorkFolder));

        var summary = await h.Registry.GetModelAsync(model, CancellationToken.None);
        Assert.Equal(1, summary.Production);
        Assert.Equal(VersionStatus.Ready, Assert.Single(summary.Versions).Status);
        Assert.Contains(await h.Registry.ListModelsAsync(CancellationToken.None), m => m.Model == model);
    }

    [Fact]
    public async Task Register_TakesTheBinCountOfModelJson_ForTheReferenceBaseline()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("iris");
        await h.SetSettingsAsync(model, """{"monitoring": {"drift": {"bins": 4}}}""");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.DropFileAsync(model, 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var baseline = RegistryJson.Deserialize<ModelBaseline>((await h.Registry.ReadBytesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, 1), CancellationToken.None))!);

        // 4 quantile bins: 5 edges, and 4 bins plus underflow and overflow counted.
        Assert.Equal(5, baseline.Features["sepal_length"].BinEdges!.Length);
        Assert.Equal(6, baseline.Features["sepal_length"].Histogram!.Length);
    }

    public static TheoryData<string, RegistrationStage, string> BadFiles => new()
    {
        { "truncated", RegistrationStage.Format, "" },
        { "random", RegistrationStage.Format, "" },
        { "empty", RegistrationStage.Size, "empty" },
        { "zero_input", RegistrationStage.Signature, "no inputs" },
        { "external_escape", RegistrationStage.ExternalData, "outside the version's folder" },
        { "external_missing", RegistrationStage.ExternalData, "not in the version's folder" },
        { "too_large", RegistrationStage.Size, "limit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Register_BadFile_IsRejectedWithStageAndNeverServed(string kind, RegistrationStage stage, string reasonPart)
    {
        using var h = Harness(new RegistrationOptions { StableFor = TimeSpan.Zero, MaxModelBytes = 1 << 20 });
        var model = RegistryHarness.UniqueModel("bad");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var etagBefore = await h.StateETagAsync(model);

        var iris = TestModels.Bytes("iris.onnx");
        var content = kind switch
        {
            "truncated" => iris[..(iris.Length / 2)],
            "random" => RandomNumberGenerator.GetBytes(4096),
            "empty" => [],
            "zero_input" => TestModels.Bytes("zero_input.onnx"),
            "external_escape" => TestModels.Bytes("external_data_escape.onnx"),
            "external_missing" => TestModels.Bytes("external_data.onnx"),
            "too_large" => TestModels.Bytes("mlp.onnx"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await h.DropAsync(model, 2, content);

        var result = await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Rejected, result.Outcome);
        Assert.Equal(stage, result.FailedStage);
        Assert.Contains(reasonPart, result.Reason, StringComparison.Ordinal);
        var manifest = await h.Registry.GetManifestAsync(model, 2, CancellationToken.None);
        Assert.NotNull(manifest);
        Assert.Equal(VersionStatus.Rejected, manifest.Status);
        Assert.Equal(stage, manifest.FailedStage);
        Assert.Equal(result.Reason, manifest.Reason);
        Assert.Equal(etagBefore, await h.StateETagAsync(model));
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
        var promote = await Assert.ThrowsAsync<RegistryException>(() => h.Registry.PromoteAsync(model, 2, "test", CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Conflict, promote.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.WorkFolder));
    }

    [Fact]
    public async Task Register_ExternalDataInVersionFolder_IsReady()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("external");
        await h.DropAsync(model, 1, TestModels.Bytes("external_data.onnx"));
        await h.DropFileAsync(model, 1, "weights.bin", TestModels.Bytes("weights.bin"));

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(VersionStatus.Ready, result.Manifest!.Status);
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
    }

    [Fact]
    public async Task Register_InvalidNameOrVersion_IsRejectedWithoutManifest()
    {
        using var h = Harness();

        var badName = await h.Registrar.RegisterAsync("Iris", 1, CancellationToken.None);
        var badVersion = await h.Registrar.RegisterAsync("iris", 0, CancellationToken.None);

        Assert.Equal(RegistrationStage.Name, badName.FailedStage);
        Assert.Contains("'I'", badName.Reason, StringComparison.Ordinal);
        Assert.Equal(RegistrationStage.Name, badVersion.FailedStage);
        Assert.Null(badName.Manifest);
    }

    [Fact]
    public async Task Scan_MisnamedDrops_AreReportedAndNothingIsRegistered()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("misnamed");
        var iris = TestModels.Bytes("iris.onnx");
        await h.PutAsync(ModelStoreLayout.ModelsContainer, $"{model}/1/model.txt", iris);
        await h.PutAsync(ModelStoreLayout.ModelsContainer, $"{model}/01/model.onnx", iris);
        await h.PutAsync(ModelStoreLayout.ModelsContainer, $"{model}/two/model.onnx", iris);
        await h.PutAsync(ModelStoreLayout.ModelsContainer, $"{model}/3/other.onnx", iris);
        await h.PutAsync(ModelStoreLayout.ModelsContainer, $"{model.ToUpperInvariant()}/1/model.onnx", iris);

        var scan = await h.Registrar.ScanAsync(CancellationToken.None);

        Assert.DoesNotContain(scan.Registrations, r => r.Model.StartsWith(model, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(scan.Problems, p => p.BlobName == $"{model}/1/" && p.Reason.Contains("model.txt", StringComparison.Ordinal));
        Assert.Contains(scan.Problems, p => p.BlobName == $"{model}/01/model.onnx" && p.Reason.Contains("leading zero", StringComparison.Ordinal));
        Assert.Contains(scan.Problems, p => p.BlobName == $"{model}/two/model.onnx" && p.Reason.Contains("not a positive integer", StringComparison.Ordinal));
        Assert.Contains(scan.Problems, p => p.BlobName == $"{model}/3/other.onnx" && p.Reason.Contains("'other.onnx'", StringComparison.Ordinal));
        Assert.Contains(scan.Problems, p => p.BlobName == $"{model.ToUpperInvariant()}/1/model.onnx" && p.Reason.Contains("lower-case", StringComparison.Ordinal));
        Assert.DoesNotContain(await h.Registry.ListModelsAsync(CancellationToken.None), m => m.Model == model);
    }

    [Fact]
    public async Task Register_DuplicateDelivery_ChangesNothing()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("dup");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        var first = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var stateETag = await h.StateETagAsync(model);
        var manifestETag = (await h.Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.ManifestBlob(model, 1), CancellationToken.None))!.ETag;

        var second = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var scan = await h.Registrar.ScanAsync(CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, first.Outcome);
        Assert.Equal(RegistrationOutcome.AlreadyRegistered, second.Outcome);
        Assert.Equal(first.Manifest!.Sha256, second.Manifest!.Sha256);
        Assert.DoesNotContain(scan.Registrations, r => r.Model == model);
        Assert.Equal(stateETag, await h.StateETagAsync(model));
        Assert.Equal(manifestETag, (await h.Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.ManifestBlob(model, 1), CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Register_ByteIdenticalReupload_IsAlreadyRegistered()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("same");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var stateETag = await h.StateETagAsync(model);
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));

        var again = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.AlreadyRegistered, again.Outcome);
        Assert.Equal(stateETag, await h.StateETagAsync(model));
    }

    [Fact]
    public async Task Register_ConflictingReupload_IsRefusedAndOriginalManifestKept()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("conflict");
        var iris = TestModels.Bytes("iris.onnx");
        await h.DropAsync(model, 1, iris);
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.DropAsync(model, 1, TestModels.Bytes("multi_input.onnx"));

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        var etagAfterFirst = await h.StateETagAsync(model);
        var repeated = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Conflict, result.Outcome);
        Assert.Contains("immutable", result.Reason, StringComparison.Ordinal);
        var manifest = await h.Registry.GetManifestAsync(model, 1, CancellationToken.None);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(iris)), manifest!.Sha256);
        Assert.Equal("features", Assert.Single(manifest.Inputs).Name);
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(1, state.Production);
        var conflict = Assert.Single(state.History, c => c.Action == StateActions.Conflict);
        Assert.Equal(result.Reason, conflict.Reason);
        Assert.Equal(RegistrationOutcome.Conflict, repeated.Outcome);
        Assert.Equal(etagAfterFirst, await h.StateETagAsync(model));
    }

    [Fact]
    public async Task Register_TwentyVersionsConcurrently_LosesNothing()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("many");
        var iris = TestModels.Bytes("iris.onnx");
        var versions = Enumerable.Range(1, 20).ToArray();
        foreach (var v in versions)
        {
            await h.DropAsync(model, v, iris);
        }

        var results = await Task.WhenAll(versions.Select(v => Task.Run(() => h.Registrar.RegisterAsync(model, v, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(RegistrationOutcome.Registered, r.Outcome));
        var summary = await h.Registry.GetModelAsync(model, CancellationToken.None);
        Assert.Equal(versions, summary.Versions.Select(v => v.Version));
        Assert.All(summary.Versions, v => Assert.Equal(VersionStatus.Ready, v.Status));
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(20, state.Production);
        Assert.Equal(versions, state.History.Where(c => c.Action == StateActions.Register).Select(c => c.To!.Value).Order());
        AssertProductionChain(state, initial: null);
        Assert.Equal(state.PreviousProductions.Count, state.PreviousProductions.Distinct().Count());
    }

    [Fact]
    public async Task PromoteRollbackAndTraffic_Racing_KeepStateConsistent()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("race");
        await h.SetSettingsAsync(model, """{"policy": "manual"}""");
        var iris = TestModels.Bytes("iris.onnx");
        for (var v = 1; v <= 4; v++)
        {
            await h.DropAsync(model, v, iris);
            Assert.Equal(RegistrationOutcome.Registered, (await h.Registrar.RegisterAsync(model, v, CancellationToken.None)).Outcome);
        }

        Assert.Null((await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
        await h.Registry.PromoteAsync(model, 1, "start", CancellationToken.None);
        var before = (await h.Registry.GetStateAsync(model, CancellationToken.None)).History.Count;

        var operations = new List<Func<Task>>();
        for (var round = 0; round < 6; round++)
        {
            var r = round;
            operations.Add(() => h.Registry.PromoteAsync(model, 2 + (r % 3), $"promote {r}", CancellationToken.None));
            operations.Add(() => h.Registry.RollbackAsync(model, $"rollback {r}", CancellationToken.None));
            operations.Add(() => h.Registry.SetTrafficAsync(model, 4 - (r % 2), 10 + r, $"traffic {r}", CancellationToken.None));
        }

        var outcomes = await Task.WhenAll(operations.Select(op => Task.Run(async () =>
        {
            try
            {
                await op();
                return true;
            }
            catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Conflict)
            {
                // A rollback with nothing to return to, or a canary that is production right now.
                return false;
            }
        })));

        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        var changes = state.History.Skip(before).ToArray();
        var succeeded = outcomes.Count(o => o);
        Assert.True(succeeded >= operations.Count / 3, $"only {succeeded} operations succeeded");
        // Promoting the version that is already production records nothing; every other success is in the history.
        Assert.InRange(changes.Length, succeeded - 6, succeeded);
        Assert.All(changes, c => Assert.Contains(c.Action, new[] { StateActions.Promote, StateActions.Rollback, StateActions.Traffic }));
        AssertProductionChain(state, initial: null);
        Assert.NotNull(state.Production);
        Assert.InRange(state.Production.Value, 1, 4);
        Assert.NotEqual(state.Production, state.Canary);
        Assert.Equal(state.Canary is null, state.CanaryPercent == 0);
    }

    [Fact]
    public async Task Register_StoreFailsWritingState_LeavesServingAsItWasAndRetrySucceeds()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("fault");
        var iris = TestModels.Bytes("iris.onnx");
        await h.DropAsync(model, 1, iris);
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.DropAsync(model, 2, iris);
        var stateETag = await h.StateETagAsync(model);
        h.Faulty.FailWrites = (container, name) => name == ModelStoreLayout.StateBlob(model);

        await Assert.ThrowsAsync<BlobStoreException>(() => h.Registrar.RegisterAsync(model, 2, CancellationToken.None));

        Assert.True(h.Faulty.FailedWrites > 0);
        Assert.Equal(stateETag, await h.StateETagAsync(model));
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.WorkFolder));

        h.Faulty.FailWrites = (_, _) => false;
        var retry = await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);
        var again = await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, retry.Outcome);
        Assert.Equal(RegistrationOutcome.AlreadyRegistered, again.Outcome);
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(2, state.Production);
        Assert.Single(state.History, c => c.Action == StateActions.Register && c.To == 2);
    }

    [Fact]
    public async Task Register_StoreFailsWritingManifest_RecordsNothingAndRetrySucceeds()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("fault");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        h.Faulty.FailWrites = (container, name) => container == ModelStoreLayout.RegistryContainer;

        await Assert.ThrowsAsync<BlobStoreException>(() => h.Registrar.RegisterAsync(model, 1, CancellationToken.None));
        var scan = await h.Registrar.ScanAsync(CancellationToken.None);

        Assert.Null(await h.Registry.GetManifestAsync(model, 1, CancellationToken.None));
        Assert.Null(await h.StateETagAsync(model));
        Assert.Contains(scan.Problems, p => p.BlobName == ModelStoreLayout.ModelBlob(model, 1) && p.Reason.Contains("retried", StringComparison.Ordinal));

        h.Faulty.FailWrites = (_, _) => false;
        var retry = await h.Registrar.ScanAsync(CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, Assert.Single(retry.Registrations, r => r.Model == model).Outcome);
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
    }

    [Fact]
    public async Task Register_StoreFailsAfterBaseline_LeavesNoBaselineBehind()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("fault");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.DropFileAsync(model, 1, ModelStoreLayout.ReferenceFileName, TestModels.Bytes("iris.reference.csv"));
        h.Faulty.FailWrites = (container, name) => name == ModelStoreLayout.ManifestBlob(model, 1);

        await Assert.ThrowsAsync<BlobStoreException>(() => h.Registrar.RegisterAsync(model, 1, CancellationToken.None));

        Assert.Null(await h.Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, 1), CancellationToken.None));
        Assert.Null(await h.Registry.GetManifestAsync(model, 1, CancellationToken.None));
        h.Faulty.FailWrites = (_, _) => false;
        var retry = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        Assert.True(retry.Manifest!.HasBaseline);
        Assert.NotNull(await h.Store.GetPropertiesAsync(ModelStoreLayout.RegistryContainer, ModelStoreLayout.BaselineBlob(model, 1), CancellationToken.None));
    }

    [Fact]
    public async Task Register_BreakingChange_BlocksAutoPromotion()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("breaking");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.DropAsync(model, 2, TestModels.Bytes("multi_input.onnx"));

        var result = await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var manifest = result.Manifest!;
        Assert.Equal(VersionStatus.Ready, manifest.Status);
        Assert.Contains("input 'features' was removed", manifest.BreakingChanges);
        Assert.Contains("output 'probabilities' was removed", manifest.BreakingChanges);
        Assert.Contains("breaks production v1", manifest.Reason, StringComparison.Ordinal);
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Equal(1, state.Production);
        Assert.Contains(state.History, c => c.Action == StateActions.Register && c.To == 2);

        // An operator can still promote it by hand.
        await h.Registry.PromoteAsync(model, 2, "accepted the break", CancellationToken.None);
        Assert.Equal(2, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
    }

    [Fact]
    public async Task Register_CanaryPolicy_SplitsTrafficThenPromoteAndRollback()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("canary");
        await h.SetSettingsAsync(model, """{"policy": "canary", "canaryPercent": 25, "unknownField": [1, 2]}""");
        var iris = TestModels.Bytes("iris.onnx");
        await h.DropAsync(model, 1, iris);
        await h.DropAsync(model, 2, iris);

        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);
        var afterCanary = await h.Registry.GetStateAsync(model, CancellationToken.None);
        var promoted = await h.Registry.PromoteAsync(model, 2, "canary healthy", CancellationToken.None);
        var rolledBack = await h.Registry.RollbackAsync(model, "canary sick after all", CancellationToken.None);

        Assert.Equal((1, (int?)2, 25), (afterCanary.Production!.Value, afterCanary.Canary, afterCanary.CanaryPercent));
        Assert.Equal((2, (int?)null, 0), (promoted.Production!.Value, promoted.Canary, promoted.CanaryPercent));
        Assert.Equal(1, rolledBack.Production);
        Assert.Empty(rolledBack.PreviousProductions);
        var noMore = await Assert.ThrowsAsync<RegistryException>(() => h.Registry.RollbackAsync(model, "again", CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Conflict, noMore.Kind);
    }

    [Fact]
    public async Task Register_ManualPolicy_PromotesNothing()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("manual");
        await h.SetSettingsAsync(model, """{"policy": "Manual"}""");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));

        var result = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        var state = await h.Registry.GetStateAsync(model, CancellationToken.None);
        Assert.Null(state.Production);
        Assert.Equal(StateActions.Register, Assert.Single(state.History).Action);
    }

    [Fact]
    public async Task Register_MalformedSettings_RefusesUntilFixed()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("settings");
        await h.SetSettingsAsync(model, """{"policy": "auto", "canaryPercent": 150}""");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));

        var refused = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.SetSettingsAsync(model, """{"canaryPercent": 15}""");
        var accepted = await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);

        Assert.Equal(RegistrationOutcome.Rejected, refused.Outcome);
        Assert.Equal(RegistrationStage.Settings, refused.FailedStage);
        Assert.Contains("canaryPercent", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(RegistrationOutcome.Registered, accepted.Outcome);
        Assert.Equal(1, (await h.Registry.GetStateAsync(model, CancellationToken.None)).Production);
    }

    [Fact]
    public async Task Scan_HalfWrittenFile_IsSkippedUntilStable()
    {
        using var h = Harness(new RegistrationOptions { StableFor = TimeSpan.FromSeconds(30) });
        var model = RegistryHarness.UniqueModel("halfway");
        var iris = TestModels.Bytes("iris.onnx");
        await h.DropAsync(model, 1, iris[..100]);

        var whileWriting = await h.Registrar.ScanAsync(CancellationToken.None);
        await h.DropAsync(model, 1, iris);
        var justFinished = await h.Registrar.ScanAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var settled = await h.Registrar.ScanAsync(CancellationToken.None);

        Assert.Contains(ModelStoreLayout.ModelBlob(model, 1), whileWriting.Pending);
        Assert.Contains(ModelStoreLayout.ModelBlob(model, 1), justFinished.Pending);
        Assert.DoesNotContain(whileWriting.Registrations, r => r.Model == model);
        var registered = Assert.Single(settled.Registrations, r => r.Model == model);
        Assert.Equal(RegistrationOutcome.Registered, registered.Outcome);
        Assert.Equal(VersionStatus.Ready, registered.Manifest!.Status);
    }

    [Fact]
    public async Task SetTraffic_ChecksVersionAndPercent()
    {
        using var h = Harness();
        var model = RegistryHarness.UniqueModel("traffic");
        await h.DropAsync(model, 1, TestModels.Bytes("iris.onnx"));
        await h.DropAsync(model, 2, TestModels.Bytes("iris.onnx"));
        await h.Registrar.RegisterAsync(model, 1, CancellationToken.None);
        await h.Registrar.RegisterAsync(model, 2, CancellationToken.None);
        await h.Registry.RollbackAsync(model, "back to 1", CancellationToken.None);

        var invalid = await Assert.ThrowsAsync<RegistryException>(() => h.Registry.SetTrafficAsync(model, 2, 100, "t", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<RegistryException>(() => h.Registry.SetTrafficAsync(model, 9, 10, "t", CancellationToken.None));
        var production = await Assert.ThrowsAsync<RegistryException>(() => h.Registry.SetTrafficAsync(model, 1, 10, "t", CancellationToken.None));
        var split = await h.Registry.SetTrafficAsync(model, 2, 30, "try 2", CancellationToken.None);
        var cleared = await h.Registry.SetTrafficAsync(model, 2, 0, "stop", CancellationToken.None);

        Assert.Equal(RegistryErrorKind.Invalid, invalid.Kind);
        Assert.Contains("canaryPercent", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(RegistryErrorKind.NotFound, missing.Kind);
        Assert.Equal(RegistryErrorKind.Conflict, production.Kind);
        Assert.Equal((1, (int?)2, 30), (split.Production!.Value, split.Canary, split.CanaryPercent));
        Assert.Equal(((int?)null, 0), (cleared.Canary, cleared.CanaryPercent));
        Assert.Equal(StateActions.Traffic, cleared.History[^1].Action);
    }

    /// <summary>Every promote and rollback starts from the production version the previous one left.</summary>
    private static void AssertProductionChain(ModelState state, int? initial)
    {
        var production = initial;
        foreach (var change in state.History.Where(c => c.Action is StateActions.Promote or StateActions.Rollback))
        {
            Assert.Equal(production, change.From);
            production = change.To;
        }

        Assert.Equal(state.Production, production);
    }
}
