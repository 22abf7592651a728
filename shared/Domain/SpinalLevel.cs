namespace PvpServerless.Domain;

/// <summary>A vertebral level C1–C7, T1–T12, L1–L5 or S1.</summary>
public readonly record struct SpinalLevel
{
    private static readonly (char Prefix, int Count, SpineRegion Region)[] Segments =
    [
        ('C', 7, SpineRegion.Cervical),
        ('T', 12, SpineRegion.Thoracic),
        ('L', 5, SpineRegion.Lumbar),
        ('S', 1, SpineRegion.Sacral),
    ];

    private SpinalLevel(string code, SpineRegion region, int ordinal) =>
        (Code, Region, Ordinal) = (code, region, ordinal);

    public string Code { get; }
    public SpineRegion Region { get; }

    /// <summary>Position from the skull down (C1 = 0), for sorting.</summary>
    public int Ordinal { get; }

    public static bool TryParse(string? text, out SpinalLevel level)
    {
        level = default;
        if (
            text is not { Length: 2 or 3 }
            || !int.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.None, null, out var n)
        )
        {
            return false;
        }
        var offset = 0;
        foreach (var (prefix, count, region) in Segments)
        {
            if (text[0] == prefix && n >= 1 && n <= count && text[1] != '0')
            {
                level = new SpinalLevel(text, region, offset + n - 1);
                return true;
            }
            offset += count;
        }
        return false;
    }

    public static SpinalLevel Parse(string text) =>
        TryParse(text, out var level)
            ? level
            : throw new FormatException($"'{text}' is not a level C1–C7, T1–T12, L1–L5 or S1.");

    public override string ToString() => Code;
}
