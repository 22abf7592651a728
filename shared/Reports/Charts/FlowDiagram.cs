using PvpServerless.Analysis;
using PvpServerless.Reports.Layout;
using SkiaSharp;

namespace PvpServerless.Reports.Charts;

/// <summary>
/// Patient flow from enrolment to the answers at each wave, drawn with Skia boxes and arrows: the main column counts
/// who answered; a side box per wave says where the others went (not yet due, died or withdrawn, no answer).
/// </summary>
internal static class FlowDiagram
{
    private const float BoxHeight = 36,
        Gap = 16;
    private static readonly SKColor Border = new(0xFF12355B),
        Fill = new(0xFFEEF3F8),
        SideFill = new(0xFFF7F7F7);

    public static float Height(int waves) => (waves + 1) * BoxHeight + waves * Gap;

    public static GraphicBlock Block(int patients, IReadOnlyList<FollowUpRate> waves, TextMeasurer m) =>
        new(Height(waves.Count), (canvas, rect) => Draw(canvas, rect, patients, waves, m));

    private static void Draw(
        SKCanvas canvas,
        SKRect rect,
        int patients,
        IReadOnlyList<FollowUpRate> waves,
        TextMeasurer m
    )
    {
        var mainWidth = rect.Width * 0.46f;
        var sideLeft = rect.Left + rect.Width * 0.56f;
        var main = SKRect.Create(rect.Left, rect.Top, mainWidth, BoxHeight);
        Box(canvas, m, main, $"Enrolled\n{ReportFormat.Count(patients, "patient")}", Fill, bold: true);
        foreach (var w in waves)
        {
            var next = SKRect.Create(main.Left, main.Bottom + Gap, mainWidth, BoxHeight);
            Arrow(canvas, new SKPoint(main.MidX, main.Bottom), new SKPoint(next.MidX, next.Top));
            var rate = w.Rate is { } r ? $" ({ReportFormat.Percent(100 * r)} %)" : "";
            Box(
                canvas,
                m,
                next,
                $"{ReportFormat.Wave(w.Wave)}: {w.Responded} answered\nof {w.Eligible} eligible{rate}",
                Fill,
                bold: false
            );
            var side = SKRect.Create(sideLeft, next.Top, rect.Right - sideLeft, BoxHeight);
            var notDue = patients - w.Due;
            var lost = w.Due - w.Eligible;
            var silent = w.Eligible - w.Responded;
            Box(
                canvas,
                m,
                side,
                $"Not yet due: {notDue} · died or withdrawn: {lost}\nNo answer: {silent}",
                SideFill,
                bold: false
            );
            Arrow(canvas, new SKPoint(next.Right, next.MidY), new SKPoint(side.Left, side.MidY));
            main = next;
        }
    }

    private static void Box(SKCanvas canvas, TextMeasurer m, SKRect box, string text, SKColor fill, bool bold)
    {
        using var fillPaint = new SKPaint { Color = fill, IsAntialias = true };
        using var border = new SKPaint
        {
            Color = Border,
            IsStroke = true,
            StrokeWidth = 0.8f,
            IsAntialias = true,
        };
        canvas.DrawRoundRect(box, 4, 4, fillPaint);
        canvas.DrawRoundRect(box, 4, 4, border);
        var style = Styles.Table.WithBold(bold);
        var lines = text.Split('\n').SelectMany(l => m.Wrap(l, style, box.Width - 8)).Take(2).ToList();
        var top = box.MidY - lines.Count * style.LineHeight / 2;
        for (var i = 0; i < lines.Count; i++)
            m.Draw(canvas, lines[i], style, box.MidX, top + i * style.LineHeight, SKTextAlign.Center);
    }

    private static void Arrow(SKCanvas canvas, SKPoint from, SKPoint to)
    {
        using var paint = new SKPaint
        {
            Color = Border,
            IsStroke = true,
            StrokeWidth = 0.9f,
            IsAntialias = true,
        };
        canvas.DrawLine(from, to, paint);
        var angle = MathF.Atan2(to.Y - from.Y, to.X - from.X);
        using var head = new SKPath();
        head.MoveTo(to);
        head.LineTo(to.X - 6 * MathF.Cos(angle - 0.4f), to.Y - 6 * MathF.Sin(angle - 0.4f));
        head.LineTo(to.X - 6 * MathF.Cos(angle + 0.4f), to.Y - 6 * MathF.Sin(angle + 0.4f));
        head.Close();
        using var fill = new SKPaint { Color = Border, IsAntialias = true };
        canvas.DrawPath(head, fill);
    }
}
