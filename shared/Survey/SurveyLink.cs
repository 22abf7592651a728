using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.Survey;

/// <summary>Where a survey link stands today.</summary>
public enum SurveyLinkState
{
    Open,
    NotFound,
    Answered,
    Closed,
    Gone,
}

/// <summary>
/// What a survey link points to, as read in one go: the token's row, the patient row and the wave row (with their
/// ETags, which guard the answer's write) and the contact's language. Null parts were not found.
/// </summary>
public sealed record SurveyLink(
    SurveyToken? Token,
    SurveyTokenRecord? Record,
    TableEntity? Patient,
    TableEntity? WaveRow,
    WaveState? Wave,
    Language? ContactLanguage
)
{
    /// <summary>
    /// Open when the link is ours, not revoked, its last day not passed, the wave not answered or expired, and the
    /// record active without a death or withdrawal. An answer is reported before anything else: "already received"
    /// is the kindest true thing to say to someone who did answer.
    /// </summary>
    public SurveyLinkState StateOn(DateOnly clinicToday)
    {
        if (Token is null || Record is null || Patient is null || Wave is null)
            return SurveyLinkState.NotFound;
        if (Patient.GetString("Status") != PatientEntities.Active)
            return SurveyLinkState.NotFound;
        if (Wave.Status == WaveStatus.Answered)
            return SurveyLinkState.Answered;
        if (Record.RevokedAt is not null || Patient.GetString("DeathDate") is not null)
            return SurveyLinkState.Gone;
        if (Patient.GetString("WithdrawnDate") is not null)
            return SurveyLinkState.Gone;
        if (clinicToday > Record.ClosesOn || Wave.Status == WaveStatus.Expired)
            return SurveyLinkState.Closed;
        return SurveyLinkState.Open;
    }
}

/// <summary>
/// Reads a survey link with the same work whether or not it exists (docs/survey.md, "Tokens and timing"): the
/// token text is hashed (a malformed one is replaced by a decoy of the same shape), its row is read by the hash, and
/// then the patient row, the wave row and the contact are read in parallel, for a decoy partition that can never
/// exist when the token is unknown. So an unknown link costs the same reads as a known one; the token itself is never
/// compared with anything but through its SHA-256, which is what the table is keyed on.
/// </summary>
public sealed class SurveyLinkReader(
    PvpStorage storage,
    TokenStore tokens,
    ContactStore contacts,
    IOptions<FollowUpOptions> options
)
{
    // Well-formed (43 characters, canonical last one) but never issued: tokens are random or HMAC output.
    private const string DecoyToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    // '~' is escaped in every key built from a study id (TableKey), so no patient partition can be this one.
    private const string DecoyStudyId = "~decoy";

    public Task<SurveyLink> ReadAsync(string? tokenText, CancellationToken cancellationToken) =>
        ReadAsync(tokenText, withContact: true, cancellationToken);

    /// <param name="withContact">
    /// Whether to read the contact for its language. A page must (the same reads for every link); a post carrying our
    /// check and naming its language, as our form always does, need not: it is past the check, and one request fewer
    /// is a fifth of what storage does per answer (docs/survey.md, "Under load").
    /// </param>
    public async Task<SurveyLink> ReadAsync(string? tokenText, bool withContact, CancellationToken cancellationToken)
    {
        var wellFormed = SurveyToken.TryParse(tokenText, out var token);
        var record = await tokens.FindAsync(wellFormed ? tokenText : DecoyToken, cancellationToken);
        if (!wellFormed)
            record = null;
        var studyId = record?.StudyId is { } id && StudyIds.IsValid(id) ? id : DecoyStudyId;
        var wave = record?.Wave ?? Wave.Baseline;
        var partition = PatientEntities.PartitionOf(studyId);
        var patientRead = storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        var waveRead = storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            partition,
            PatientEntities.WavePrefix + wave.Code(),
            cancellationToken: cancellationToken
        );
        var contactRead = withContact ? contacts.GetAsync(studyId, cancellationToken) : Task.FromResult<Contact?>(null);
        var (patient, waveRow, contact) = (await patientRead, await waveRead, await contactRead);
        if (record is null)
            return new SurveyLink(null, null, null, null, null, null);
        var row = waveRow.HasValue ? waveRow.Value : null;
        return new SurveyLink(
            token,
            record,
            patient.HasValue ? patient.Value : null,
            row,
            row is null ? null : WaveState.From(row, options.Value),
            contact?.Language
        );
    }
}

/// <summary>
/// The form's hidden <c>check</c>: HMAC-SHA256 under <c>FollowUp:TokenKey</c> of "survey|" and the token's hash,
/// URL-safe base64. Only a page we rendered for this very link carries it (docs/survey.md, "Cross-site posts").
/// </summary>
public sealed class SurveyFormCheck(IOptions<FollowUpOptions> options)
{
    public const string Field = "check";

    private readonly byte[] _key = Convert.FromBase64String(options.Value.TokenKey);

    public string Of(string tokenHash)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes("survey|" + tokenHash), mac);
        return Base64Url.EncodeToString(mac);
    }

    public bool Matches(string tokenHash, string? check) =>
        check is { Length: SurveyToken.Length }
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Of(tokenHash)),
            Encoding.ASCII.GetBytes(check)
        );
}
