using Microsoft.Extensions.Options;
using PvpServerless.Domain;

namespace PvpServerless.Email;

/// <summary>
/// What the queue function knows when it composes one e-mail. <see cref="To"/> never leaves the e-mail.
/// </summary>
public sealed record InvitationRequest(
    string EmailId,
    string To,
    EmailKind Kind,
    Wave Wave,
    Language Language,
    SurveyToken Token,
    DateOnly ClosesOn
);

/// <summary>Links from the token, the clinic from the settings, the words from <see cref="InvitationEmail"/>.</summary>
public sealed class InvitationComposer(SurveyLinks links, IOptions<ClinicContactOptions> clinic)
{
    public OutgoingEmail Compose(InvitationRequest request)
    {
        var content = new InvitationContent(
            request.Kind,
            request.Wave,
            request.Language,
            links.SurveyUrl(request.Token),
            links.OptOutUrl(request.Token),
            request.ClosesOn
        );
        return new OutgoingEmail(
            request.EmailId,
            request.To,
            request.Kind,
            request.Wave,
            request.Language,
            InvitationEmail.Render(content, ClinicDetails.From(clinic.Value))
        );
    }
}
