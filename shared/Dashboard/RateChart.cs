using System.Globalization;
using System.Text;
using PvpServerless.Coordination;
using static PvpServerless.Dashboard.Markup;

namespace PvpServerless.Dashboard;

/// <summary>
/// The response rate per calendar month and wave as inline SVG drawn here (no script, no external file): one line
/// per wave with its own marker shape (not colour alone), gaps where a month has no eligible patient, and the same
/// figures as a table for screen readers and for anyone who prefers numbers.
/// </summary>
public static class RateChart
{
    private const int Width = 720;
    private const int Height = 280;
    private const int Left = 48;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 40;

    private static readonly IReadOnlyDictionary<string, string> Colours = new Dictionary<string, string>
    {
        ["baseline"] = "#0b4f9c",
        ["3m"] = "#b3261e",
        ["1y"] = "#00703c",
    };

    /// <summary>Every month any wave has, in order.</summary>
    public static IReadOnlyList<string> Months(FollowUpSummary summary) =>
        [.. summary.Waves.SelectMany(w => w.Months.Select(m => m.Month)).Distinct().Order(StringComparer.Ordinal)];

    public static string Render(FollowUpSummary summary, DashboardText t)
    {
        var months = Months(summary);
        var sb = new StringBuilder(8192);
        sb.Append("<section aria-labelledby=\"chart-heading\">\n<h2 id=\"chart-heading\">")
            .Append(E(t.Chart))
            .Append("</h2>\n");
        if (months.Count == 0)
            return sb.Append("<p>").Append(E(t.NoneEligible)).Append("</p>\n</section>\n").ToString();
        sb.Append("<svg class=\"chart\" viewBox=\"0 0 ")
            .Append(Width)
            .Append(' ')
            .Append(Height)
            .Append("\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\">")
            .Append("<title id=\"chart-title\">")
            .Append(E(t.Chart + ": " + string.Join("; ", summary.Waves.Select(w => Describe(w, t)))))
            .Append("</title>\n");
        Axes(sb, months);
        foreach (var wave in summary.Waves)
            Series(sb, wave, months);
        sb.Append("</svg>\n<ul class=\"legend\">");
        foreach (var wave in summary.Waves)
        {
            sb.Append("<li><span class=\"key key-")
                .Append(E(wave.Wave))
                .Append("\"></span>")
                .Append(E(t.WaveName(wave.Wave)))
                .Append(" (")
                .Append(Marker(wave.Wave))
                .Append(")</li>");
        }
        sb.Append("</ul>\n");
        AsTable(sb, summary, months, t);
        return sb.Append("</section>\n").ToString();
    }

    private static string Describe(WaveSummary wave, DashboardText t) =>
        t.WaveName(wave.Wave) + " " + Percent(wave.ResponseRate.Rate, t);

    private static string Marker(string wave) =>
        wave switch
        {
            "baseline" => "●",
            "3m" => "■",
            _ => "▲",
        };

    private static double X(int i, int n) =>
        n == 1 ? Left + (Width - Left - Right) / 2.0 : Left + i * (Width - Left - Right) / (double)(n - 1);

    private static double Y(double rate) => Top + (1 - rate) * (Height - Top - Bottom);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static void Axes(StringBuilder sb, IReadOnlyList<string> months)
    {
        for (var p = 0; p <= 100; p += 25)
        {
            var y = F(Y(p / 100.0));
            sb.Append("<line x1=\"")
                .Append(Left)
                .Append("\" x2=\"")
                .Append(Width - Right)
                .Append("\" y1=\"")
                .Append(y)
                .Append("\" y2=\"")
                .Append(y)
                .Append("\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>")
                .Append("<text x=\"")
                .Append(Left - 6)
                .Append("\" y=\"")
                .Append(F(Y(p / 100.0) + 4))
                .Append("\" text-anchor=\"end\" font-size=\"12\" fill=\"#0b0c0c\">")
                .Append(p)
                .Append(" %</text>\n");
        }
        // At most about eight labels, so they never overlap at the chart's smallest width.
        var step = Math.Max(1, (int)Math.Ceiling(months.Count / 8.0));
        for (var i = 0; i < months.Count; i += step)
        {
            sb.Append("<text x=\"")
                .Append(F(X(i, months.Count)))
                .Append("\" y=\"")
                .Append(Height - Bottom + 20)
                .Append("\" text-anchor=\"middle\" font-size=\"12\" fill=\"#0b0c0c\">")
                .Append(E(months[i]))
                .Append("</text>\n");
        }
    }

    private static void Series(StringBuilder sb, WaveSummary wave, IReadOnlyList<string> months)
    {
        var colour = Colours.GetValueOrDefault(wave.Wave, "#0b0c0c");
        var rates = wave.Months.ToDictionary(m => m.Month, m => m.Rate, StringComparer.Ordinal);
        var path = new StringBuilder();
        var pen = 'M';
        for (var i = 0; i < months.Count; i++)
        {
            if (rates.GetValueOrDefault(months[i]) is not { } rate)
            {
                pen = 'M';
                continue;
            }
            path.Append(pen).Append(F(X(i, months.Count))).Append(' ').Append(F(Y(rate))).Append(' ');
            pen = 'L';
        }
        if (path.Length > 0)
        {
            sb.Append("<path d=\"")
                .Append(path.ToString().Trim())
                .Append("\" fill=\"none\" stroke=\"")
                .Append(colour)
                .Append("\" stroke-width=\"2.5\"/>\n");
        }
        for (var i = 0; i < months.Count; i++)
        {
            if (rates.GetValueOrDefault(months[i]) is { } rate)
                Point(sb, wave.Wave, colour, X(i, months.Count), Y(rate));
        }
    }

    private static void Point(StringBuilder sb, string wave, string colour, double x, double y)
    {
        var shape = wave switch
        {
            "baseline" => $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"5\"",
            "3m" => $"<rect x=\"{F(x - 4.5)}\" y=\"{F(y - 4.5)}\" width=\"9\" height=\"9\"",
            _ => $"<polygon points=\"{F(x)},{F(y - 6)} {F(x + 6)},{F(y + 5)} {F(x - 6)},{F(y + 5)}\"",
        };
        sb.Append(shape).Append(" fill=\"").Append(colour).Append("\"/>");
    }

    private static void AsTable(
        StringBuilder sb,
        FollowUpSummary summary,
        IReadOnlyList<string> months,
        DashboardText t
    )
    {
        sb.Append("<details><summary>").Append(E(t.ChartTable)).Append("</summary>\n");
        Table.Open(
            sb,
            "chart-table",
            t.Chart,
            [new(t.Month), .. summary.Waves.Select(w => new Table.Column(t.WaveName(w.Wave), Number: true))]
        );
        foreach (var month in months)
        {
            sb.Append("<tr><th scope=\"row\">").Append(E(month)).Append("</th>");
            foreach (var wave in summary.Waves)
            {
                var m = wave.Months.FirstOrDefault(x => x.Month == month);
                sb.Append("<td class=\"num\">")
                    .Append(m is null || m.Eligible == 0 ? "–" : $"{Percent(m.Rate, t)} ({m.Responded}/{m.Eligible})")
                    .Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        Table.Close(sb).Append("</details>\n");
    }
}
