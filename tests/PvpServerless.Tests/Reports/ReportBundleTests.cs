using System.Text;
using System.Text.Json.Nodes;
using PvpServerless.Analysis;
using PvpServerless.Analysis.Export;
using PvpServerless.Cohort;
using PvpServerless.Demo;
using PvpServerless.Reports;
using PvpServerless.Reports.Bundle;

namespace PvpServerless.Tests.Reports;

public sealed class ReportBundleTests
{
    private static CohortDocument Empty => SeedCohort.Build() with { Patients = [] };

    private static CohortDocument OnePatient => SeedCohort.Build() with { Patients = [SeedCohort.Build().Patients[0]] };

    public static TheoryData<string> Cohorts => new() { "seed", "empty", "one patient", "synthetic 200" };

    private static CohortDocument CohortNamed(string name) =>
        name switch
        {
            "seed" => SeedCohort.Build(),
            "empty" => Empty,
            "one patient" => OnePatient,
            "synthetic 200" => SyntheticCohort.Build(200, seed: 7),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

    private static ReportBundle BundleNamed(string name) =>
        name == "seed" ? BundleTestData.Seed : BundleTestData.Build(CohortNamed(name));

    /// <summary>The folder's files in upload order with their content types, as researchers expect them.</summary>
    private static readonly (string Name, string ContentType)[] ExpectedFiles =
    [
        ("outcomes.pdf", "application/pdf"),
        ("outcomes.json", "application/json"),
        ("cohort.json", "application/json"),
        ("scores.csv", "text/csv; charset=utf-8"),
        ("table1.csv", "text/csv; charset=utf-8"),
        ("comparisons.csv", "text/csv; charset=utf-8"),
        ("pain.csv", "text/csv; charset=utf-8"),
        ("leakage.csv", "text/csv; charset=utf-8"),
        ("responders.csv", "text/csv; charset=utf-8"),
        ("attrition.csv", "text/csv; charset=utf-8"),
        ("followup.csv", "text/csv; charset=utf-8"),
        ("km-steps.csv", "text/csv; charset=utf-8"),
        ("km-summary.csv", "text/csv; charset=utf-8"),
        ("data-dictionary.csv", "text/csv; charset=utf-8"),
        ("manifest.json", "application/json"),
    ];

    [Theory]
    [MemberData(nameof(Cohorts))]
    public void Holds_the_pdf_the_data_and_the_manifest_last(string name)
    {
        var bundle = BundleNamed(name);
        Assert.Equal(ExpectedFiles, bundle.Files.Select(f => (f.Name, f.ContentType)));
        Assert.All(bundle.Files, f => Assert.NotEmpty(f.Content));
        // data-dictionary.csv describes every CSV file of the folder, itself included.
        var described = Encoding
            .UTF8.GetString(bundle.File("data-dictionary.csv").Content)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(line => line[..line.IndexOf(',', StringComparison.Ordinal)])
            .Distinct();
        Assert.Equal(
            ExpectedFiles.Select(f => f.Name).Where(n => n.EndsWith(".csv", StringComparison.Ordinal)),
            described
        );
    }

    [Theory]
    [MemberData(nameof(Cohorts))]
    public void Manifest_lists_every_other_file_with_its_size_and_hash(string name)
    {
        var cohort = CohortNamed(name);
        var bundle = BundleNamed(name);
        var manifestFile = bundle.Files[^1];
        Assert.Equal(BundleManifest.FileName, manifestFile.Name);
        var manifest = BundleManifest.Deserialize(manifestFile.Content);

        Assert.Equal(bundle.Files.Count - 1, manifest.Files.Count);
        for (var i = 0; i < manifest.Files.Count; i++)
        {
            var file = bundle.Files[i];
            var entry = manifest.Files[i];
            Assert.Equal(file.Name, entry.Name);
            Assert.Equal(file.Content.LongLength, entry.Bytes);
            Assert.Equal(
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file.Content)),
                entry.Sha256
            );
        }
        Assert.DoesNotContain(manifest.Files, f => f.Name == BundleManifest.FileName);
        Assert.Equal(bundle.Manifest.Files, manifest.Files);
        Assert.Equal(bundle.Manifest with { Files = manifest.Files }, manifest);

