using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvpServerless.Audit;
using PvpServerless.Contacts;
using PvpServerless.Domain;
using PvpServerless.Email;
using PvpServerless.Patients;
using PvpServerless.Storage;

namespace PvpServerless.FollowUp;

/// <summary>What an opt-out link leads to; each outcome is one page in <see cref="Language"/>.</summary>
public abstract record OptOutOutcome(Language Language)
{
    /// <summary>A malformed or unknown link: 404.</summary>
    public sealed record NotFound(Language Language) : OptOutOutcome(Language);

    /// <summary>A revoked link (e.g. the address was changed since): 410, nothing can be done with it.</summary>
    public sealed record Gone(Language Language) : OptOutOutcome(Language);

    /// <summary>The confirmation form with its <see cref="Check"/>, or a note when opted out already.</summary>
    public sealed record Confirm(Language Language, string Check, bool AlreadyOptedOut) : OptOutOutcome(Language);

    /// <summary>Recorded now, or (<see cref="Already"/>) before.</summary>
    public sealed record OptedOut(Language Language, bool Already) : OptOutOutcome(Language);

    /// <summary>A post without our check, with a wrong one, or from another site: 403, nothing changed.</summary>
    public sealed record Forbidden(Language Language) : OptOutOutcome(Language);

    /// <summary>Every attempt lost a race for the patient's row, or storage is out of reach: 503, nothing changed.
    /// </summary>
    public sealed record Busy(Language Language) : OptOutOutcome(Language);

    /// <summary>The body is not our form (another media type, a field we never send): 400.</summary>
    public sealed record NotAForm(Language Language) : OptOutOutcome(Language);

    /// <summary>The body is over <see cref="OptOutService.MaxBodyBytes"/>: 413, not read further.</summary>
    public sealed record TooLarge(Language Language) : OptOutOutcome(Language);
}

/// <summary>
/// A confirming post as received: the token from the path, the language asked for, the URL it came to, the
/// browser's <c>Origin</c> header and the body (at most <see cref="OptOutService.MaxBodyBytes"/>).
/// </summary>
public sealed record OptOutPost(
    string? Token,
    Language? Requested,
    Uri RequestUrl,
    string? Origin,
    string? FetchSite,
    string? ContentType,
    ReadOnlyMemory<byte> Body
);

