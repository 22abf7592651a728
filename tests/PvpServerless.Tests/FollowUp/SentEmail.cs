using System.Text.RegularExpressions;
using PvpServerless.Domain;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.FollowUp;

/// <summary>
/// One request at the fake SendGrid, read as the patient would: the clinic day it arrived, to whom, which wave
/// (from the English wording), invitation or reminder (from the subject) and the survey link's token.
/// </summary>
public sealed partial record SentEmail(
    DateOnly ClinicDay,
    DateTimeOffset At,
    string EmailId,
    string To,
    Wave Wave,
    bool IsReminder,
    string Token,
    string Text
)
{
    /// <summary>What a test expects: day, wave, invitation or reminder.</summary>
    public (DateOnly Day, Wave Wave, string Kind) Summary => (ClinicDay, Wave, IsReminder ? "reminder" : "invitation");

    [GeneratedRegex(@"https://pvp\.example\.dk/survey/([A-Za-z0-9_-]{43})(?:/opt-out)?(?![A-Za-z0-9_-])")]
    private static partial Regex SurveyLink();

    public static SentEmail From(FakeSendGrid.RecordedRequest request)
    {
        var json = request.Json;
        var personalization = json["personalizations"]![0]!;
        var subject = (string)(json["subject"] ?? personalization["subject"])!;
        var text = (string)json["content"]!.AsArray().Single(c => (string?)c!["type"] == "text/plain")!["value"]!;
        var tokens = SurveyLink().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        return new SentEmail(
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(request.ReceivedAt, FollowUpWorld.Copenhagen).DateTime),
            request.ReceivedAt,
            (string)personalization["custom_args"]!["pvp_email_id"]!,
            (string)personalization["to"]![0]!["email"]!,
            WaveOf(text),
            subject.StartsWith("Reminder: ", StringComparison.Ordinal),
            Assert.Single(tokens),
            text
        );
    }

    private static Wave WaveOf(string text) =>
        text.Contains("around the time of your treatment", StringComparison.Ordinal) ? Wave.Baseline
        : text.Contains("about three months since", StringComparison.Ordinal) ? Wave.ThreeMonths
        : text.Contains("about a year since", StringComparison.Ordinal) ? Wave.OneYear
        : throw new InvalidOperationException("An e-mail that names no wave: " + text);
}
