using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

public sealed class StorageConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seQ==";

    [Fact]
    public void UseDevelopmentStorage_GivesAzuritesWellKnownAccount()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey), parsed.AccountKey);
        Assert.Null(parsed.SasToken);
    }

    [Fact]
    public void AccountNameAndKey_BuildTheEndpointFromProtocolAndSuffix()
    {
        var parsed = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=mfstore01;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://mfstore01.blob.core.chinacloudapi.cn"), parsed.BlobEndpoint);
        Assert.Equal("mfstore01", parsed.AccountName);
        Assert.Equal(Convert.FromBase64String(Key), parsed.AccountKey);
    }

    [Fact]
    public void DefaultsAreHttpsAndThePublicCloud_KeysAreCaseInsensitive_SpacesAndEmptyPartsIgnored()
    {
        var parsed = StorageConnectionString.Parse($" accountname = mfstore01 ; ACCOUNTKEY={Key};;");

        Assert.Equal(new Uri("https://mfstore01.blob.core.windows.net"), parsed.BlobEndpoint);
    }

    [Fact]
    public void ExplicitBlobEndpoint_WinsOverAccountName()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:12345/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/x");

        Assert.Equal(new Uri("http://127.0.0.1:12345/devstoreaccount1"), parsed.BlobEndpoint);
    }

    [Fact]
    public void SharedAccessSignature_IsKeptWithoutItsQuestionMark()
    {
        var parsed = StorageConnectionString.Parse("BlobEndpoint=https://mfstore01.blob.core.windows.net;SharedAccessSignature=?sv=2025-11-05&ss=b&sig=abc%3D");

        Assert.Equal("sv=2025-11-05&ss=b&sig=abc%3D", parsed.SasToken);
        Assert.Null(parsed.AccountKey);
    }

    [Theory]
    [InlineData("AccountName=mfstore01", "AccountKey or SharedAccessSignature")]
    [InlineData("AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=mfstore01;AccountKey=not*base64!", "base64")]
    [InlineData("AccountName=Bad_Name;AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=mfstore01;AccountKey=" + Key + ";Password=hunter2", "'Password'")]
    [InlineData("AccountName=mfstore01;AccountName=other;AccountKey=" + Key, "twice")]
    [InlineData("BlobEndpoint=ftp://host/x;AccountName=mfstore01;AccountKey=" + Key, "BlobEndpoint")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage")]
    [InlineData("AccountName=mfstore01;DefaultEndpointsProtocol=gopher;AccountKey=" + Key, "DefaultEndpointsProtocol")]
    [InlineData("just some text", "Key=Value")]
    public void BadStrings_AreRejectedNamingTheProblem_WithoutEchoingValues(string connectionString, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain(Key, ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.DoesNotContain("not*base64", ex.Message);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData("AccountName=a;AccountKey=b", true)]
    [InlineData("./modelstore", false)]
    [InlineData("/srv/models=v2", false)]
    [InlineData("https://mfstore01.blob.core.windows.net", false)]
    public void LooksLikeConnectionString_TellsStringsFromPathsAndUris(string value, bool expected)
    {
        Assert.Equal(expected, StorageConnectionString.LooksLikeConnectionString(value));
    }
}
