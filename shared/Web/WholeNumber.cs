using System.Globalization;

namespace PvpServerless.Web;

/// <summary>
/// A count in a query string (<c>pageSize</c>, <c>days</c>, <c>take</c>): ASCII digits only. <c>int.TryParse</c>
/// alone also takes spaces, signs, other cultures' digits and even trailing NUL characters ("50\0").
/// </summary>
public static class WholeNumber
{
    public static bool TryParse(string text, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 9
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
