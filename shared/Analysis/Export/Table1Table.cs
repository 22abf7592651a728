namespace PvpServerless.Analysis.Export;

/// <summary>A line of table1.csv (long format: one statistic of Table 1 per row).</summary>
public sealed record Table1Row(
    string Item,
    string? Category,
    int? N,
    int? Of,
    double? Percent,
    double? Mean = null,
    double? Sd = null,
    double? Min = null,
    double? Max = null,
    double? Lower = null,
    double? Upper = null
);

internal static class Table1Table
{
    public static readonly CsvTable<Table1Row> Definition = new(
        "table1.csv",
        "Table 1 of the seed paper, one statistic per row",
        [
            Col.Of<Table1Row>(
                "item",
                "string",
                "patients, age, male, primaryMalignancy, treatedLevels, vertebrae, region, posteriorWallDefects, "
                    + "cementLeakage, cementLeakagePatients, symptomaticComplications, survival",
                r => r.Item
            ),
            Col.Of<Table1Row>(
                "category",
                "string",
                "Malignancy code, single/multiple, region, or survival time point 3m (day 91) / 1y (day 365)",
                r => r.Category
            ),
            Col.Of<Table1Row>("n", "integer", "Count", r => r.N),
            Col.Of<Table1Row>("of", "integer", "Denominator of percent", r => r.Of),
            Col.Of<Table1Row>("percent", "number", "100 × n / of", r => r.Percent),
            Col.Of<Table1Row>("mean", "number", "Mean (age)", r => r.Mean),
            Col.Of<Table1Row>("sd", "number", "Standard deviation, n − 1 (age)", r => r.Sd),
            Col.Of<Table1Row>("min", "number", "Minimum (age)", r => r.Min),
            Col.Of<Table1Row>("max", "number", "Maximum (age)", r => r.Max),
            Col.Of<Table1Row>("ci95Lower", "number", "Lower 95 % Wilson limit, percent (cementLeakage)", r => r.Lower),
            Col.Of<Table1Row>("ci95Upper", "number", "Upper 95 % Wilson limit, percent (cementLeakage)", r => r.Upper),
        ]
    );

    public static IEnumerable<Table1Row> Rows(Table1 t)
    {
        yield return new("patients", null, t.Patients, null, null);
        yield return new("age", null, t.Patients, null, null, t.Age.Mean, t.Age.Sd, t.Age.Min, t.Age.Max);
        yield return new("male", null, t.Male.N, t.Patients, t.Male.Percent);
        foreach (var m in t.PrimaryMalignancy)
            yield return new("primaryMalignancy", m.Code, m.N, t.Patients, m.Percent);
        yield return new(
            "treatedLevels",
            "single",
            t.TreatedLevels.Single.N,
            t.Patients,
            t.TreatedLevels.Single.Percent
        );
        yield return new(
            "treatedLevels",
            "multiple",
            t.TreatedLevels.Multiple.N,
            t.Patients,
            t.TreatedLevels.Multiple.Percent
        );
        yield return new("vertebrae", null, t.Vertebrae, null, null);
        foreach (var r in t.Regions)
            yield return new("region", r.Region, r.N, t.Vertebrae, r.Percent);
        yield return new(
            "posteriorWallDefects",
            null,
            t.PosteriorWallDefects.N,
            t.PosteriorWallDefects.Of,
            t.PosteriorWallDefects.Percent
        );
        var l = t.CementLeakage;
        yield return new("cementLeakage", null, l.N, l.Of, l.Percent, Lower: l.Ci95?.Lower, Upper: l.Ci95?.Upper);
        yield return new(
            "cementLeakagePatients",
            null,
            l.Patients,
            t.Patients,
            Table1Builder.Percent(l.Patients, t.Patients)
        );
        yield return new("symptomaticComplications", null, t.SymptomaticComplications, null, null);
        foreach (var s in t.Survival)
            yield return new("survival", s.Timepoint, s.Alive, s.Of, s.Percent);
    }
}
