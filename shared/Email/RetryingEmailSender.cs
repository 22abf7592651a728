using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PvpServerless.Email;

/// <summary>
/// The final result of <see cref="RetryingEmailSender.SendAsync"/>, with the attempts and the time waited.
/// </summary>
public sealed record SendOutcome(SendResult Result, int Attempts, TimeSpan Waited);

/// <summary>
/// Sends through the configured <see cref="IEmailTransport"/>, retrying a RetryLater after the wait it asks for, at
/// most <c>Email:MaxAttempts</c> times and <c>Email:MaxTotalWait</c> in all. A wait beyond that is not taken: the
/// RetryLater comes back, for the caller to schedule (e.g. a queue message's visibility delay).
/// </summary>
public sealed class RetryingEmailSender(
    IEmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<RetryingEmailSender> logger
)
{
    public async Task<SendOutcome> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var result = await transport.SendAsync(email, cancellationToken);
            if (
                result is not SendResult.RetryLater later
                || attempt >= o.MaxAttempts
                || waited + later.RetryAfter > o.MaxTotalWait
            )
            {
                return new SendOutcome(result, attempt, waited);
            }
            // The e-mail id only: never the address.
            logger.LogInformation(
                "E-mail {EmailId}: attempt {Attempt} to retry in {Delay} ({Reason})",
                email.EmailId,
                attempt,
                later.RetryAfter,
                later.Reason
            );
            await Task.Delay(later.RetryAfter, time, cancellationToken);
            waited += later.RetryAfter;
        }
    }
}
