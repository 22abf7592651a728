namespace PvpServerless.Reports;

/// <summary>Section headings of the outcomes report: stable text that readers and tests look for.</summary>
public static class ReportHeadings
{
    public const string Summary = "Summary";
    public const string Table1 = "Table 1. Patient demographics";
    public const string Table2 = "Table 2. Quality of life and mobility outcomes";
    public const string Responders = "Responders (minimal clinically important difference)";
    public const string Pain = "Table 3. Pain (ODI item 1)";
    public const string Safety = "Safety";
    public const string Survival = "Survival";
    public const string FollowUp = "Follow-up";
    public const string Attrition = "Attrition";
    public const string Figures = "Figures";
    public const string Methods = "Methods";

    public static readonly IReadOnlyList<string> All =
    [
        Summary,
        Table1,
        Table2,
        Responders,
        Pain,
        Safety,
        Survival,
        FollowUp,
        Attrition,
        Figures,
        Methods,
    ];

    /// <summary>Prefix of every statement of what cannot yet be computed.</summary>
    public const string NotYetComputable = "Not yet computable:";
}
