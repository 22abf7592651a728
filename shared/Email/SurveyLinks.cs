using Microsoft.Extensions.Options;

namespace PvpServerless.Email;

/// <summary>The links of an e-mail: <c>{Clinic:PublicBaseUrl}/survey/{token}</c> and its <c>/opt-out</c>.</summary>
public sealed class SurveyLinks
{
    private readonly string _base;

    public SurveyLinks(IOptions<ClinicContactOptions> options)
    {
        var baseUrl =
            ClinicContactOptions.ParseBaseUrl(options.Value.PublicBaseUrl)
            ?? throw new InvalidOperationException("Clinic:PublicBaseUrl is not an absolute http or https URL.");
        _base = baseUrl.AbsoluteUri.TrimEnd('/');
    }

    public SurveyLinks(Uri publicBaseUrl) => _base = publicBaseUrl.AbsoluteUri.TrimEnd('/');

    public Uri SurveyUrl(SurveyToken token) => new($"{_base}/survey/{token.Value}");

    public Uri OptOutUrl(SurveyToken token) => new($"{_base}/survey/{token.Value}/opt-out");
}
