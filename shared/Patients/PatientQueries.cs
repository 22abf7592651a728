using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PvpServerless.Domain;
using PvpServerless.FollowUp;
using PvpServerless.Questionnaires;
using PvpServerless.Responses;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

public sealed record PatientPage(IReadOnlyList<PatientRecord> Items, string? ContinuationToken);

/// <summary>
/// Our continuation tokens: the storage SDK's token, wrapped so that a token we did not make (or one mangled on
/// the way) is recognised and refused, instead of silently restarting at the first page.
/// </summary>
public static class PageTokens
{
    private const string Version = "p1\n";

    public static string? Wrap(string? storageToken) =>
        storageToken is null
            ? null
            : Convert
                .ToBase64String(System.Text.Encoding.UTF8.GetBytes(Version + storageToken))
                .TrimEnd('=')
                .Replace('+', '-')
                .Replace('/', '_');

    /// <summary>The storage token inside <paramref name="token"/>, or false when it is not one of ours.</summary>
    public static bool TryUnwrap(string token, out string storageToken)
    {
        storageToken = "";
        if (token.Length is 0 or > 1024 || token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            return false;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
            return false;
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        if (!text.StartsWith(Version, StringComparison.Ordinal) || text.Length == Version.Length)
            return false;
        storageToken = text[Version.Length..];
        return storageToken.All(c => !char.IsControl(c));
    }
}

/// <summary>Reads enrolled patients. Pending (unfinished) enrolments are invisible here.</summary>
public sealed class PatientQueries(PvpStorage storage, IOptions<FollowUpOptions> options, ValueSet valueSet)
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// One query of the partition's record, response and wave rows (RowKey "patient", then "response|".."wave|~"):
    /// the record with each wave's follow-up state and, once answered, its scores.
    /// </summary>
    public async Task<PatientRecord?> GetAsync(string studyId, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        var pk = TableKey.Literal(PatientEntities.PartitionOf(studyId));
        var filter =
            $"PartitionKey eq {pk} and (RowKey eq 'patient' or (RowKey ge 'response|' and RowKey lt 'response}}') "
            + "or (RowKey ge 'wave|' and RowKey lt 'wave}'))";
        TableEntity? patient = null;
        var waves = new List<TableEntity>();
        var responses = new Dictionary<string, TableEntity>();
        await foreach (var e in storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == PatientEntities.PatientRow)
                patient = e;
            else if (e.RowKey.StartsWith(PatientEntities.ResponsePrefix, StringComparison.Ordinal))
                responses[e.RowKey[PatientEntities.ResponsePrefix.Length..]] = e;
            else
                waves.Add(e);
        }
        return patient is not null && patient.GetString("Status") == PatientEntities.Active
            ? PatientEntities.ToRecord(patient, waves.Select(w => WithFollowUp(w, responses)))
            : null;
    }

    private WaveSchedule WithFollowUp(TableEntity row, Dictionary<string, TableEntity> responses)
    {
        var wave = PatientEntities.ToWave(row);
        var state = WaveState.From(row, options.Value);
        var response = responses.GetValueOrDefault(wave.Wave.Code());
        return wave with
        {
            FollowUp = new WaveFollowUp(
                WaveState.Code(state.Status),
                state.OpensOn,
                state.ClosesOn,
                state.Reminders,
                row.GetDateTimeOffset("AnsweredAt"),
                response?.GetString("Source"),
                response is null ? null : ResponseScores.Of(ResponseEntities.ToResponse(response), valueSet)
            ),
        };
    }

    /// <summary>
    /// A page of patients in study-id order; pass the returned token to read the next page. The token given must be
    /// one this method returned (see <see cref="PageTokens"/>); the caller checks it first.
    /// </summary>
    public async Task<PatientPage> ListAsync(
        int pageSize,
        string? continuationToken,
        CancellationToken cancellationToken
    )
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var filter = $"RowKey eq 'patient' and Status eq '{PatientEntities.Active}'";
        var items = new List<PatientRecord>();
        string? storageToken = null;
        if (continuationToken is not null && !PageTokens.TryUnwrap(continuationToken, out storageToken))
            throw new ArgumentException("Not a continuation token of ours.", nameof(continuationToken));
        string? next = storageToken;
        // Table Storage may return short (even empty) pages before the end: keep reading until the page is full.
        await foreach (
            var page in storage
                .Patients.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
                .AsPages(storageToken, pageSize)
                .WithCancellation(cancellationToken)
        )
        {
            foreach (var p in page.Values)
            {
                items.Add(PatientEntities.ToRecord(p, DerivedWaves(p)));
            }
            next = page.ContinuationToken;
            if (items.Count > 0 || next is null)
                break;
        }
        return new PatientPage(items, PageTokens.Wrap(next));
    }

    // Wave due dates follow from the procedure date; listing derives them rather than reading three more rows.
    private static IEnumerable<WaveSchedule> DerivedWaves(TableEntity p)
    {
        var procedure = PatientEntities.Date(p.GetString("ProcedureDate"))!.Value;
        return Domain.Waves.All.Select(w => new WaveSchedule(w, Domain.Waves.DueDate(w, procedure)));
    }
}
