using System.Globalization;
using Azure.Data.Tables;
using PvpServerless.Patients;

namespace PvpServerless.Audit;

/// <summary>
/// One line of a patient's append-only audit log: who changed what, when. Stored in the patient's own partition
/// so that it is written in the same transaction as the change it describes. Never holds an e-mail address.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Details)
{
    public const string RowPrefix = "audit|";

    /// <param name="sequence">Orders entries written in the same tick.</param>
    public TableEntity ToEntity(string partitionKey, int sequence = 0) =>
        new(
            partitionKey,
            $"{RowPrefix}{At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{sequence:D3}|{Guid.NewGuid():N}"
        )
        {
            ["At"] = At,
            ["Actor"] = Actor,
            ["Action"] = Action,
            ["Details"] = Details,
        };

    public static AuditEntry FromEntity(TableEntity e) =>
        new(
            e.GetDateTimeOffset("At") ?? default,
            e.GetString("Actor") ?? "",
            e.GetString("Action") ?? "",
            e.GetString("Details") ?? ""
        );

    public static AuditEntry Of(DateTimeOffset at, Actor actor, string action, string details) =>
        new(at, actor.ToString(), action, details);
}
