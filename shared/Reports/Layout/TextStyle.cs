using SkiaSharp;

namespace PvpServerless.Reports.Layout;

/// <summary>Size in points, weight and colour of a run of text. Line height is 1.3 × size.</summary>
public sealed record TextStyle(float Size, bool Bold = false, uint Argb = 0xFF1A1A1A)
{
    public float LineHeight => Size * 1.3f;
    public SKColor Color => new(Argb);

    public TextStyle WithBold(bool bold = true) => this with { Bold = bold };

    public TextStyle WithColor(uint argb) => this with { Argb = argb };
}

/// <summary>The type scale of the report.</summary>
public static class Styles
{
    public static readonly TextStyle Body = new(9.5f);
    public static readonly TextStyle Small = new(8f, Argb: 0xFF444444);
    public static readonly TextStyle Table = new(9f);
    public static readonly TextStyle TableHeader = new(9f, Bold: true);
    public static readonly TextStyle Title = new(18f, Bold: true, Argb: 0xFF12355B);
    public static readonly TextStyle Heading1 = new(14f, Bold: true, Argb: 0xFF12355B);
    public static readonly TextStyle Heading2 = new(11f, Bold: true, Argb: 0xFF12355B);
    public static readonly TextStyle Footer = new(7.5f, Argb: 0xFF555555);
    public static readonly TextStyle Note = new(8.5f, Argb: 0xFF8A1C1C);
}
