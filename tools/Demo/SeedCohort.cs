using PvpServerless.Cohort;
using PvpServerless.Domain;

namespace PvpServerless.Demo;

/// <summary>
/// The 30 patients of the seed case series (docs/outcomes.md) as a cohort document:
/// Table 1 exactly (age 69.1 (48–86), 20 men, malignancies 13/6/5/2/1/1/1/1, 6 single- and 24 multi-level, 81
/// vertebrae 37 thoracic + 44 lumbar, 24 posterior wall defects in 13 patients, 12 asymptomatic leakages in 7 patients
/// of which one through a defect, survival 23/30 at 3 months and 18/30 at 1 year, 22 histology/biopsy + 8 MRI) and
/// Table 2 closely (EQ-5D-3L DK 0.32 → 0.62 with 15 pairs at 3 months, 0.36 → 0.61 with 14 at 1 year, ODI 44.1 → 23.3
/// with 17; pain item median 3 → 2). Pure data: the same document every time.
/// </summary>
public static class SeedCohort
{
    public static readonly DateOnly Cutoff = new(2018, 3, 1);
    private static readonly DateOnly FirstProcedure = new(2013, 1, 15);

    /// <summary>Answers per wave: EQ-5D-3L state as five digits ("-" = skipped) and ODI sections as ten digits.</summary>
    private sealed record Answers(
        string? Baseline,
        string? BaselineOdi,
        string? ThreeMonths,
        string? ThreeMonthsOdi,
        string? OneYear,
        string? OneYearOdi
    );

    // Patients 0–17 live past a year, 18–22 die on days 92–365, 23–29 within 91 days. The EQ-5D states and ODI
    // answers were chosen (by a search, once) so that the pairs give the paper's means, SDs and p-values.
    private static readonly Answers[] Responses =
    [
        /*  0 */new("11311", "4322222222", "11211", "4322222222", "12322", "4222222221"),
        /*  1 */new("13322", "2222111111", "21322", "2222111111", "11111", "1111000000"),
        /*  2 */new("32233", "3222211111", "33312", "3222211111", "33331", "2111100000"),
        /*  3 */new("31223", "1221111111", "21111", "1111111111", "22122", "1000000000"),
        /*  4 */new("31311", "4322222222", "31211", "4322222222", "11311", "3222111111"),
        /*  5 */new("11112", "4333222222", "22112", "2222111111", "11221", "0000000000"),
        /*  6 */new("22212", "3222222222", "21111", "4222222222", "22211", "4222222221"),
        /*  7 */new("13233", "1221111111", "12322", "3332222222", "12233", "5333322222"),
        /*  8 */new("31121", "3222222221", "22112", "3222221111", "22123", "2111110000"),
        /*  9 */new("32122", "2222211111", "13121", "2221111111", "21221", "2110000000"),
        /* 10 */new("21111", "2221111111", "11131", "2221111111", "22111", "1110000000"),
        /* 11 */new("31211", "5555444444", null, null, "13211", "2211111111"),
        /* 12 */new("31223", "4322222222", null, null, "11112", "3211111111"),
        /* 13 */new("22112", "3222211111", null, null, "11111", "3211111111"),
        /* 14 */new("2-212", "5554444444", "21221", "4333322222", "11121", "2111100000"),
        /* 15 */new("12-31", "5333333322", "22121", "5333333322", "21211", "4222222211"),
        /* 16 */new("11232", "5332222222", "21313", "5332222222", null, "5332222222"),
        /* 17 */new("23123", "3333332222", "11122", "2222221111", null, null),
        /* 18 */new("32232", "4433332222", "12112", "2222221111", null, null),
        /* 19 */new("22113", "3333222222", "21121", "2222221111", null, null),
        /* 20 */new(null, null, null, null, null, null),
        /* 21 */new(null, null, null, null, null, null),
        /* 22 */new(null, null, null, null, null, null),
        /* 23 */new("33232", "5444443333", null, null, null, null),
        /* 24 */new("23322", "4444443333", null, null, null, null),
        /* 25 */new("32323", "5544444433", null, null, null, null),
        /* 26 */new("22332", "4444333333", null, null, null, null),
        /* 27 */new("33222", "5444444444", null, null, null, null),
        /* 28 */new(null, null, null, null, null, null),
        /* 29 */new(null, null, null, null, null, null),
    ];

    private static readonly int?[] DeathDay =
    [
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        500,
        700,
        null,
        null,
        null,
        null,
        120,
        150,
        200,
        260,
        330,
        12,
        25,
        38,
        50,
        63,
        77,
        88,
    ];

