using System.Security.Cryptography;
using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;
using PvpServerless.Cohort;

namespace PvpServerless.Reports.Bundle;

/// <summary>
/// Every file of one nightly report folder, built in memory: outcomes.pdf, outcomes.json, cohort.json (the
/// de-identified canonical cohort the figures were computed from), the CSV files with data-dictionary.csv, and
/// manifest.json last. The nightly function uploads <see cref="Files"/> as they are; ./pvp report writes them to disk.
/// </summary>
/// <param name="Files">Every file in upload order; manifest.json is last, so a folder with a manifest is
/// complete.</param>
/// <param name="Pages">Pages of outcomes.pdf.</param>
public sealed record ReportBundle(IReadOnlyList<BundleFile> Files, BundleManifest Manifest, int Pages)
{
    public const string PdfName = "outcomes.pdf";
    public const string CohortName = "cohort.json";

    /// <summary>
    /// Analyses <paramref name="cohort"/>, renders the report and lists everything in a manifest. No storage and no
    /// randomness: with the same clock readings the same input gives the same bytes, the PDF included (Skia derives
    /// the PDF's file identifier from its metadata, which holds the generation time).
    /// </summary>
    /// <param name="softwareVersion">Stamped on every output; <c>Hosting.SoftwareVersion.Current</c> for this
    /// build.</param>
    /// <param name="clock">Read once before the analysis (startedAt, generatedAt) and once after the last file
    /// (finishedAt).</param>
    public static ReportBundle Build(
        CohortDocument cohort,
        AnalysisOptions options,
        string softwareVersion,
        TimeProvider clock
    )
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var startedAt = clock.GetUtcNow();
        // cohort.json is the canonical serialisation, so its hash is the input hash: serialise once, use for both.
        var cohortJson = CohortJson.Serialize(cohort);
        var inputSha256 = Sha256Hex(cohortJson);
        var scores = OutcomeAnalysis.Score(cohort);
        var outcomes = OutcomeAnalysis.Analyse(
            cohort,
            scores,
            options,
            new Provenance(startedAt, softwareVersion, inputSha256)
        );

        using var pdf = new MemoryStream();
        var context = new ReportContext(options.Eq5dMcid, options.OdiMcid, ReportContext.CensoredDaysOf(cohort));
        var pages = OutcomesReport.Render(outcomes, context, pdf);

        var files = new List<BundleFile> { new(PdfName, pdf.ToArray(), "application/pdf") };
        foreach (var file in OutcomeFiles.Write(cohort, outcomes, scores))
        {
            files.Add(new BundleFile(file.Name, file.Content, ContentType(file.Name)));
            // cohort.json right after outcomes.json: the figures, then what they were computed from.
            if (file.Name == OutcomeFiles.OutcomesJsonName)
                files.Add(new BundleFile(CohortName, cohortJson, "application/json"));
        }

        var manifest = new BundleManifest(
            BundleManifest.CurrentSchemaVersion,
            cohort.CutoffDate,
            files.Select(f => new ManifestEntry(f.Name, f.Content.LongLength, Sha256Hex(f.Content))).ToList(),
            inputSha256,
            softwareVersion,
            startedAt,
            clock.GetUtcNow(),
            outcomes.Eq5d,
            cohort.Patients.Count
        );
        files.Add(new BundleFile(BundleManifest.FileName, manifest.Serialize(), "application/json"));
        return new ReportBundle(files, manifest, pages);
    }

    /// <summary>Lower-case hex SHA-256, as manifest.json and outcomes.json write hashes.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static string ContentType(string name) =>
        Path.GetExtension(name) switch
        {
            ".json" => "application/json",
            ".csv" => "text/csv; charset=utf-8",
            ".pdf" => "application/pdf",
            _ => "application/octet-stream",
        };
}
