using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using PvpServerless.Cohort;
using PvpServerless.Tests.Cohort;

namespace PvpServerless.Tests.Hostile;

/// <summary>
/// The cohort loader (shared/Cohort, what <c>./pvp stats</c> and <c>./pvp report</c> read) against generated broken
/// documents: each is refused as a whole with a <see cref="CohortFormatException"/> that names where, never another
/// exception and never read as a cohort. The same seed and case settings as the routes (docs/evidence.md).
/// </summary>
public sealed class HostileCohortTests
{
    private static readonly Gen<(string Kind, byte[] Body)> Broken = Gen.OneOf(
        HostileJson.Invalid(JsonNode.Parse(CohortReaderTests.Valid)!, 1024 * 1024, unknownFieldsRefused: true),
        Gen.Elements(
                ("ageAtProcedure", "1e400"),
                ("ageAtProcedure", "2147483648"),
                ("ageAtProcedure", "69.5"),
                ("ageAtProcedure", "-1"),
                ("procedureDate", "\"2014-02-30\""),
                ("procedureDate", "\"2014-3-2\""),
                ("procedureDate", "\"+002014-03-02\""),
                ("sex", "\"m\""),
                ("studyId", "\" PVP-0001\""),
                ("studyId", "\"\""),
                ("studyId", "\"PVP-0002\"")
            )
            .Select(f => ($"odd value of {f.Item1}", Swap(f.Item1, f.Item2))),
        Gen.Constant(("a field twice", Twice()))
    );

    [Fact]
    public void Every_broken_cohort_document_is_refused_naming_where()
    {
        var settings = HostileSettings.FromEnvironment();
        var cases = Gen.Sample(Broken, settings.Cases * 6, new Rnd(settings.SeedFor("cohort")), 20);
        var failures = new List<string>();
        foreach (var (kind, body) in cases)
        {
            try
            {
                CohortReader.Read(body);
                failures.Add($"[{kind}] was read as a cohort: {Preview(body)}");
            }
            catch (CohortFormatException ex) when (ex.Message.Length > 0) { }
            catch (Exception ex)
            {
                failures.Add($"[{kind}] threw {ex.GetType().Name}: {ex.Message} on {Preview(body)}");
            }
        }
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {cases.Length}, replay: PVP_HOSTILE_SEED={settings.Seed} "
                + $"PVP_HOSTILE_CASES={settings.Cases}\n"
                + string.Join("\n", failures.Take(15))
        );
    }

    // The first patient's field with a raw JSON value, as text: values no JsonNode would write (1e400).
    private static byte[] Swap(string field, string raw)
    {
        var patient = JsonNode.Parse(CohortReaderTests.Valid)!["patients"]![0]!.AsObject();
        var text = CohortReaderTests.Valid;
        var written = $"\"{field}\": {patient[field]!.ToJsonString()}";
        var at = text.IndexOf(written, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{written} is not in the valid document");
        return Encoding.UTF8.GetBytes(text[..at] + $"\"{field}\": {raw}" + text[(at + written.Length)..]);
    }

    private static byte[] Twice()
    {
        var text = CohortReaderTests.Valid;
        var at = text.IndexOf("\"sex\":", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[..at] + "\"sex\": \"F\", " + text[at..]);
    }

    private static string Preview(byte[] body) =>
        Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ");
}
