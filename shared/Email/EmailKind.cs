using System.Globalization;

namespace PvpServerless.Email;

/// <summary>
/// The first invitation of a wave (<see cref="Reminder"/> = 0) or its n-th reminder. Its code travels in queue
/// messages and the outbox: <c>invitation</c>, <c>reminder1</c>, <c>reminder2</c>, ….
/// </summary>
public readonly record struct EmailKind
{
    public const int MaxReminder = 9;

    private EmailKind(int reminder) => Reminder = reminder;

    public static EmailKind Invitation => default;

    /// <summary>0 for the invitation, else which reminder (1 to <see cref="MaxReminder"/>).</summary>
    public int Reminder { get; }

    public bool IsReminder => Reminder > 0;

    public string Code => IsReminder ? $"reminder{Reminder.ToString(CultureInfo.InvariantCulture)}" : "invitation";

    public static EmailKind ReminderNumber(int n) =>
        n is >= 1 and <= MaxReminder
            ? new EmailKind(n)
            : throw new ArgumentOutOfRangeException(nameof(n), n, $"A reminder is numbered 1 to {MaxReminder}.");

    public static bool TryParse(string? code, out EmailKind kind)
    {
        kind = Invitation;
        if (code == "invitation")
            return true;
        if (
            code is { Length: 9 }
            && code.StartsWith("reminder", StringComparison.Ordinal)
            && code[8] is >= '1' and <= '9'
        )
        {
            kind = new EmailKind(code[8] - '0');
            return true;
        }
        return false;
    }

    public override string ToString() => Code;
}
