using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PvpServerless.Email;
using PvpServerless.FollowUp;
using PvpServerless.Functions.Http;

namespace PvpServerless.Functions.FollowUp;

/// <summary>
/// SendGrid's Event Webhook. Anonymous to the Functions host: the ECDSA signature over the raw body is the
/// authentication (docs/openapi.yaml, <c>POST /api/sendgrid/events</c>).
/// </summary>
public sealed class DeliveryFunctions(DeliveryEvents deliveries)
{
    [Function("SendGridEvents")]
    public async Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sendgrid/events")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        if (RequestReading.RefuseMediaType(request) is { } refused)
            return refused;
        var body = await RequestReading.ReadBoundedAsync(request, SendGridEventParser.MaxBodyBytes, cancellationToken);
        if (body is null)
            return Answers.TooLarge(SendGridEventParser.MaxBodyBytes);
        var outcome = await deliveries.ReceiveAsync(
            request.Headers[SendGridWebhookVerifier.SignatureHeader].ToString(),
            request.Headers[SendGridWebhookVerifier.TimestampHeader].ToString(),
            body,
            cancellationToken
        );
        return outcome switch
        {
            WebhookOutcome.Applied a => Answers.Ok(a.Report),
            WebhookOutcome.Refused r => Refusal(r.Verdict),
            WebhookOutcome.Invalid i => Answers.Validation(new Dictionary<string, string[]> { ["body"] = [i.Error] }),
            WebhookOutcome.Busy => Answers.Busy(PvpServerless.Storage.Contention.RetryAfter),
            _ => throw new InvalidOperationException("Unknown webhook outcome."),
        };
    }

    private static IActionResult Refusal(WebhookVerdict verdict) =>
        Answers.Problem(
            verdict == WebhookVerdict.NotConfigured
                ? new ProblemDetails
                {
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                    Title = "The event webhook is not configured.",
                    Status = StatusCodes.Status403Forbidden,
                    Detail = "Email:WebhookPublicKey is not set, so no post can be verified; nothing was read.",
                }
                : new ProblemDetails
                {
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                    Title = "The post is not signed by SendGrid.",
                    Status = StatusCodes.Status401Unauthorized,
                    Detail = verdict switch
                    {
                        WebhookVerdict.Unsigned => "The signature or timestamp header is missing or malformed.",
                        WebhookVerdict.Stale => "The signature is valid but its timestamp is too old (a replay?).",
                        _ => "The signature does not match the body and timestamp under our key.",
                    },
                }
        );
}
