using SkiaSharp;

namespace PvpServerless.Reports.Layout;

/// <summary>A4 portrait in points, with the body inside the margins and header/footer bands in the margins.</summary>
public sealed record PageSetup(
    float Width = 595.28f,
    float Height = 841.89f,
    float MarginX = 54f,
    float MarginTop = 62f,
    float MarginBottom = 62f
)
{
    public float BodyWidth => Width - 2 * MarginX;
    public float BodyHeight => Height - MarginTop - MarginBottom;
    public SKRect Body => SKRect.Create(MarginX, MarginTop, BodyWidth, BodyHeight);
}

/// <summary>Decorates one page (header, footer, "Page n of N") once the page count is known.</summary>
public delegate void PageDecorator(SKCanvas canvas, PageSetup setup, int pageNumber, int pageCount);

/// <summary>Lays blocks out to pages first, then draws every page into a PDF.</summary>
public static class PdfDocumentWriter
{
    public static int Write(
        Stream output,
        IReadOnlyList<Block> blocks,
        PageSetup setup,
        TextMeasurer measurer,
        PageDecorator decorate,
        SKDocumentPdfMetadata metadata
    )
    {
        var context = new LayoutContext(measurer, setup.BodyWidth);
        var fragments = blocks.SelectMany(b => b.Layout(context)).ToList();
        var pages = Paginator.Paginate(fragments, setup.BodyHeight);

        using var document =
            SKDocument.CreatePdf(output, metadata)
            ?? throw new InvalidOperationException("Skia could not create a PDF document.");
        for (var p = 0; p < pages.Count; p++)
        {
            var canvas = document.BeginPage(setup.Width, setup.Height);
            foreach (var item in pages[p].Items)
            {
                canvas.Save();
                item.Fragment.Draw(canvas, new SKPoint(setup.MarginX, setup.MarginTop + item.Top));
                canvas.Restore();
            }
            decorate(canvas, setup, p + 1, pages.Count);
            document.EndPage();
        }
        document.Close();
        return pages.Count;
    }
}
