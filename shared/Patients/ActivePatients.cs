using Azure.Data.Tables;

namespace PvpServerless.Patients;

/// <summary>The one read every change to an enrolled patient starts with.</summary>
public static class ActivePatients
{
    /// <summary>
    /// The patient row of an enrolled patient, with its ETag for the change that follows; null for an unknown study
    /// id and for an enrolment still pending or being rolled back (docs/storage.md), which no change may touch.
    /// </summary>
    public static async Task<TableEntity?> ReadAsync(
        TableClient patients,
        string studyId,
        CancellationToken cancellationToken
    )
    {
        var read = await patients.GetEntityIfExistsAsync<TableEntity>(
            PatientEntities.PartitionOf(studyId),
            PatientEntities.PatientRow,
            cancellationToken: cancellationToken
        );
        return read.HasValue && read.Value!.GetString("Status") == PatientEntities.Active ? read.Value : null;
    }
}
