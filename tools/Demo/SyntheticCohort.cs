using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Demo;

/// <summary>
/// A deterministic generator of realistic cohorts of any size, for benchmarks and for seeding storage. The same seed
/// and size always give the same document (System.Random with a seed is a fixed algorithm).
/// </summary>
public static class SyntheticCohort
{
    private static readonly (PrimaryMalignancy Code, int Weight)[] Malignancies =
    [
        (PrimaryMalignancy.MultipleMyeloma, 13),
        (PrimaryMalignancy.Lung, 6),
        (PrimaryMalignancy.ChronicLymphocyticLeukaemia, 5),
        (PrimaryMalignancy.Lymphoma, 2),
        (PrimaryMalignancy.Breast, 3),
        (PrimaryMalignancy.Prostate, 2),
        (PrimaryMalignancy.Kidney, 1),
        (PrimaryMalignancy.Gastric, 1),
        (PrimaryMalignancy.Colon, 1),
        (PrimaryMalignancy.Ovary, 1),
        (PrimaryMalignancy.Other, 1),
    ];

    // T1..L5 from the skull down: treated levels are a contiguous run, most often at the thoracolumbar junction.
    private static readonly string[] Spine =
    [
        .. Enumerable.Range(1, 12).Select(i => $"T{i}"),
        .. Enumerable.Range(1, 5).Select(i => $"L{i}"),
    ];

    /// <param name="patients">Number of patients.</param>
    /// <param name="seed">Seed of the random generator.</param>
    /// <param name="cutoff">Data cut-off; procedures fall in the five years before it. Default 2018-03-01.</param>
    public static CohortDocument Build(
        int patients,
        int seed = 1,
        DateOnly? cutoff = null,
        string eq5dVersion = "3L",
        string valueSet = "DK"
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patients);
        var cut = cutoff ?? new DateOnly(2018, 3, 1);
        var random = new Random(seed);
        var maxLevel = eq5dVersion == "3L" ? 3 : 5;
        var list = new List<CohortPatient>(patients);
        for (var i = 0; i < patients; i++)
            list.Add(Patient(random, i, cut, maxLevel));
        return new CohortDocument(
            CohortDocument.CurrentSchemaVersion,
            cut,
            new Eq5dSetting(eq5dVersion, valueSet),
            list
        );
    }

    private static CohortPatient Patient(Random random, int i, DateOnly cutoff, int maxLevel)
    {
        var procedure = cutoff.AddDays(-random.Next(0, 5 * 365));
        var followed = cutoff.DayNumber - procedure.DayNumber;
        // Exponential survival, median about 500 days; deaths after the cut-off are not yet known.
        var survivalDays = (int)(-Math.Log(1 - random.NextDouble()) * 500 / Math.Log(2));
        DateOnly? death = survivalDays <= followed ? procedure.AddDays(survivalDays) : null;
        DateOnly? withdrawn =
            death is null && random.NextDouble() < 0.03 ? procedure.AddDays(random.Next(0, followed + 1)) : null;
        var end = death ?? withdrawn ?? cutoff;

        var count = 1 + (int)Math.Min(3, Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.3));
        var start = Math.Clamp((int)Math.Round(Normal(random, 11.5, 3)), 0, Spine.Length - count);
        var levels = Enumerable
            .Range(start, count)
            .Select(k =>
            {
                var leak = random.NextDouble() < 0.15;
                return new TreatedLevel(Spine[k], random.NextDouble() < 0.3, leak, leak && random.NextDouble() < 0.02);
            })
            .ToList();

        var severity = random.NextDouble(); // how ill at baseline: shapes answers and improvement
        var responses = new List<WaveResponse>();
        void Answer(Wave wave, DateOnly due, double improvement, double probability)
        {
            var day = due.AddDays(random.Next(-2, 21));
            if (day > end || random.NextDouble() >= probability)
                return;
            var at = new DateTimeOffset(
                day.ToDateTime(new TimeOnly(8 + random.Next(0, 12), random.Next(0, 60))),
                TimeSpan.Zero
            );
            responses.Add(
                new WaveResponse(
                    wave,
                    at,
                    Eq5d(random, severity - improvement, maxLevel),
                    Odi(random, severity - improvement)
                )
            );
        }
        Answer(Wave.Baseline, procedure.AddDays(-1), 0, 0.9);
        Answer(Wave.ThreeMonths, Wave.ThreeMonths.DueDate(procedure), 0.3, 0.75);
        Answer(Wave.OneYear, Wave.OneYear.DueDate(procedure), 0.3, 0.65);

        return new CohortPatient(
            $"SYN-{i + 1:D6}",
            random.NextDouble() < 0.6 ? Sex.M : Sex.F,
            Math.Clamp((int)Math.Round(Normal(random, 69, 10)), 35, 95),
            Pick(random),
            random.NextDouble() switch
            {
                < 0.5 => DiagnosisBasis.Histology,
                < 0.75 => DiagnosisBasis.BoneMarrowBiopsy,
                _ => DiagnosisBasis.Mri,
            },
            procedure,
            levels,
            random.NextDouble() < 0.05 ? [new Complication("pulmonaryEmbolism", random.NextDouble() < 0.2)] : [],
            death,
            withdrawn,
            responses
        );
    }

    private static Eq5dAnswers? Eq5d(Random random, double severity, int maxLevel)
    {
        if (random.NextDouble() < 0.05)
            return null;
        int? Level() =>
            random.NextDouble() < 0.03
                ? null
                : Math.Clamp(1 + (int)Math.Round(Normal(random, severity * (maxLevel - 1), 0.8)), 1, maxLevel);
        int? vas =
            random.NextDouble() < 0.08
                ? null
                : Math.Clamp((int)Math.Round(Normal(random, 80 - 50 * severity, 15)), 0, 100);
        return new Eq5dAnswers(Level(), Level(), Level(), Level(), Level(), vas);
    }

    private static int?[]? Odi(Random random, double severity)
    {
        if (random.NextDouble() < 0.06)
            return null;
        var sections = new int?[10];
        for (var s = 0; s < 10; s++)
        {
            sections[s] =
                random.NextDouble() < 0.04
                    ? null
                    : Math.Clamp((int)Math.Round(Normal(random, 0.5 + 3.5 * severity, 1)), 0, 5);
        }
        return sections;
    }

    private static PrimaryMalignancy Pick(Random random)
    {
        var roll = random.Next(Malignancies.Sum(m => m.Weight));
        foreach (var (code, weight) in Malignancies)
        {
            if ((roll -= weight) < 0)
                return code;
        }
        return PrimaryMalignancy.Other;
    }

    private static double Normal(Random random, double mean, double sd) =>
        mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
