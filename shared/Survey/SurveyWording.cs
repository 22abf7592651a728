using PvpServerless.Domain;
using PvpServerless.Email;

namespace PvpServerless.Survey;

/// <summary>
/// The words of the survey pages in Danish and English: short sentences for readers who may be old, tired or ill.
/// Nothing about the patient: no name, no study id, no address, no illness.
/// </summary>
internal sealed record SurveyWording(Language Language, ClinicDetails Clinic)
{
    private bool Da => Language == Language.Da;

    public string Code => Da ? "da" : "en";

    public string OtherCode => Da ? "en" : "da";

    public string OtherName => Da ? "English" : "Dansk";

    public string ClinicName =>
        Clinic.Name.Length > 0 ? Clinic.Name
        : Da ? "Klinikken"
        : "The clinic";

    public string Title(Wave wave) =>
        wave switch
        {
            Wave.Baseline => Da ? "Spørgeskema om dit helbred" : "Questionnaire about your health",
            Wave.ThreeMonths => Da
                ? "Spørgeskema 3 måneder efter din behandling"
                : "Questionnaire 3 months after your treatment",
            _ => Da ? "Spørgeskema 1 år efter din behandling" : "Questionnaire 1 year after your treatment",
        };

    public string Why =>
        Da
            ? $"{ClinicName} vil gerne vide, hvordan du har det. Dine svar hjælper os med at følge op på din "
                + "behandling og med at blive bedre til at hjælpe andre."
            : $"{ClinicName} would like to know how you are. Your answers help us follow up on your treatment and "
                + "get better at helping others.";

    public string HowLong(int questions, int parts) =>
        Da
            ? $"Det tager cirka 5 minutter. Der er {questions} spørgsmål i {parts} dele. Vælg det svar, der passer "
                + "bedst på dig i dag. Der er ingen rigtige eller forkerte svar."
            : $"It takes about 5 minutes. There are {questions} questions in {parts} parts. Choose the answer that "
                + "fits you best today. There are no right or wrong answers.";

    public string Part(int number, int parts) => Da ? $"Del {number} af {parts}" : $"Part {number} of {parts}";

    public string Optional => Da ? "(kan springes over)" : "(optional)";

    public string Answered(int answered, int questions) =>
        Da
            ? $"Du har svaret på {answered} af {questions} spørgsmål."
            : $"You have answered {answered} of {questions} questions.";

    public string ErrorSummary => Da ? "Der mangler noget" : "There is a problem";

    public string ErrorPrefix => Da ? "Fejl:" : "Error:";

    public string Submit => Da ? "Send mine svar" : "Send my answers";

    public string BeforeSubmit =>
        Da
            ? "Når du trykker på knappen, sender du dine svar til os. Du kan kun sende dem én gang."
            : "When you press the button, your answers are sent to us. You can only send them once.";

    public string VasHint(string minLabel, string maxLabel) =>
        Da ? $"0 betyder: {minLabel}. 100 betyder: {maxLabel}." : $"0 means: {minLabel}. 100 means: {maxLabel}.";

    /// <summary>Whom to call or write to, or null when the clinic has set neither.</summary>
    public string? Contact
    {
        get
        {
            var ways = new List<string>();
            if (Clinic.Phone.Length > 0)
                ways.Add((Da ? "ring på " : "call ") + Clinic.Phone);
            if (Clinic.ContactEmail.Length > 0)
                ways.Add((Da ? "skriv til " : "write to ") + Clinic.ContactEmail);
            if (ways.Count == 0)
                return null;
            var how = string.Join(Da ? " eller " : " or ", ways);
            return Da ? $"Har du spørgsmål, så {how}." : $"If you have questions, please {how}.";
        }
    }

    public string Regards => (Da ? "Med venlig hilsen\n" : "Kind regards\n") + ClinicName;

    /// <summary>The heading and sentences of a page that is not the form.</summary>
    public (string Heading, string[] Text) Page(SurveyOutcome outcome) =>
        outcome switch
        {
            SurveyOutcome.Received => Da
                ? ("Tak for dine svar", ["Vi har modtaget dine svar. Du kan lukke siden nu."])
                : ("Thank you for your answers", ["We have received your answers. You can close this page now."]),
            SurveyOutcome.AlreadyReceived => Da
                ? ("Vi har allerede fået dine svar", ["Tak. Du behøver ikke gøre mere."])
                : ("We have already received your answers", ["Thank you. There is nothing more you need to do."]),
            SurveyOutcome.Closed => Da
                ? ("Spørgeskemaet er lukket", ["Tiden til at svare på spørgeskemaet er gået. Det er helt i orden."])
                : (
                    "This questionnaire has closed",
                    ["The time to answer this questionnaire has passed. That is quite all right."]
                ),
            SurveyOutcome.Gone => Da
                ? ("Dette link er ikke længere i brug", ["Du behøver ikke gøre noget."])
                : ("This link is no longer in use", ["There is nothing you need to do."]),
            SurveyOutcome.NotFound => Da
                ? (
                    "Vi kan ikke finde dette link",
                    ["Måske er linket ikke kopieret helt. Prøv at trykke på linket i e-mailen igen."]
                )
                : (
                    "We cannot find this link",
                    ["Perhaps the link was not copied in full. Please try the link in the e-mail again."]
                ),
            SurveyOutcome.Busy { Saving: false } => Da
                ? ("Prøv igen om lidt", ["Vi kan ikke åbne spørgeskemaet lige nu. Prøv igen om et øjeblik."])
                : (
                    "Please try again in a moment",
                    ["We cannot open the questionnaire just now. Please try again in a moment."]
                ),
            SurveyOutcome.Busy => Da
                ? ("Prøv igen om lidt", ["Vi kunne ikke gemme dine svar lige nu. Prøv igen om et øjeblik."])
                : (
                    "Please try again in a moment",
                    ["We could not save your answers just now. Please try again in a moment."]
                ),
            _ => Da
                ? ("Det lykkedes ikke", ["Åbn linket i e-mailen igen, og svar på spørgeskemaet på siden."])
                : ("That did not work", ["Please open the link in the e-mail again and answer on the page."]),
        };
}
