using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PvpServerless.Email;
using PvpServerless.Functions.Http;
using PvpServerless.Web;

namespace PvpServerless.Functions.Email;

/// <summary>
/// The e-mails the Outbox transport kept instead of sending (local runs, the demo, tests); master key only. With any
/// other transport there is no outbox: 404 (docs/openapi.yaml, <c>GET /api/outbox</c>).
/// </summary>
public sealed class OutboxFunctions(OutboxReader outbox, IOptions<EmailOptions> email)
{
    public const int DefaultTake = 20;

    [Function("ListOutbox")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "outbox")] HttpRequest request,
        CancellationToken cancellationToken
    )
    {
        if (email.Value.UsesSendGrid)
            return NoOutbox();
        var text = request.Query["take"].ToString();
        var take = DefaultTake;
        if (text.Length > 0 && (!WholeNumber.TryParse(text, out take) || take is < 1 or > OutboxReader.MaxTake))
        {
            return Answers.Validation(
                new Dictionary<string, string[]>
                {
                    ["take"] = [$"How many of the newest e-mails to list: 1 to {OutboxReader.MaxTake} (default 20)."],
                }
            );
        }
        var messages = await outbox.ListAsync(take, cancellationToken);
        return Answers.Ok(new { items = messages.Select(Summary) });
    }

    [Function("GetOutboxEmail")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "outbox/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken
    )
    {
        if (email.Value.UsesSendGrid)
            return NoOutbox();
        return await outbox.GetAsync(id, cancellationToken) is { } message
            ? HtmlAnswers.Email(message.Html)
            : Answers.NotFound("No e-mail with this id in the outbox.");
    }

    private static object Summary(OutboxMessage m) =>
        new
        {
            id = m.Id,
            emailId = m.EmailId,
            to = m.To,
            subject = m.Subject,
            kind = EmailKind.TryParse(m.Kind, out var k) && k.IsReminder ? "reminder" : "invitation",
            reminder = EmailKind.TryParse(m.Kind, out var r) ? r.Reminder : 0,
            wave = PvpServerless.Domain.Waves.Code(m.Wave),
            language = m.Language == PvpServerless.Domain.Language.En ? "en" : "da",
            links = m.Links,
            queuedAt = m.QueuedAt,
        };

    private static IActionResult NoOutbox() =>
        Answers.NotFound("There is no outbox: Email:Transport is SendGrid, so e-mails are sent, not kept.");
}
