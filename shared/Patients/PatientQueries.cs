using Azure.Data.Tables;
using PvpServerless.Storage;

namespace PvpServerless.Patients;

public sealed record PatientPage(IReadOnlyList<PatientRecord> Items, string? ContinuationToken);

/// <summary>Reads enrolled patients. Pending (unfinished) enrolments are invisible here.</summary>
public sealed class PatientQueries(PvpStorage storage)
{
    public const int MaxPageSize = 200;

    /// <summary>One point query for the whole partition's record and wave rows (RowKey range "patient".."wave|~").</summary>
    public async Task<PatientRecord?> GetAsync(string studyId, CancellationToken cancellationToken)
    {
        if (!StudyIds.IsValid(studyId))
            return null;
        var pk = TableKey.Literal(PatientEntities.PartitionOf(studyId));
        var filter = $"PartitionKey eq {pk} and (RowKey eq 'patient' or (RowKey ge 'wave|' and RowKey lt 'wave}}'))";
        TableEntity? patient = null;
        var waves = new List<WaveSchedule>();
        await foreach (var e in storage.Patients.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == PatientEntities.PatientRow)
                patient = e;
            else
                waves.Add(PatientEntities.ToWave(e));
        }
        return patient is not null && patient.GetString("Status") == PatientEntities.Active
            ? PatientEntities.ToRecord(patient, waves)
            : null;
    }

    /// <summary>A page of patients in study-id order; pass the returned token to read the next page.</summary>
    public async Task<PatientPage> ListAsync(
        int pageSize,
        string? continuationToken,
        CancellationToken cancellationToken
    )
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var filter = $"RowKey eq 'patient' and Status eq '{PatientEntities.Active}'";
        var items = new List<PatientRecord>();
        string? next = continuationToken;
        // Table Storage may return short (even empty) pages before the end: keep reading until the page is full.
        await foreach (
            var page in storage
                .Patients.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken)
                .AsPages(continuationToken, pageSize)
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
        return new PatientPage(items, next);
    }

    // Wave due dates follow from the procedure date; listing derives them rather than reading three more rows.
    private static IEnumerable<WaveSchedule> DerivedWaves(TableEntity p)
    {
        var procedure = PatientEntities.Date(p.GetString("ProcedureDate"))!.Value;
        return Domain.Waves.All.Select(w => new WaveSchedule(w, Domain.Waves.DueDate(w, procedure)));
    }
}