/// <summary>
/// The patient's "no more e-mail" (docs/openapi.yaml, "Survey pages"). Confirming sets <c>OptedOutAt</c> on the
/// patient row, ETag-guarded, in one transaction with the audit line <c>optedOut</c> by <c>patient</c>; the scheduler
/// then skips the patient's waves and the sender cancels queued e-mails. Any link we issued that is not revoked
/// works, also after its survey window closed: stopping e-mail for the later waves is exactly what it is for.
/// </summary>
public sealed class OptOutService(
    PvpStorage storage,
    TokenStore tokens,
    ContactStore contacts,
    Contention contention,
    IOptions<FollowUpOptions> options,
    IOptions<ClinicContactOptions> clinic,
    TimeProvider clock,
    ILogger<OptOutService> log
)
{
    public static readonly Actor Patient = new("patient");

    /// <summary>Our form is one field of 43 characters: a kilobyte is plenty.</summary>
    public const int MaxBodyBytes = 1024;

    public const string CheckField = "check";

    private readonly byte[] _key = Convert.FromBase64String(options.Value.TokenKey);
    private readonly Uri? _publicBaseUrl = ClinicContactOptions.ParseBaseUrl(clinic.Value.PublicBaseUrl);

    public Task<OptOutOutcome> ShowAsync(string? token, Language? requested, CancellationToken cancellationToken) =>
        UnlessStorageAwayAsync(() => ShowLinkAsync(token, requested, cancellationToken), requested);

    public Task<OptOutOutcome> ConfirmAsync(OptOutPost post, CancellationToken cancellationToken) =>
        UnlessStorageAwayAsync(() => ConfirmPostAsync(post, cancellationToken), post.Requested);

    /// <summary>
    /// Storage out of reach (the SDK has retried already): the busy page, 503 with Retry-After, nothing changed; in
    /// the language asked for, else Danish, as the patient's own cannot be read then (docs/evidence.md, "Faults").
    /// </summary>
    private static async Task<OptOutOutcome> UnlessStorageAwayAsync(
        Func<Task<OptOutOutcome>> outcome,
        Language? requested
    )
    {
        try
        {
            return await outcome();
        }
        catch (Exception ex) when (Contention.IsUnavailable(ex))
        {
            return new OptOutOutcome.Busy(requested ?? Language.Da);
        }
    }

    private async Task<OptOutOutcome> ShowLinkAsync(
        string? token,
        Language? requested,
        CancellationToken cancellationToken
    )
    {
        var fallback = requested ?? Language.Da;
        if (await tokens.FindAsync(token, cancellationToken) is not { } record)
            return new OptOutOutcome.NotFound(fallback);
        if (await ReadPatientAsync(record.StudyId, cancellationToken) is not { } patient)
            return new OptOutOutcome.NotFound(fallback);
        var language = requested ?? await LanguageOfAsync(record.StudyId, cancellationToken);
        if (record.RevokedAt is not null)
            return new OptOutOutcome.Gone(language);
        var already = patient.GetDateTimeOffset("OptedOutAt") is not null;
        return new OptOutOutcome.Confirm(language, CheckOf(record.Hash), already);
    }

    private async Task<OptOutOutcome> ConfirmPostAsync(OptOutPost post, CancellationToken cancellationToken)
    {
        var fallback = post.Requested ?? Language.Da;
        if (!SurveyToken.TryParse(post.Token, out var token))
            return new OptOutOutcome.NotFound(fallback);
        if (!Web.Origins.IsOwn(post.Origin, post.FetchSite, post.RequestUrl, _publicBaseUrl))
            return new OptOutOutcome.Forbidden(fallback);
        if (!Web.UrlEncodedForm.TryParse(post.Body.Span, post.ContentType, [CheckField], out var form))
            return new OptOutOutcome.NotAForm(fallback);
        // The check is keyed on the token's hash: a page of ours, shown for this very link, sent it.
        if (!IsCheckOf(token.Hash, form.GetValueOrDefault(CheckField)))
            return new OptOutOutcome.Forbidden(fallback);
        if (await tokens.FindAsync(post.Token, cancellationToken) is not { } record)
            return new OptOutOutcome.NotFound(fallback);
        var language = post.Requested ?? await LanguageOfAsync(record.StudyId, cancellationToken);
        if (record.RevokedAt is not null)
            return new OptOutOutcome.Gone(language);
        for (var attempt = 0; attempt < Contention.Attempts; attempt++)
        {
            if (await ReadPatientAsync(record.StudyId, cancellationToken) is not { } patient)
                return new OptOutOutcome.NotFound(language);
            if (patient.GetDateTimeOffset("OptedOutAt") is not null)
                return new OptOutOutcome.OptedOut(language, Already: true);
            try
            {
                await WriteAsync(patient, record, cancellationToken);
                log.LogInformation("A patient opted out of follow-up e-mail");
                return new OptOutOutcome.OptedOut(language, Already: false);
            }
            catch (Exception ex) when (Contention.IsLostRace(ex))
            {
                await contention.PauseAsync(attempt, cancellationToken);
            }
        }
        return new OptOutOutcome.Busy(language);
    }

    /// <summary>
    /// The form's hidden field: HMAC-SHA256 under <c>FollowUp:TokenKey</c> of the token's hash, URL-safe base64.
    /// </summary>
    public string CheckOf(string tokenHash)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes("opt-out|" + tokenHash), mac);
        return Base64Url.EncodeToString(mac);
    }

    private bool IsCheckOf(string tokenHash, string? check) =>
        check is { Length: SurveyToken.Length }
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(CheckOf(tokenHash)),
            Encoding.ASCII.GetBytes(check)
        );

    private Task WriteAsync(TableEntity patient, SurveyTokenRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var details = $$"""{"wave":"{{record.Wave.Code()}}"}""";
        List<TableTransactionAction> batch =
        [
            new(
                TableTransactionActionType.UpdateMerge,
                new TableEntity(patient.PartitionKey, patient.RowKey) { ["OptedOutAt"] = now },
                patient.ETag
            ),
            new(
                TableTransactionActionType.Add,
                AuditEntry.Of(now, Patient, "optedOut", details).ToEntity(patient.PartitionKey)
            ),
        ];
        return storage.Patients.SubmitTransactionAsync(batch, cancellationToken);
    }

    private async Task<TableEntity?> ReadPatientAsync(string studyId, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        var row = await storage.Patients.GetEntityIfExistsAsync<TableEntity>(
            PatientEntities.PartitionOf(studyId),
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        return row.HasValue ? row.Value : null;
    }

    private async Task<Language> LanguageOfAsync(string studyId, CancellationToken cancellationToken) =>
        (await contacts.GetAsync(studyId, cancellationToken))?.Language ?? Language.Da;
}
