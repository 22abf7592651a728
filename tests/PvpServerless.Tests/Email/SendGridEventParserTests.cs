using System.Text;
using PvpServerless.Email;

namespace PvpServerless.Tests.Email;

public sealed class SendGridEventParserTests
{
    // Shaped as SendGrid's Event Webhook reference shows its events; our custom arg pvp_email_id sits at the top level.
    private const string Batch = """
        [
          {"email":"a@example.dk","timestamp":1751284800,"smtp-id":"<x@sg>","event":"processed",
           "sg_event_id":"p1","sg_message_id":"m1.filter","pvp_email_id":"email-0001"},
          {"email":"a@example.dk","timestamp":1751284801,"event":"delivered","response":"250 OK",
           "sg_event_id":"d1","sg_message_id":"m1.filter","pvp_email_id":"email-0001"},
          {"email":"b@example.dk","timestamp":1751284802,"event":"deferred","attempt":"3",
           "response":"400 try again later","sg_event_id":"f1","sg_message_id":"m2.filter","pvp_email_id":"email-0002"},
          {"email":"c@example.dk","timestamp":1751284803,"event":"bounce","type":"bounce","status":"5.1.1",
           "reason":"550 5.1.1 <c@example.dk>: Recipient address rejected: User unknown",
           "sg_event_id":"b1","sg_message_id":"m3.filter","pvp_email_id":"email-0003"},
          {"email":"d@example.dk","timestamp":1751284804,"event":"bounce","type":"blocked","reason":"policy",
           "sg_event_id":"b2","sg_message_id":"m4.filter","pvp_email_id":"email-0004"},
          {"email":"e@example.dk","timestamp":1751284805,"event":"dropped","reason":"Bounced Address",
           "sg_event_id":"r1","sg_message_id":"m5.filter","pvp_email_id":"email-0005"},
          {"email":"f@example.dk","timestamp":1751284806,"event":"spamreport",
           "sg_event_id":"s1","sg_message_id":"m6.filter","pvp_email_id":"email-0006"},
          {"email":"g@example.dk","timestamp":1751284807,"event":"open","sg_event_id":"o1","pvp_email_id":"email-0007"},
          {"email":"h@example.dk","timestamp":1751284808,"event":"delivered","sg_event_id":"x1"},
          {"email":"i@example.dk","timestamp":1751284809,"event":"delivered","sg_event_id":"x2","pvp_email_id":"a@b.c"},
          {"email":"j@example.dk","event":"delivered","sg_event_id":"x3","pvp_email_id":"email-0010"},
          "not an object"
        ]
        """;

    private static DateTimeOffset At(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    [Fact]
    public void The_five_event_types_for_our_emails_are_read_and_the_rest_ignored()
    {
        Assert.True(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(Batch), out var batch, out var error));
        Assert.Null(error);

        Assert.Equal(
            [
                new EmailEvent("email-0001", EmailEventType.Delivered, "250 OK", "m1.filter", "d1", At(1751284801)),
                new EmailEvent(
                    "email-0002",
                    EmailEventType.Deferred,
                    "400 try again later",
                    "m2.filter",
                    "f1",
                    At(1751284802)
                ),
                new EmailEvent(
                    "email-0003",
                    EmailEventType.Bounce,
                    "550 5.1.1 <[address]>: Recipient address rejected: User unknown",
                    "m3.filter",
                    "b1",
                    At(1751284803)
                ),
                new EmailEvent(
                    "email-0004",
                    EmailEventType.Bounce,
                    "blocked: policy",
                    "m4.filter",
                    "b2",
                    At(1751284804)
                ),
                new EmailEvent(
                    "email-0005",
                    EmailEventType.Dropped,
                    "Bounced Address",
                    "m5.filter",
                    "r1",
                    At(1751284805)
                ),
                new EmailEvent("email-0006", EmailEventType.SpamReport, null, "m6.filter", "s1", At(1751284806)),
            ],
            batch.Events
        );
        // processed, open, no id, an address as id, no timestamp, not an object.
        Assert.Equal(6, batch.Ignored);
    }

    [Fact]
    public void No_address_from_the_post_reaches_the_events()
    {
        Assert.True(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(Batch), out var batch, out _));

        Assert.DoesNotContain("@", string.Join("|", batch.Events), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "body: expected a JSON array of events.")]
    [InlineData("[{", "body: not valid JSON.")]
    [InlineData("", "body: not valid JSON.")]
    public void A_body_that_is_not_an_event_array_is_refused(string body, string message)
    {
        Assert.False(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void The_size_of_a_post_is_bounded()
    {
        var tooBig = new byte[SendGridEventParser.MaxBodyBytes + 1];
        Assert.False(SendGridEventParser.TryParse(tooBig, out _, out var error));
        Assert.StartsWith("body: larger than", error);

        var tooMany = "[" + string.Join(",", Enumerable.Repeat("{}", SendGridEventParser.MaxEvents + 1)) + "]";
        Assert.False(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(tooMany), out _, out error));
        Assert.StartsWith("body: more than", error);

        var deep = new string('[', 100) + new string(']', 100);
        Assert.False(SendGridEventParser.TryParse(Encoding.UTF8.GetBytes(deep), out _, out error));
    }

    [Fact]
    public void An_empty_array_is_an_empty_batch() =>
        Assert.True(SendGridEventParser.TryParse("[]"u8, out var batch, out _) && batch.Events.Count == 0);
}
