using System.Text.Json;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Patients;

namespace PvpServerless.FollowUp;

/// <summary>
/// One message on the <c>invitations</c> queue: which wave, and which e-mail of it (the id the scheduler claimed on
/// the wave row). No address, no token: the sender reads those when it sends.
/// </summary>
public sealed record InvitationMessage(string StudyId, string Wave, string EmailId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(InvitationMessage m) => JsonSerializer.Serialize(m, Json);

    /// <summary>The message, or null when it is not one of ours (it is then dropped, with a log line).</summary>
    public static InvitationMessage? TryParse(string? text)
    {
        if (text is null || text.Length > 1024)
            return null;
        try
        {
            var m = JsonSerializer.Deserialize<InvitationMessage>(text, Json);
            return
                m is not null
                && StudyIds.IsValid(m.StudyId)
                && Waves.TryParse(m.Wave, out _)
                && EmailIds.IsValid(m.EmailId)
                ? m
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
