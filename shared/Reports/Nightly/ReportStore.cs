using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PvpServerless.Reports.Bundle;
using PvpServerless.Storage;

namespace PvpServerless.Reports.Nightly;

/// <summary>Where <c>reports/latest.json</c> points: the newest complete day.</summary>
public sealed record LatestReport(DateOnly Day, string Folder, string ManifestSha256, DateTimeOffset PublishedAt);

public sealed record ReportDay(DateOnly Day, BundleManifest Manifest);

/// <summary>
/// The report container: one folder per cut-off day (<c>{yyyy}/{MM}/{dd}/</c>) and <c>latest.json</c>. A folder is
/// written file by file with manifest.json last, and latest.json is moved to it only after that, so a run that dies
/// half-way leaves latest.json on the previous complete day. Re-running the day latest.json points to first moves
/// latest.json back to the newest other complete day.
/// </summary>
public sealed class ReportStore(PvpStorage storage, TimeProvider clock)
{
    public const string LatestName = "latest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private BlobContainerClient Container => storage.Reports;

    public static string FolderOf(DateOnly day) => day.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture) + "/";

    /// <summary>Holds <paramref name="day"/> for one run (see <see cref="DayLock"/>).</summary>
    public Task<DayLock.Held> LockAsync(DateOnly day, TimeSpan wait, CancellationToken cancellationToken) =>
        new DayLock(clock).AcquireAsync(Container, day, wait, cancellationToken);

    public async Task PublishAsync(DateOnly day, IReadOnlyList<BundleFile> files, CancellationToken cancellationToken)
    {
        var folder = FolderOf(day);
        var latest = await GetLatestAsync(cancellationToken);
        if (latest?.Day == day)
        {
            var fallback = (await ListAsync(cancellationToken, take: 2)).FirstOrDefault(d => d.Day != day);
            if (fallback is null)
                await Container.DeleteBlobIfExistsAsync(LatestName, cancellationToken: cancellationToken);
            else
                await WriteLatestAsync(fallback.Day, fallback.Manifest, cancellationToken);
        }

        // Re-running a day replaces its folder: old files first, so none outlives the run.
        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, folder, cancellationToken))
        {
            await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
        foreach (var file in files)
        {
            await Container
                .GetBlobClient(folder + file.Name)
                .UploadAsync(
                    new BinaryData(file.Content),
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = file.ContentType } },
                    cancellationToken
                );
        }

        var manifest = files.Single(f => f.Name == BundleManifest.FileName);
        latest = await GetLatestAsync(cancellationToken);
        // An older day re-run does not move latest.json backwards.
        if (latest is null || latest.Day <= day)
            await WriteLatestAsync(day, BundleManifest.Deserialize(manifest.Content), cancellationToken);
    }

    private async Task WriteLatestAsync(DateOnly day, BundleManifest manifest, CancellationToken cancellationToken)
    {
        var latest = new LatestReport(
            day,
            FolderOf(day),
            ReportBundle.Sha256Hex(manifest.Serialize()),
            clock.GetUtcNow()
        );
        await Container
            .GetBlobClient(LatestName)
            .UploadAsync(
                BinaryData.FromObjectAsJson(latest, Json),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken
            );
    }

    public async Task<LatestReport?> GetLatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await Container.GetBlobClient(LatestName).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<LatestReport>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The newest complete days (those whose manifest.json exists), newest first, with their manifests.
    /// </summary>
    /// <param name="take">How many days' manifests to read; listing the names is cheap, reading each manifest is
    /// not.</param>
    public async Task<IReadOnlyList<ReportDay>> ListAsync(CancellationToken cancellationToken, int take = int.MaxValue)
    {
        var complete = new List<(DateOnly Day, string Blob)>();
        await foreach (
            var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken)
        )
        {
            if (!blob.Name.EndsWith("/" + BundleManifest.FileName, StringComparison.Ordinal))
                continue;
            if (
                !DateOnly.TryParseExact(
                    blob.Name[..10],
                    "yyyy/MM/dd",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var day
                )
            )
                continue;
            complete.Add((day, blob.Name));
        }
        var days = new List<ReportDay>();
        foreach (var (day, name) in complete.OrderByDescending(c => c.Day).Take(take))
        {
            var content = await Container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            days.Add(new ReportDay(day, BundleManifest.Deserialize(content.Value.Content.ToMemory().Span)));
        }
        return days;
    }

    /// <summary>
    /// Deletes the folders of days before <paramref name="keepFrom"/>; latest.json's day is always kept.
    /// </summary>
    public async Task<int> DeleteBeforeAsync(DateOnly keepFrom, CancellationToken cancellationToken)
    {
        var latest = await GetLatestAsync(cancellationToken);
        var deleted = 0;
        await foreach (
            var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken)
        )
        {
            if (
                blob.Name.Length < 11
                || !DateOnly.TryParseExact(
                    blob.Name[..10],
                    "yyyy/MM/dd",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var day
                )
            )
                continue;
            if (day >= keepFrom || day == latest?.Day)
                continue;
            await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            deleted++;
        }
        return deleted;
    }

    /// <summary>
    /// A read-only link to one file of a complete day, valid for <paramref name="lifetime"/> (at most 15 minutes);
    /// null when absent. On Azure a user delegation SAS over HTTPS (see <see cref="BlobReadLinks"/>).
    /// </summary>
    public async Task<Uri?> LinkAsync(DateOnly day, string file, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (
            file.Contains('/', StringComparison.Ordinal)
            || file.Contains('\\', StringComparison.Ordinal)
            || file.StartsWith('.')
        )
            return null;
        var blob = Container.GetBlobClient(FolderOf(day) + file);
        if (!await Container.GetBlobClient(FolderOf(day) + BundleManifest.FileName).ExistsAsync(cancellationToken))
            return null;
        if (!await blob.ExistsAsync(cancellationToken))
            return null;
        return await storage.ReadLinks.CreateAsync(
            blob,
            lifetime,
            $"attachment; filename=\"{day:yyyy-MM-dd}-{file}\"",
            cancellationToken
        );
    }
}
