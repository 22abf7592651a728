using System.Text.Json;
using System.Text.Json.Serialization;

namespace PvpServerless.Domain;

public static class Waves
{
    public static readonly IReadOnlyList<Wave> All = [Wave.Baseline, Wave.ThreeMonths, Wave.OneYear];
    public static readonly IReadOnlyList<Wave> FollowUps = [Wave.ThreeMonths, Wave.OneYear];

    /// <summary>The code used in documents and URLs: baseline, 3m, 1y.</summary>
    public static string Code(this Wave wave) =>
        wave switch
        {
            Wave.Baseline => "baseline",
            Wave.ThreeMonths => "3m",
            Wave.OneYear => "1y",
            _ => throw new ArgumentOutOfRangeException(nameof(wave)),
        };

    public static bool TryParse(string? code, out Wave wave)
    {
        switch (code)
        {
            case "baseline":
                wave = Wave.Baseline;
                return true;
            case "3m":
                wave = Wave.ThreeMonths;
                return true;
            case "1y":
                wave = Wave.OneYear;
                return true;
            default:
                wave = default;
                return false;
        }
    }

    /// <summary>Calendar due date: baseline on the procedure day, then +3 and +12 months.</summary>
    public static DateOnly DueDate(this Wave wave, DateOnly procedureDate) =>
        wave switch
        {
            Wave.Baseline => procedureDate,
            Wave.ThreeMonths => procedureDate.AddMonths(3),
            Wave.OneYear => procedureDate.AddMonths(12),
            _ => throw new ArgumentOutOfRangeException(nameof(wave)),
        };
}

public sealed class WaveJsonConverter : JsonConverter<Wave>
{
    public override Wave Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var code = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Waves.TryParse(code, out var wave)
            ? wave
            : throw new JsonException($"'{code}' is not a wave: expected baseline, 3m or 1y.");
    }

    public override void Write(Utf8JsonWriter writer, Wave value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Code());
}
