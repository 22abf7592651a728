using System.Globalization;
using System.Text;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// The monthly bill of docs/deploy.md ("Cost") worked out from the documented transactions per operation (which the
/// transaction tests hold the code to) and the usage and prices assumed there. Printed by
/// <see cref="FollowUpTransactionTests"/>; the figures in docs/deploy.md are copied from its output.
/// </summary>
public static class CostModel
{
    // Usage per patient over a follow-up year (docs/deploy.md, "Assumptions").
    private const double Reads = 5, Events = 1, Responses = 3, Invitations = 3, Reminders = 3, Expiries = 1;

    // One SendGrid event (delivered or a bounce) per e-mail, each its own webhook post.
    private const double WebhookPostsPerEmail = 1;

    // Fixed per month: the scheduler every 15 minutes, one nightly run a day.
    private const double SchedulerRuns = 96 * 30, Days = 30;

    // SweepStatusIndex every 15 minutes: a filtered scan of the whole patients table (docs/deploy.md, "Assumptions").
    // Nothing pending is one page; Azure also ends a page after 5 s of scanning, so a large table costs more pages
    // and, above all, the seconds of the scan. Rows a patient leaves there, and an assumed server-side scan rate.
    private const double SweepRuns = 96 * 30, RowsPerPatient = 40, ScannedRowsPerSecond = 20_000;

    /// <summary>One sweep with nothing pending: its seconds (at least one) and its pages.</summary>
    public static (double Seconds, double Pages) Sweep(int patients, Transactions idle)
    {
        var seconds = patients * RowsPerPatient / ScannedRowsPerSecond;
        return (Math.Max(1, seconds), idle.Table + Math.Floor(seconds / 5));
    }

    // Prices (USD, pay-as-you-go list prices assumed in docs/deploy.md; check them for your region).
    private const double PerMillionExecutions = 0.40, FreeExecutions = 250_000;
    private const double PerGbSecond = 0.000026, FreeGbSeconds = 100_000, InstanceGb = 2;
    private const double AlwaysReadyBaseline = 0.000004 * 2 * 730 * 3600;
    private const double TablePer10K = 0.00036, BlobWritePer10K = 0.065, QueuePer10K = 0.004;
    private const double HostStorage = 3.25, AlertsAndKeyVault = 1.00;
    private const double IngestionPerGb = 2.30, FreeIngestionGb = 5;

    // Telemetry: ~2 kB per execution (request, a few log lines) and ~1 kB per storage call (a dependency span).
    private const double KbPerExecution = 2, KbPerTransaction = 1;

    public sealed record Month(
        int Patients,
        double Executions,
        Transactions Storage,
        double Emails,
        double TelemetryGb,
        IReadOnlyList<(string Item, double Usd)> Bill
    )
    {
        public double Total => Bill.Sum(b => b.Usd);
    }

