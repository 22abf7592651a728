using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace PvpServerless.Tests.Browser;

/// <summary>
/// One patient's answers to the web questionnaire (EQ-5D-3L levels in the order mobility, self-care, usual
/// activities, pain, anxiety; the EQ VAS as typed; ODI sections 1–10, null for one left out), how a browser gives
/// them (by mouse, by touch), and the scores they must get, worked out here from docs/outcomes.md by hand.
/// </summary>
public sealed record SurveyAnswers(int[] Eq5d, string Vas, int?[] Odi)
{
    public static readonly string[] Dimensions = ["mobility", "selfCare", "usualActivities", "pain", "anxiety"];

    /// <summary>The ids of the radios to choose, in page order, and where the VAS goes (docs/survey.md).</summary>
    public IEnumerable<string> RadioIds()
    {
        for (var i = 0; i < Eq5d.Length; i++)
        {
            if (Eq5d[i] > 0)
                yield return $"eq5d-{Dimensions[i]}-{Eq5d[i]}";
        }
        for (var i = 0; i < Odi.Length; i++)
        {
            if (Odi[i] is { } level)
                yield return $"odi-section{i + 1}-{level}";
        }
    }

    /// <summary>Clicks (or taps) each answer's label, as a patient does; clicks the VAS box and types.</summary>
    public async Task FillAsync(IPage page, bool touch = false)
    {
        foreach (var id in RadioIds())
        {
            var label = page.Locator($"label[for='{id}']");
            if (touch)
                await label.TapAsync();
            else
                await label.ClickAsync();
        }
        var vas = page.Locator("#eq5d-vas");
        if (touch)
            await vas.TapAsync();
        else
            await vas.ClickAsync();
        await page.Keyboard.TypeAsync(Vas);
    }

    // EQ-5D-3L, Danish TTO value set (Wittrup-Jensen et al. 2009; docs/outcomes.md, "EQ-5D index"), typed in from
    // the paper: 1, minus 0.114 when any level is above 1, minus each dimension's term at levels 2 and 3.
    private static readonly double[][] DanishTerms =
    [
        [0, 0, 0.053, 0.411],
        [0, 0, 0.063, 0.192],
        [0, 0, 0.048, 0.144],
        [0, 0, 0.062, 0.396],
        [0, 0, 0.068, 0.367],
    ];

    public double ExpectedIndex =>
        1 - (Eq5d.Any(l => l > 1) ? 0.114 : 0) - Eq5d.Select((level, i) => DanishTerms[i][level]).Sum();

    /// <summary>ODI 2.1a: 100 × sum / (5 × answered sections).</summary>
    public double ExpectedOdi => 100.0 * Odi.Sum(l => l ?? 0) / (5 * Odi.Count(l => l is not null));

    public int ExpectedVas => int.Parse(Vas, CultureInfo.InvariantCulture);

    /// <summary>
    /// The coordinator's view (<c>GET /api/patients/{studyId}</c>): the baseline wave is answered, from the web, with
    /// exactly these answers' scores.
    /// </summary>
    public async Task AssertAnsweredAsync(HttpClient coordinator, string studyId, CancellationToken ct)
    {
        var patient = await coordinator.GetFromJsonAsync<JsonElement>($"/api/patients/{studyId}", ct);
        var baseline = patient.GetProperty("waves")[0];
        Assert.Equal("baseline", baseline.GetProperty("wave").GetString());
        var followUp = baseline.GetProperty("followUp");
        Assert.Equal("answered", followUp.GetProperty("state").GetString());
        Assert.Equal("web", followUp.GetProperty("source").GetString());
        var scores = followUp.GetProperty("scores");
        Assert.Equal(ExpectedIndex, scores.GetProperty("eq5dIndex").GetDouble(), 9);
        Assert.Equal(ExpectedVas, scores.GetProperty("eqVas").GetInt32());
        Assert.Equal(ExpectedOdi, scores.GetProperty("odi").GetDouble(), 9);
        Assert.Equal(Odi[0], scores.GetProperty("pain").GetInt32());
    }
}
