using PvpServerless.Cohort;

namespace PvpServerless.Responses;

/// <summary>
/// The body of <c>POST /api/patients/{studyId}/responses</c>: a questionnaire the coordinator types in from paper
/// (or one that came from elsewhere). <c>wave</c> is baseline, 3m or 1y; <c>odi</c> holds ten sections, null = skipped.
/// </summary>
public sealed record ResponseRequest(
    string? Wave,
    DateTimeOffset? CompletedAt,
    Eq5dAnswers? Eq5d,
    IReadOnlyList<int?>? Odi
);