    private static readonly int[] Ages =
    [
        78,
        48,
        86,
        72,
        65,
        70,
        74,
        59,
        81,
        67,
        73,
        62,
        69,
        77,
        55,
        71,
        64,
        80,
        68,
        75,
        66,
        60,
        79,
        63,
        70,
        76,
        58,
        72,
        73,
        62,
    ];

    private static readonly PrimaryMalignancy[] Malignancy =
    [
        PrimaryMalignancy.ChronicLymphocyticLeukaemia,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.ChronicLymphocyticLeukaemia,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Lymphoma,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Prostate,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.ChronicLymphocyticLeukaemia,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Ovary,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.ChronicLymphocyticLeukaemia,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Lymphoma,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Gastric,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.ChronicLymphocyticLeukaemia,
        PrimaryMalignancy.MultipleMyeloma,
        PrimaryMalignancy.Colon,
        PrimaryMalignancy.Lung,
        PrimaryMalignancy.MultipleMyeloma,
    ];

    // Women: the patient of the paper's Figure 1B (0), the ovarian cancer (15) and eight more.
    private static readonly HashSet<int> Women = [0, 3, 7, 11, 15, 18, 21, 24, 26, 28];

    private static readonly HashSet<int> Mri = [3, 7, 13, 18, 21, 24, 27, 28];

    /// <summary>Treated levels; "!" marks a posterior wall defect, "*" a cement leakage.</summary>
    private static readonly string[] Levels =
    [
        "L1!*",
        "T12*",
        "L2",
        "T8",
        "L3",
        "L4",
        "L1! L2! L3",
        "L2! L3! L4",
        "L3 L4! L5!",
        "L1! L2! L3",
        "L2* L3* L4",
        "L3* L4* L5",
        "T12! L1! L2",
        "T12 L1! L2",
        "T12* L1* L2",
        "T12 L1 L2",
        "T12 L1 L2",
        "T11! T12 L1",
        "T11 T12! L1",
        "T11* T12* L1",
        "T11 T12 L1",
        "T11 T12 L1",
        "T11 T12 L1",
        "T6! T7 T8",
        "T9* T10* T11",
        "T6 T7 T8",
        "T9 T10 T11",
        "T11! T12! L1! L2!",
        "L1! L2! L3! L4",
        "T5! T6! T7 T8",
    ];

    public static CohortDocument Build() =>
        new(
            CohortDocument.CurrentSchemaVersion,
            Cutoff,
            new Eq5dSetting("3L", "DK"),
            Enumerable.Range(0, 30).Select(Patient).ToList()
        );

    private static CohortPatient Patient(int i)
    {
        var procedure = FirstProcedure.AddDays(50 * i);
        var answers = Responses[i];
        var responses = new List<WaveResponse>();
        Add(responses, Wave.Baseline, procedure.AddDays(-1), answers.Baseline, answers.BaselineOdi);
        Add(
            responses,
            Wave.ThreeMonths,
            Wave.ThreeMonths.DueDate(procedure).AddDays(7),
            answers.ThreeMonths,
            answers.ThreeMonthsOdi
        );
        Add(responses, Wave.OneYear, Wave.OneYear.DueDate(procedure).AddDays(14), answers.OneYear, answers.OneYearOdi);
        return new CohortPatient(
            $"PVP-{i + 1:D4}",
            Women.Contains(i) ? Sex.F : Sex.M,
            Ages[i],
            Malignancy[i],
            Mri.Contains(i) ? DiagnosisBasis.Mri
                : Malignancy[i] == PrimaryMalignancy.MultipleMyeloma && i % 2 == 0 ? DiagnosisBasis.BoneMarrowBiopsy
                : DiagnosisBasis.Histology,
            procedure,
            Levels[i]
                .Split(' ')
                .Select(l => new TreatedLevel(l.TrimEnd('!', '*'), l.Contains('!'), l.Contains('*')))
                .ToList(),
            [],
            DeathDay[i] is { } d ? procedure.AddDays(d) : null,
            null,
            responses
        );
    }

    private static void Add(List<WaveResponse> responses, Wave wave, DateOnly day, string? eq5d, string? odi)
    {
        if (eq5d is null && odi is null)
            return;
        int? Digit(char c) => c == '-' ? null : c - '0';
        var state = eq5d?.Select(Digit).ToArray();
        responses.Add(
            new WaveResponse(
                wave,
                new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
                state is null ? null : new Eq5dAnswers(state[0], state[1], state[2], state[3], state[4], Vas(state)),
                odi?.Select(Digit).ToArray()
            )
        );
    }

    /// <summary>A VAS in keeping with the state: 95 minus 10 per level above 1.</summary>
    private static int Vas(int?[] state) => Math.Clamp(95 - 10 * state.Sum(l => (l ?? 2) - 1), 5, 95);
}