    public static Month For(int patients, IReadOnlyDictionary<string, Transactions> per)
    {
        var year = patients / 12.0; // patient-years of follow-up per month in the steady state
        var emails = year * (Invitations + Reminders);
        // Each e-mail: the scheduler's part, the sender's part, the queue trigger's dequeue and delete.
        var email = new Transactions(0, 0, 2);
        var sweep = Sweep(patients, per["sweep-idle"]);
        var table =
            year
                * (
                    per["enrol"].Table
                    + Reads * per["read"].Table
                    + Events * per["event"].Table
                    + Responses * per["response"].Table
                    + Invitations * per["scheduler-invitation"].Table
                    + (Reminders + Expiries) * per["scheduler-reminder"].Table
                    + (Invitations + Reminders)
                        * (per["send"].Table + WebhookPostsPerEmail * per["webhook-event"].Table)
                )
            + SchedulerRuns * per["scheduler-idle"].Table
            + Days * (per["scheduler-day"].Table - per["scheduler-idle"].Table)
            + Days * (1 + patients / 300.0) // the nightly cohort read: ~3.3 pages of 1,000 rows per 1,000 patients
            + SweepRuns * sweep.Pages;
        var queue =
            emails * (per["scheduler-invitation"].Queue + per["send"].Queue + email.Queue)
            + year * Events * per["event"].Queue
            + SchedulerRuns * per["scheduler-idle"].Queue;
        var blob = Days * per["nightly-300"].Blob + emails * per["send"].Blob;
        var executions =
            year * (1 + Reads + Events + 2 * Responses) // enrol, reads, events, a page and a post per response
            + emails * (1 + WebhookPostsPerEmail)
            + SchedulerRuns
            + SweepRuns
            + Days;
        // Every execution billed as a second, a sweep as long as its scan.
        var gbSeconds = (executions + SweepRuns * (sweep.Seconds - 1)) * InstanceGb;
        var transactions = new Transactions((int)table, (int)blob, (int)queue);
        var telemetryGb = (executions * KbPerExecution + transactions.Total * KbPerTransaction) / 1e6;
        var bill = new List<(string, double)>
        {
            ("Functions: always-ready baseline (1 x 2 GB)", AlwaysReadyBaseline),
            (
                "Functions: executions (each 1 s at 2 GB, an upper bound)",
                Math.Max(0, executions - FreeExecutions) / 1e6 * PerMillionExecutions
                    + Math.Max(0, gbSeconds - FreeGbSeconds) * PerGbSecond
            ),
            ("host storage (leases, timer state; not measured)", HostStorage),
            (
                "data storage transactions",
                table / 1e4 * TablePer10K + blob / 1e4 * BlobWritePer10K + queue / 1e4 * QueuePer10K
            ),
            ("data storage capacity (reports kept 400 days)", patients * 1e3 * 400 / 1e9 * 0.023),
            ("Application Insights ingestion", Math.Max(0, telemetryGb - FreeIngestionGb) * IngestionPerGb),
            ("alerts, Key Vault", AlertsAndKeyVault),
            // Essentials 50K or 100K, with a tenth to spare; a free tier, where still offered, covers 100 a day.
            ("SendGrid plan", emails * 1.1 <= 50_000 ? 19.95 : 34.95),
        };
        return new Month(patients, executions, transactions, emails, telemetryGb, bill);
    }

    public static string Print(IReadOnlyDictionary<string, Transactions> per)
    {
        var months = new[] { 100, 10_000, 100_000 }.Select(n => For(n, per)).ToList();
        var text = new StringBuilder();
        string Row(string label, Func<Month, string> cell) =>
            $"{label,-56}" + string.Concat(months.Select(m => $"{cell(m),14}")) + Environment.NewLine;
        string N(double x) => x.ToString("N0", CultureInfo.InvariantCulture);
        string Usd(double x) => x.ToString("$0.00", CultureInfo.InvariantCulture);
        text.Append(Row("a month, patients in follow-up", m => N(m.Patients)));
        text.Append(Row("executions", m => N(m.Executions)));
        text.Append(Row("table transactions", m => N(m.Storage.Table)));
        text.Append(Row("blob transactions", m => N(m.Storage.Blob)));
        text.Append(Row("queue transactions", m => N(m.Storage.Queue)));
        text.Append(Row("SweepStatusIndex: requests a day", m => N(96 * Sweep(m.Patients, per["sweep-idle"]).Pages)));
        text.Append(Row("SweepStatusIndex: seconds a day", m => N(96 * Sweep(m.Patients, per["sweep-idle"]).Seconds)));
        text.Append(Row("e-mails", m => N(m.Emails)));
        text.Append(Row("telemetry (GB)", m => m.TelemetryGb.ToString("F2", CultureInfo.InvariantCulture)));
        foreach (var (item, i) in months[0].Bill.Select((b, i) => (b.Item, i)))
            text.Append(Row(item, m => Usd(m.Bill[i].Usd)));
        text.Append(Row("total", m => Usd(m.Total)));
        return text.ToString();
    }
}