        Assert.Equal(BundleManifest.CurrentSchemaVersion, manifest.SchemaVersion);
        Assert.Equal(cohort.CutoffDate, manifest.CutoffDate);
        Assert.Equal(cohort.Patients.Count, manifest.Patients);
        Assert.Equal(new Eq5dInfo(cohort.Eq5d.Version, cohort.Eq5d.ValueSet), manifest.Eq5d);
        Assert.Equal(BundleTestData.Version, manifest.SoftwareVersion);
    }

    [Fact]
    public void Manifest_json_has_the_agreed_fields_in_camel_case()
    {
        var json = JsonNode.Parse(BundleTestData.Seed.Files[^1].Content)!.AsObject();
        Assert.Equal(
            [
                "schemaVersion",
                "cutoffDate",
                "files",
                "inputSha256",
                "softwareVersion",
                "startedAt",
                "finishedAt",
                "eq5d",
                "patients",
            ],
            json.Select(p => p.Key)
        );
        Assert.Equal("2018-03-01", json["cutoffDate"]!.GetValue<string>());
        Assert.Equal(["name", "bytes", "sha256"], json["files"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["version", "valueSet"], json["eq5d"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Input_hash_is_the_canonical_cohort_and_cohort_json_round_trips()
    {
        var cohort = SeedCohort.Build();
        var bundle = BundleTestData.Seed;
        var cohortJson = bundle.File(ReportBundle.CohortName).Content;
        var outcomes = OutcomesJson.Deserialize(bundle.File(OutcomeFiles.OutcomesJsonName).Content);

        Assert.Equal(CohortJson.Sha256(cohort), bundle.Manifest.InputSha256);
        Assert.Equal(bundle.Manifest.InputSha256, outcomes.InputSha256);
        Assert.Equal(
            bundle.Manifest.InputSha256,
            bundle.Manifest.Files.Single(f => f.Name == ReportBundle.CohortName).Sha256
        );
        var read = CohortJson.Read(cohortJson);
        Assert.Equal(cohortJson, CohortJson.Serialize(read));
        Assert.Equal(
            cohort.Patients.Select(p => p.StudyId).Order(StringComparer.Ordinal),
            read.Patients.Select(p => p.StudyId)
        );
    }

    [Fact]
    public void Clock_is_read_before_the_analysis_and_after_the_last_file()
    {
        var clock = new BundleTestData.SteppingClock(BundleTestData.Started, TimeSpan.FromSeconds(5));
        var bundle = ReportBundle.Build(SeedCohort.Build(), AnalysisOptions.Default, "v", clock);
        var outcomes = OutcomesJson.Deserialize(bundle.File(OutcomeFiles.OutcomesJsonName).Content);

        Assert.Equal(2, clock.Readings);
        Assert.Equal(BundleTestData.Started, bundle.Manifest.StartedAt);
        Assert.Equal(BundleTestData.Started.AddSeconds(5), bundle.Manifest.FinishedAt);
        Assert.Equal(bundle.Manifest.StartedAt, outcomes.GeneratedAt);
        Assert.Equal("v", outcomes.SoftwareVersion);
    }

    [Fact]
    public void Same_input_and_clock_give_the_same_bytes()
    {
        var again = BundleTestData.Build(SeedCohort.Build());
        Assert.Equal(BundleTestData.Seed.Files.Select(f => f.Name), again.Files.Select(f => f.Name));
        for (var i = 0; i < again.Files.Count; i++)
            Assert.True(
                BundleTestData.Seed.Files[i].Content.AsSpan().SequenceEqual(again.Files[i].Content),
                again.Files[i].Name
            );
    }

    [Fact]
    public void Analysis_options_reach_the_outcomes_and_the_report()
    {
        var bundle = BundleTestData.Build(SeedCohort.Build(), new AnalysisOptions(Eq5dMcid: 0.2, OdiMcid: 15));
        var outcomes = OutcomesJson.Deserialize(bundle.File(OutcomeFiles.OutcomesJsonName).Content);
        Assert.All(outcomes.Responders, r => Assert.Equal(r.Outcome == "odi" ? 15 : 0.2, r.Mcid));
        Assert.Contains("EQ-5D index 0.20, ODI 15 points", PdfText.Read(bundle.File(ReportBundle.PdfName).Content).All);
    }

    [Theory]
    [InlineData("empty", "Not yet computable: every statistic: the cohort has no patients yet.")]
    [InlineData("empty", "Not yet computable: survival (no patients).")]
    [InlineData("one patient", "Not yet computable: EQ-5D index at 3 months; EQ-5D index at 1 year;")]
    [InlineData("one patient", "(fewer than 2 pairs)")]
    [InlineData("empty", "Posterior wall defect and leakage Not yet computable: no assessed vertebrae")]
    [InlineData("one patient", "Not yet computable: responders need a paired EQ-5D or ODI comparison")]
    [InlineData("one patient", "Patients 1 patient, 1 treated vertebra EQ-5D index")]
    [InlineData("one patient", "Enrolled 1 patient Baseline")]
    public void Small_cohorts_give_a_complete_report_that_says_what_cannot_be_computed_yet(
        string name,
        string statement
    )
    {
        var bundle = BundleNamed(name);
        var text = PdfText.Read(bundle.File(ReportBundle.PdfName).Content);
        Assert.Contains(statement, text.All);
        foreach (var heading in ReportHeadings.All)
            Assert.Contains(heading, text.All);
        Assert.Empty(text.OutOfBox);
        Assert.Equal(bundle.Pages, text.Pages.Count);
        foreach (var file in bundle.Files.Where(f => !f.Name.EndsWith(".pdf", StringComparison.Ordinal)))
            Assert.DoesNotContain("NaN", Encoding.UTF8.GetString(file.Content));
        Assert.DoesNotContain("NaN", text.All);
    }

    [Fact]
    public void A_large_cohort_is_not_smeared_with_censoring_marks()
    {
        var bundle = BundleTestData.Build(SyntheticCohort.Build(1000, seed: 3));
        var text = PdfText.Read(bundle.File(ReportBundle.PdfName).Content).All;
        Assert.Matches(
            @"Censoring is not marked on the curve: \d+ patients censored on more than 80 different days\.",
            text
        );
        Assert.DoesNotContain("Vertical ticks mark censored patients", text);
        Assert.Contains(
            "Vertical ticks mark censored patients",
            PdfText.Read(BundleTestData.Seed.File(ReportBundle.PdfName).Content).All
        );
    }

    [Fact]
    public void Empty_cohort_still_hashes_and_round_trips()
    {
        var bundle = BundleTestData.Build(Empty);
        Assert.Equal(0, bundle.Manifest.Patients);
        Assert.Equal(CohortJson.Sha256(Empty), bundle.Manifest.InputSha256);
        Assert.Empty(CohortJson.Read(bundle.File(ReportBundle.CohortName).Content).Patients);
    }
}
