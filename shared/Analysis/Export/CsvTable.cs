using System.Globalization;
using System.Text;

namespace PvpServerless.Analysis.Export;

/// <summary>A column of an exported CSV file: name, type and meaning (for the data dictionary), and value.</summary>
public sealed record CsvColumn<T>(string Name, string Type, string Description, Func<T, object?> Value);

/// <summary>A line of data-dictionary.csv.</summary>
public sealed record DictionaryEntry(string File, string Column, string Type, string Description);

/// <summary>
/// A CSV file that R (<c>read.csv</c>) and Stata (<c>import delimited</c>) read as is: UTF-8 without BOM, comma, header
/// row, "\n" line ends, empty cell = missing, invariant numbers in round-trip precision, booleans as 1/0, dates
/// yyyy-MM-dd, instants in UTC ISO 8601. The columns also describe themselves, so the dictionary cannot drift.
/// A text cell that a spreadsheet would take for a formula (it starts with '=', '+', '-', '@', tab or CR) is written
/// as OWASP advises against CSV injection: a single quote in front and the field in double quotes, so Excel and
/// LibreOffice show it as text. Numbers are never touched: a negative number is a number, not text.
/// </summary>
public sealed record CsvTable<T>(string FileName, string Description, IReadOnlyList<CsvColumn<T>> Columns)
{
    public byte[] Write(IEnumerable<T> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(c => Quote(c.Name))).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', Columns.Select(c => Cell(c.Value(row)))).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public IEnumerable<DictionaryEntry> Dictionary() =>
        Columns.Select(c => new DictionaryEntry(FileName, c.Name, c.Type, c.Description));

    public static string Format(object? value) =>
        value switch
        {
            null => "",
            double d when !double.IsFinite(d) => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "1" : "0",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    /// <summary>First characters with which a spreadsheet starts a formula (or, tab and CR, hide one).</summary>
    private const string FormulaStarts = "=+-@\t\r";

    private static string Cell(object? value)
    {
        var cell = Format(value);
        // Only text can be hostile: numbers, booleans and dates (IFormattable) are ours and stay as they are.
        return value is not (null or bool or IFormattable) && cell.Length > 0 && FormulaStarts.Contains(cell[0])
            ? "\"'" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : Quote(cell);
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;
}

/// <summary>Shorthand for column definitions.</summary>
internal static class Col
{
    public static CsvColumn<T> Of<T>(string name, string type, string description, Func<T, object?> value) =>
        new(name, type, description, value);
}
