using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Registry;

/// <summary>
/// Registers new drops on its own: a scan at start, a file-system watcher when the store is a local folder
/// (debounced: a burst of changes gives one scan once the files have been still for
/// <see cref="RegistrationOptions.StableFor"/>), and a scan every <see cref="RegistrationOptions.PollInterval"/>
/// for any store. Files still being written are left to a later scan.
/// </summary>
public sealed class RegistrationWatcher : BackgroundService
{
    private readonly IBlobStore _store;
    private readonly ModelRegistrar _registrar;
    private readonly RegistrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistrationWatcher> _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private int _completedScans;

    /// <summary>Creates the watcher.</summary>
    public RegistrationWatcher(
        IBlobStore store,
        ModelRegistrar registrar,
        IOptions<RegistrationOptions> options,
        TimeProvider time,
        ILogger<RegistrationWatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _registrar = registrar;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many scans have completed (for health checks and tests).</summary>
    public int CompletedScans => Volatile.Read(ref _completedScans);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = await StartFileWatcherAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var result = await ScanSafelyAsync(stoppingToken).ConfigureAwait(false);

            // Files seen mid-write are looked at again as soon as they may have settled.
            var wait = result is { Pending.Count: > 0 } && _options.StableFor < _options.PollInterval
                ? _options.StableFor + TimeSpan.FromMilliseconds(100)
                : _options.PollInterval;
            try
            {
                if (await _changed.WaitAsync(wait, stoppingToken).ConfigureAwait(false))
                {
                    // Debounce: let a burst of writes finish before scanning.
                    await Task.Delay(_options.StableFor + TimeSpan.FromMilliseconds(100), _time, stoppingToken).ConfigureAwait(false);
                    DrainSignal();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<ScanResult?> ScanSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await _registrar.ScanAsync(stoppingToken).ConfigureAwait(false);
            Interlocked.Increment(ref _completedScans);
            if (result.Registrations.Count > 0)
            {
                _logger.LogInformation(
                    "Scan registered {Count} version(s); {Pending} pending, {Problems} problem(s)",
                    result.Registrations.Count,
                    result.Pending.Count,
                    result.Problems.Count);
            }

            return result;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is BlobStoreException or IOException or RegistryException or InvalidDataException or UnauthorizedAccessException)
        {
            // The store may be down for a while; the next poll tries again.
            _logger.LogError(ex, "Registration scan of {Store} failed", _store.Description);
            return null;
        }
    }

    private async Task<FileSystemWatcher?> StartFileWatcherAsync(CancellationToken cancellationToken)
    {
        if (_store is not FileSystemBlobStore folderStore)
        {
            return null;
        }

        try
        {
            await _store.EnsureContainerAsync(ModelStoreLayout.ModelsContainer, cancellationToken).ConfigureAwait(false);
            var folder = Path.Combine(folderStore.Root, ModelStoreLayout.ModelsContainer);
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += (_, _) => Signal();
            watcher.Changed += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.Error += (_, e) =>
            {
                _logger.LogWarning(e.GetException(), "File watcher on {Folder} overflowed or failed; polling continues", folder);
                Signal();
            };
            watcher.EnableRaisingEvents = true;
            _logger.LogInformation("Watching {Folder} for new models (and polling every {Interval})", folder, _options.PollInterval);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            _logger.LogWarning(ex, "Could not watch the model folder; relying on polling every {Interval}", _options.PollInterval);
            return null;
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A scan is already due.
        }
    }

    private void DrainSignal()
    {
        while (_changed.Wait(0))
        {
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
