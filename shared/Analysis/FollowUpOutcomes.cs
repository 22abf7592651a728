using PvpServerless.Analysis.Statistics;
using PvpServerless.Domain;

namespace PvpServerless.Analysis;

/// <summary>
/// Who answered: follow-up rates per wave, and whether those who answered differed at baseline (attrition).
/// </summary>
internal static class FollowUpOutcomes
{
    /// <summary>
    /// Per wave: due = due date ≤ cut-off; eligible = due, and neither dead nor withdrawn before the due date;
    /// responded = eligible with a response at the wave; rate = responded / eligible.
    /// </summary>
    public static List<FollowUpRate> Rates(IReadOnlyList<PatientScores> scores, DateOnly cutoff)
    {
        var rows = new List<FollowUpRate>();
        foreach (var wave in Waves.All)
        {
            int due = 0,
                eligible = 0,
                responded = 0;
            foreach (var s in scores)
            {
                var dueDate = wave.DueDate(s.Patient.ProcedureDate);
                if (dueDate > cutoff)
                    continue;
                due++;
                if (s.Patient.DeathDate < dueDate || s.Patient.WithdrawnDate < dueDate)
                    continue;
                eligible++;
                if (s.At(wave) is not null)
                    responded++;
            }
            rows.Add(
                new FollowUpRate(
                    wave.Code(),
                    due,
                    eligible,
                    responded,
                    eligible == 0 ? null : (double)responded / eligible
                )
            );
        }
        return rows;
    }

    /// <summary>
    /// Per follow-up wave: the baseline EQ-5D index of patients who had one and reached the due date, split by whether
    /// they have a scored index at the wave; Welch's t-test between the groups (p null when a group has fewer than
    /// two).
    /// </summary>
    public static List<Attrition> Attrition(IReadOnlyList<PatientScores> scores, DateOnly cutoff)
    {
        var rows = new List<Attrition>();
        foreach (var wave in Waves.FollowUps)
        {
            var answered = new List<double>();
            var missing = new List<double>();
            foreach (var s in scores)
            {
                if (s.Baseline?.Eq5dIndex is not { } index || wave.DueDate(s.Patient.ProcedureDate) > cutoff)
                    continue;
                (s.At(wave)?.Eq5dIndex is not null ? answered : missing).Add(index);
            }
            var (mr, mn) = (Descriptive.Mean([.. answered]), Descriptive.Mean([.. missing]));
            rows.Add(
                new Attrition(
                    wave.Code(),
                    new GroupMean(answered.Count, mr),
                    new GroupMean(missing.Count, mn),
                    mr - mn,
                    WelchTTest.Test([.. answered], [.. missing])?.P
                )
            );
        }
        return rows;
    }
}
