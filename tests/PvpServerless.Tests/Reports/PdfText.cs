using UglyToad.PdfPig;

namespace PvpServerless.Tests.Reports;

/// <summary>Reads a PDF back with PdfPig: page texts as space-joined words, and every letter's box.</summary>
internal sealed record PdfText(IReadOnlyList<string> Pages, IReadOnlyList<string> OutOfBox)
{
    public string All => string.Join("\n", Pages);

    public static PdfText Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var pages = new List<string>();
        var outside = new List<string>();
        foreach (var page in document.GetPages())
        {
            pages.Add(string.Join(" ", page.GetWords().Select(w => w.Text)));
            foreach (var letter in page.Letters)
            {
                var box = letter.BoundingBox;
                if (string.IsNullOrWhiteSpace(letter.Value))
                    continue;
                if (box.Left < 0 || box.Bottom < 0 || box.Right > page.Width || box.Top > page.Height)
                    outside.Add($"page {page.Number}: '{letter.Value}' at {box}");
            }
        }
        return new PdfText(pages, outside);
    }

    /// <summary>
    /// A folder under artifacts/ at the repository root (gitignored): by default artifacts/reports, where the tests
    /// leave PDFs for tests/render-report-pages.sh.
    /// </summary>
    public static string ArtifactsFolder(string name = "reports")
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PvpServerless.sln")))
            dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
