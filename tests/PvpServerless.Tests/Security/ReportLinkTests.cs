using System.Globalization;
using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.Time.Testing;
using PvpServerless.Reports.Bundle;
using PvpServerless.Reports.Nightly;
using PvpServerless.Storage;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Security;

/// <summary>
/// The researcher API's download links (docs/openapi.yaml, reports) are read-only and short-lived: a link taken from
/// the API's redirect reads its one file, but a PUT or DELETE with it, the same signature on another file, or the
/// link with more permissions written into it, are refused by the storage service and change nothing; its expiry
/// (<c>se</c>) is at most 15 minutes away; a link signed by the code's own signer an hour ago is refused.
/// </summary>
public sealed class ReportLinkTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Day = new(2026, 4, 30);

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7 a report that must not change");

    private PvpStorage Storage => host.Storage;

    /// <summary>A complete day folder as the nightly run leaves it: its manifest and a file.</summary>
    private async Task PublishAsync()
    {
        await Storage.Reports.CreateIfNotExistsAsync(cancellationToken: Ct);
        var folder = ReportStore.FolderOf(Day);
        await Storage.Reports.GetBlobClient(folder + "outcomes.pdf").UploadAsync(new BinaryData(Pdf), true, Ct);
        await Storage.Reports.GetBlobClient(folder + "secret.csv").UploadAsync(BinaryData.FromString("a,b"), true, Ct);
        await Storage
            .Reports.GetBlobClient(folder + BundleManifest.FileName)
            .UploadAsync(BinaryData.FromString("{}"), true, Ct);
    }

    private async Task<Uri> LinkFromTheApiAsync()
    {
        using var researcher = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = host.Client.BaseAddress,
        };
        researcher.DefaultRequestHeaders.Add("x-functions-key", HostFixture.FunctionKey);
        using var redirect = await researcher.GetAsync("/api/reports/2026-04-30/outcomes.pdf", Ct);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return redirect.Headers.Location!;
    }

    [Fact]
    public async Task A_link_reads_its_one_file_and_nothing_else_and_expires_within_15_minutes()
    {
        await PublishAsync();
        var link = await LinkFromTheApiAsync();
        var query = HttpUtility.ParseQueryString(link.Query);
        using var plain = new HttpClient();

        Assert.Equal("r", query["sp"]);
        var expires = DateTimeOffset.Parse(query["se"]!, CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        Assert.Equal(Pdf, await plain.GetByteArrayAsync(link, Ct));

        using var put = new HttpRequestMessage(HttpMethod.Put, link)
        {
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("overwritten")),
            Headers = { { "x-ms-blob-type", "BlockBlob" } },
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(put, Ct)).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, link);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(delete, Ct)).StatusCode);
        // The same signature on the folder's other file, and the link with write and delete written into it.
        var other = new Uri(link.AbsoluteUri.Replace("/outcomes.pdf?", "/secret.csv?", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(other, Ct)).StatusCode);
        var widened = new Uri(link.AbsoluteUri.Replace("sp=r&", "sp=rwd&", StringComparison.Ordinal));
        Assert.NotEqual(link, widened);
        using var widenedDelete = new HttpRequestMessage(HttpMethod.Delete, widened);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(widenedDelete, Ct)).StatusCode);

        var blob = Storage.Reports.GetBlobClient(ReportStore.FolderOf(Day) + "outcomes.pdf");
        Assert.Equal(Pdf, (await blob.DownloadContentAsync(Ct)).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_link_whose_expiry_has_passed_is_refused()
    {
        await PublishAsync();
        var blob = Storage.Reports.GetBlobClient(ReportStore.FolderOf(Day) + "outcomes.pdf");
        // The code's own signer, its clock an hour back: a 10-minute link that ran out 50 minutes ago.
        var anHourAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var expired = await new BlobReadLinks(Storage.Blobs, anHourAgo).CreateAsync(
            blob,
            TimeSpan.FromMinutes(10),
            null,
            Ct
        );
        var fresh = await new BlobReadLinks(Storage.Blobs, TimeProvider.System).CreateAsync(
            blob,
            TimeSpan.FromMinutes(10),
            null,
            Ct
        );
        using var plain = new HttpClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(expired, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(fresh, Ct)).StatusCode);
        // The signer refuses to make a link that lives longer than 15 minutes.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new BlobReadLinks(Storage.Blobs, TimeProvider.System).CreateAsync(
                blob,
                TimeSpan.FromMinutes(16),
                null,
                Ct
            )
        );
    }
}
