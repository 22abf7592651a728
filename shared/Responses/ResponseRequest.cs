namespace PvpServerless.Responses;

/// <summary>
/// The body of <c>POST /api/patients/{studyId}/responses</c>: a questionnaire the coordinator types in from paper
/// (or one that came from elsewhere). <c>wave</c> is baseline, 3m or 1y; <c>completedAt</c> an instant with its
/// offset; <c>eq5d</c> has exactly the keys of <see cref="ResponseRules.Eq5dKeys"/> (an unanswered item is an
/// explicit null); <c>odi</c> holds ten sections, null = skipped. Unknown keys are refused, never dropped.
/// </summary>
public sealed record ResponseRequest(
    string? Wave,
    string? CompletedAt,
    IReadOnlyDictionary<string, int?>? Eq5d,
    IReadOnlyList<int?>? Odi
);
