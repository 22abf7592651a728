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
    public void The_query_for_a_day_is_one_partition_key_equality() =>
        Assert.Equal("PartitionKey eq '2025-06-30'", ScheduleIndex.DueOnFilter(new DateOnly(2025, 6, 30)));

    [Fact]
    public async Task The_waves_due_on_a_day_come_from_that_days_partition()
    {
        // Two patients operated on the same day and one a day later.
        var a = Enrolments.Valid();
        var b = Enrolments.Valid();
        var c = Enrolments.Valid();
        c["procedureDate"] = "2025-04-01";
        foreach (var body in new[] { a, b, c })
            Assert.Equal(HttpStatusCode.Created, (await host.PostJsonAsync("/api/patients", body)).StatusCode);

        var storage = new Storage.PvpStorage(
            Microsoft.Extensions.Options.Options.Create(
                new Storage.StorageOptions { ConnectionString = host.ConnectionString, NamePrefix = host.Prefix }
            )
        );
        var index = new ScheduleIndex(storage);
        var due = await index.DueOnAsync(new DateOnly(2025, 6, 30), Ct).ToListAsync(Ct);

        Assert.Equal(
            new[] { (string)a["studyId"]!, (string)b["studyId"]! }.Order(),
            due.Where(d => d.Wave == Wave.ThreeMonths).Select(d => d.StudyId).Order()
        );
        Assert.DoesNotContain(due, d => d.StudyId == (string)c["studyId"]!);
        Assert.Contains(
            await index.DueOnAsync(new DateOnly(2025, 7, 1), Ct).ToListAsync(Ct),
            d => d.StudyId == (string)c["studyId"]! && d.Wave == Wave.ThreeMonths
        );
    }
}
