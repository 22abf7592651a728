using System.Net;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Tests.Infrastructure;
using PvpServerless.Tests.Patients;

namespace PvpServerless.Tests.FollowUp;

public sealed class ScheduleIndexTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_query_for_a_day_returns_exactly_the_waves_due_that_day()
    {
        // Procedures on three consecutive days, two patients on the middle one. 30 and 31 March both fall due at
        // 3 months on 30 June (31 June does not exist), so that day's partition holds rows of two enrolment days.
        var enrolled = new Dictionary<string, string>
        {
            ["a"] = "2025-03-30",
            ["b"] = "2025-03-31",
            ["c"] = "2025-03-31",
            ["d"] = "2025-04-01",
        };
        var ids = new Dictionary<string, string>();
        foreach (var (name, procedureDate) in enrolled)
        {
            var body = Enrolments.Valid();
            body["procedureDate"] = procedureDate;
            Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);
            ids[name] = (string)body["studyId"]!;
        }
        var expected = new Dictionary<string, (string Patient, Wave Wave)[]>
        {
            ["2025-03-29"] = [],
            ["2025-03-30"] = [("a", Wave.Baseline)],
            ["2025-03-31"] = [("b", Wave.Baseline), ("c", Wave.Baseline)],
            ["2025-04-01"] = [("d", Wave.Baseline)],
            ["2025-06-29"] = [],
            ["2025-06-30"] = [("a", Wave.ThreeMonths), ("b", Wave.ThreeMonths), ("c", Wave.ThreeMonths)],
            ["2025-07-01"] = [("d", Wave.ThreeMonths)],
            ["2026-03-30"] = [("a", Wave.OneYear)],
            ["2026-03-31"] = [("b", Wave.OneYear), ("c", Wave.OneYear)],
            ["2026-04-01"] = [("d", Wave.OneYear)],
            ["2026-04-02"] = [],
        };

        var storage = new Storage.PvpStorage(
            Microsoft.Extensions.Options.Options.Create(
                new Storage.StorageOptions { ConnectionString = host.ConnectionString, NamePrefix = host.Prefix }
            )
        );
        var index = new ScheduleIndex(storage);
        foreach (var (dayText, rows) in expected)
        {
            var day = DateOnly.ParseExact(dayText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var due = await index.DueOnAsync(day, Ct).ToListAsync(Ct);
            Assert.Equal(
                rows.Select(r => new ScheduleIndex.DueEntry(day, ids[r.Patient], r.Wave))
                    .OrderBy(e => e.StudyId, StringComparer.Ordinal)
                    .ThenBy(e => e.Wave),
                due.OrderBy(e => e.StudyId, StringComparer.Ordinal).ThenBy(e => e.Wave)
            );
        }
    }
}
