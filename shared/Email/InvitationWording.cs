using PvpServerless.Domain;

namespace PvpServerless.Email;

/// <summary>
/// The words of the invitation and its reminders in Danish and English. Plain, short sentences for readers who may be
/// old, tired or ill; nothing about their illness or procedure (docs/email.md explains each choice).
/// </summary>
internal sealed record InvitationWording(
    string Subject,
    string Greeting,
    IReadOnlyList<string> Opening,
    string Button,
    string LinkFallback,
    string Closes,
    string Voluntary,
    string? Help,
    string SomeoneElse,
    string OptOut,
    string Regards,
    string Clinic
)
{
    public static InvitationWording For(InvitationContent content, ClinicDetails clinic) =>
        content.Language switch
        {
            Language.Da => Danish(content, clinic),
            Language.En => English(content, clinic),
            _ => throw new ArgumentOutOfRangeException(nameof(content), content.Language, "No wording for language."),
        };

    private static InvitationWording Danish(InvitationContent c, ClinicDetails clinic)
    {
        var name = clinic.Name.Length > 0 ? clinic.Name : "klinikken";
        var since = c.Wave switch
        {
            Wave.Baseline =>
                $"Vi vil gerne høre, hvordan du har det lige nu, omkring tidspunktet for din behandling på {name}.",
            Wave.ThreeMonths => $"Det er nu omkring tre måneder siden din behandling på {name}. "
                + "Vi vil gerne høre, hvordan du har det nu.",
            _ => $"Det er nu omkring et år siden din behandling på {name}. Vi vil gerne høre, hvordan du har det nu.",
        };
        var opening = new List<string>();
        if (c.Kind.IsReminder)
        {
            opening.Add(
                "Vi skrev til dig for nylig og har ikke fået dine svar endnu. Det er helt i orden – her er linket igen."
            );
        }
        opening.Add(since);
        opening.Add(
            "Det tager cirka 10 minutter. Der er ingen rigtige eller forkerte svar. "
                + "Dine svar hjælper os med at blive bedre til at hjælpe andre."
        );
        if (c.Kind.IsReminder)
            opening.Add("Har du allerede svaret, så tak. Du kan se bort fra denne e-mail.");

        return new InvitationWording(
            Subject: (c.Kind.IsReminder ? "Påmindelse: " : "") + $"Hvordan har du det? Et spørgeskema fra {name}",
            Greeting: "Goddag",
            Opening: opening,
            Button: "Åbn spørgeskemaet",
            LinkFallback: "Virker knappen ikke, kan du kopiere denne adresse ind i din browser:",
            Closes: $"Du kan svare til og med {ClinicDates.Danish(c.ClosesOn)}.",
            Voluntary: "Det er frivilligt at svare. Din behandling og din kontakt med os er den samme, "
                + "uanset om du svarer eller ej.",
            Help: HelpLine(
                clinic,
                "Har du spørgsmål, eller vil du hellere svare på papir, er du velkommen til at ",
                "ringe til os på {0}",
                "skrive til {0}",
                " eller "
            ),
            SomeoneElse: "Har du fået denne e-mail på vegne af en anden, eller er den kommet til dig ved en fejl, "
                + "må du meget gerne give os besked.",
            OptOut: "Vil du ikke have flere e-mails om spørgeskemaet, kan du framelde dig her:",
            Regards: "Venlig hilsen",
            Clinic: name
        );
    }

    private static InvitationWording English(InvitationContent c, ClinicDetails clinic)
    {
        var name = clinic.Name.Length > 0 ? clinic.Name : "the clinic";
        var since = c.Wave switch
        {
            Wave.Baseline =>
                $"We would like to know how you are feeling now, around the time of your treatment at {name}.",
            Wave.ThreeMonths => $"It is now about three months since your treatment at {name}. "
                + "We would like to know how you are feeling now.",
            _ => $"It is now about a year since your treatment at {name}. "
                + "We would like to know how you are feeling now.",
        };
        var opening = new List<string>();
        if (c.Kind.IsReminder)
        {
            opening.Add(
                "We wrote to you recently and have not had your answers yet. That is quite all right – "
                    + "here is the link again."
            );
        }
        opening.Add(since);
        opening.Add(
            "It takes about 10 minutes. There are no right or wrong answers. "
                + "Your answers help us get better at helping others."
        );
        if (c.Kind.IsReminder)
            opening.Add("If you have already answered, thank you. Please disregard this e-mail.");

        return new InvitationWording(
            Subject: (c.Kind.IsReminder ? "Reminder: " : "") + $"How are you? A questionnaire from {name}",
            Greeting: "Hello",
            Opening: opening,
            Button: "Open the questionnaire",
            LinkFallback: "If the button does not work, copy this address into your web browser:",
            Closes: $"You can answer up to and including {ClinicDates.English(c.ClosesOn)}.",
            Voluntary: "Answering is voluntary. Your care and your contact with us stay the same "
                + "whether you answer or not.",
            Help: HelpLine(
                clinic,
                "If you have questions, or would rather answer on paper, you are welcome to ",
                "call us on {0}",
                "write to {0}",
                " or "
            ),
            SomeoneElse: "If you received this e-mail on behalf of someone else, or by mistake, please let us know.",
            OptOut: "If you would rather not receive more e-mails about the questionnaire, "
                + "you can say no thank you here:",
            Regards: "Kind regards",
            Clinic: name
        );
    }

    private static string? HelpLine(ClinicDetails clinic, string lead, string call, string write, string or)
    {
        var ways = new List<string>();
        if (clinic.Phone.Length > 0)
            ways.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, call, clinic.Phone));
        if (clinic.ContactEmail.Length > 0)
            ways.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, write, clinic.ContactEmail));
        return ways.Count == 0 ? null : lead + string.Join(or, ways) + ".";
    }
}

/// <summary>
/// Dates written out in full, with our own month and day names (the app runs with invariant culture).
/// </summary>
internal static class ClinicDates
{
    private static readonly string[] DanishDays =
    [
        "søndag",
        "mandag",
        "tirsdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lørdag",
    ];

    private static readonly string[] DanishMonths =
    [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];

    private static readonly string[] EnglishDays =
    [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];

    private static readonly string[] EnglishMonths =
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// <summary>"fredag den 3. oktober 2025".</summary>
    public static string Danish(DateOnly d) =>
        $"{DanishDays[(int)d.DayOfWeek]} den {d.Day}. {DanishMonths[d.Month - 1]} {d.Year}";

    /// <summary>"Friday 3 October 2025".</summary>
    public static string English(DateOnly d) =>
        $"{EnglishDays[(int)d.DayOfWeek]} {d.Day} {EnglishMonths[d.Month - 1]} {d.Year}";
}
