using PvpServerless.Domain;

namespace PvpServerless.Email;

/// <summary>The clinic as an e-mail names it; empty phone or e-mail leaves that line out.</summary>
public sealed record ClinicDetails(string Name, string Phone, string ContactEmail)
{
    public static ClinicDetails From(ClinicContactOptions options) =>
        new(options.Name.Trim(), options.Phone.Trim(), options.ContactEmail.Trim());
}

/// <summary>
/// Everything an invitation or reminder says. Deliberately no study id, name or clinical datum: see docs/email.md.
/// </summary>
public sealed record InvitationContent(
    EmailKind Kind,
    Wave Wave,
    Language Language,
    Uri SurveyLink,
    Uri OptOutLink,
    DateOnly ClosesOn
);

/// <summary>A rendered e-mail: subject, plain text, HTML and its links (the survey link first).</summary>
public sealed record RenderedEmail(string Subject, string Text, string Html, IReadOnlyList<Uri> Links);

/// <summary>One e-mail to send. <see cref="EmailId"/> is opaque: it comes back in SendGrid's events.</summary>
public sealed record OutgoingEmail(
    string EmailId,
    string To,
    EmailKind Kind,
    Wave Wave,
    Language Language,
    RenderedEmail Content
);
