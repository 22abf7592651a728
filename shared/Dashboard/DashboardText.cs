using PvpServerless.Domain;

namespace PvpServerless.Dashboard;

/// <summary>Every word of the dashboard, in Danish and in English.</summary>
public sealed record DashboardText
{
    public required Language Language { get; init; }
    public required string Code { get; init; }
    public required string OtherLanguageName { get; init; }
    public required string Title { get; init; }
    public required string AsOf { get; init; }
    public required string SignedInAs { get; init; }
    public required string Overview { get; init; }
    public required string ResponseRate { get; init; }
    public required string OfEligible { get; init; }
    public required string NoneEligible { get; init; }
    public required string Poison { get; init; }
    public required string PoisonHint { get; init; }
    public required string Chart { get; init; }
    public required string ChartTable { get; init; }
    public required string Month { get; init; }
    public required string Report { get; init; }
    public required string NoReport { get; init; }
    public required string StudyId { get; init; }
    public required string WaveColumn { get; init; }
    public required string Due { get; init; }
    public required string Window { get; init; }
    public required string Status { get; init; }
    public required string LastEmail { get; init; }
    public required string DaysOverdue { get; init; }
    public required string Actions { get; init; }
    public required string NothingListed { get; init; }
    public required string NextPage { get; init; }
    public required string Resend { get; init; }
    public required string NewClosingDay { get; init; }
    public required string ExtendWindow { get; init; }
    public required string RecordDeath { get; init; }
    public required string RecordWithdrawal { get; init; }
    public required string DeathDate { get; init; }
    public required string WithdrawalDate { get; init; }

    /// <summary>The EQ-5D dimensions' names: mobility, self-care, usual activities, pain, anxiety.</summary>
    public required IReadOnlyList<string> Eq5dNames { get; init; }
    public required string OptOut { get; init; }
    public required string OptIn { get; init; }
    public required string CorrectResponse { get; init; }
    public required string CompletedAt { get; init; }
    public required string SaveCorrection { get; init; }
    public required string Done { get; init; }
    public required string Unchanged { get; init; }
    public required string Refused { get; init; }
    public required string StorageAway { get; init; }
    public required string Back { get; init; }
    public required string Procedure { get; init; }
    public required string Enrolled { get; init; }
    public required string Died { get; init; }
    public required string Withdrew { get; init; }
    public required string OptedOutAt { get; init; }
    public required string Contact { get; init; }
    public required string Waves { get; init; }
    public required string History { get; init; }
    public required string When { get; init; }
    public required string Who { get; init; }
    public required string What { get; init; }
    public required string Scores { get; init; }
    public required string SignInTitle { get; init; }
    public required string Initials { get; init; }
    public required string InitialsHint { get; init; }
    public required string InitialsError { get; init; }
    public required string SignInButton { get; init; }
    public required string TicketInvalid { get; init; }
    public required string NotSignedIn { get; init; }
    public required string NotSignedInPlatform { get; init; }
    public required string NotSignedInLocal { get; init; }
    public required string PlatformSignIn { get; init; }

    /// <summary>The words of the codes: the history's actions and actors, e-mails, statuses, waves.</summary>
    public required DashboardWords Words { get; init; }

    /// <summary>The ODI's pain item in a response's scores.</summary>
    public required string PainScore { get; init; }

    public string StatusName(string code) => Words.Statuses.GetValueOrDefault(code, code);

    public string WaveName(string code) => Words.WaveNames.GetValueOrDefault(code, code);

    public static DashboardText Of(Language language) => language == Language.En ? English : Danish;

    public static readonly DashboardText English = new()
    {
        Language = Language.En,
        Code = "en",
        OtherLanguageName = "Dansk",
        Title = "Follow-up",
        AsOf = "as of",
        SignedInAs = "Signed in as",
        Overview = "Overview",
        ResponseRate = "Response rate",
        OfEligible = "of eligible answered",
        NoneEligible = "none eligible yet",
        Poison = "Invitations given up",
        PoisonHint = "messages in the poison queue",
        Chart = "Response rate per calendar month",
        ChartTable = "The chart as a table",
        Month = "Month",
        Report = "Latest report",
        NoReport = "No report has been published yet.",
        StudyId = "Study id",
        WaveColumn = "Wave",
        Due = "Due",
        Window = "Window",
        Status = "Status",
        LastEmail = "Last e-mail",
        DaysOverdue = "Days overdue",
        Actions = "Actions",
        NothingListed = "Nobody is on this list.",
        NextPage = "Next page",
        Resend = "Resend",
        NewClosingDay = "New closing day",
        ExtendWindow = "Move window",
        RecordDeath = "Record death",
        RecordWithdrawal = "Record withdrawal",
        DeathDate = "Date of death",
        WithdrawalDate = "Date of withdrawal",
        Eq5dNames = ["Mobility", "Self-care", "Usual activities", "Pain/discomfort", "Anxiety/depression"],
        OptOut = "Opt out of e-mail",
        OptIn = "Opt back in",
        CorrectResponse = "Correct the response",
        CompletedAt = "Completed at",
        SaveCorrection = "Save the correction",
        Done = "Done",
        Unchanged = "Nothing to change: it was so already",
        Refused = "Not done",
        StorageAway = "The study's data store did not answer. Nothing was changed; try again in a minute.",
        Back = "Back to the overview",
        Procedure = "Procedure",
        Enrolled = "Enrolled",
        Died = "Died",
        Withdrew = "Withdrew",
        OptedOutAt = "Opted out",
        Contact = "Contact",
        Waves = "Waves",
        History = "History",
        When = "When",
        Who = "Who",
        What = "What",
        Scores = "Scores",
        SignInTitle = "Sign in to the follow-up dashboard",
        Initials = "Your initials",
        InitialsHint = "2 to 8 letters, e.g. AB. They name you in the audit log.",
        InitialsError = "Initials only: 2 to 8 letters, e.g. AB (never an e-mail address).",
        SignInButton = "Sign in",
        TicketInvalid = "This sign-in link is used up or has expired. Ask ./pvp up for a new one (press Enter there).",
        NotSignedIn = "Not signed in",
        NotSignedInPlatform = "Sign in with your clinic account to see the follow-up.",
        NotSignedInLocal = "Open the sign-in link that ./pvp up printed (press Enter there for a new one).",
        PlatformSignIn = "Sign in",
        Words = DashboardWords.English,
        PainScore = "pain",
    };

    public static readonly DashboardText Danish = new()
    {
        Language = Language.Da,
        Code = "da",
        OtherLanguageName = "English",
        Title = "Opfølgning",
        AsOf = "pr.",
        SignedInAs = "Logget ind som",
        Overview = "Oversigt",
        ResponseRate = "Svarprocent",
        OfEligible = "af de egnede har svaret",
        NoneEligible = "ingen egnede endnu",
        Poison = "Opgivne invitationer",
        PoisonHint = "beskeder i poison-køen",
        Chart = "Svarprocent pr. kalendermåned",
        ChartTable = "Diagrammet som tabel",
        Month = "Måned",
        Report = "Seneste rapport",
        NoReport = "Der er endnu ikke udgivet en rapport.",
        StudyId = "Studie-id",
        WaveColumn = "Runde",
        Due = "Forfald",
        Window = "Vindue",
        Status = "Status",
        LastEmail = "Seneste e-mail",
        DaysOverdue = "Dage uden svar",
        Actions = "Handlinger",
        NothingListed = "Ingen på denne liste.",
        NextPage = "Næste side",
        Resend = "Send igen",
        NewClosingDay = "Ny slutdato",
        ExtendWindow = "Flyt vindue",
        RecordDeath = "Registrér dødsfald",
        RecordWithdrawal = "Registrér udtræden",
        DeathDate = "Dødsdato",
        WithdrawalDate = "Udtrædelsesdato",
        Eq5dNames = ["Bevægelighed", "Personlig pleje", "Sædvanlige aktiviteter", "Smerter/ubehag", "Angst/depression"],
        OptOut = "Afmeld e-mail",
        OptIn = "Tilmeld igen",
        CorrectResponse = "Ret besvarelsen",
        CompletedAt = "Udfyldt",
        SaveCorrection = "Gem rettelsen",
        Done = "Udført",
        Unchanged = "Intet at ændre: det var allerede sådan",
        Refused = "Ikke udført",
        StorageAway = "Studiets datalager svarede ikke. Intet blev ændret: prøv igen om et minut.",
        Back = "Tilbage til oversigten",
        Procedure = "Indgreb",
        Enrolled = "Inkluderet",
        Died = "Død",
        Withdrew = "Udtrådt",
        OptedOutAt = "Afmeldt",
        Contact = "Kontakt",
        Waves = "Runder",
        History = "Historik",
        When = "Hvornår",
        Who = "Hvem",
        What = "Hvad",
        Scores = "Scorer",
        SignInTitle = "Log ind på opfølgningen",
        Initials = "Dine initialer",
        InitialsHint = "2 til 8 bogstaver, f.eks. AB. De navngiver dig i revisionsloggen.",
        InitialsError = "Kun initialer: 2 til 8 bogstaver, f.eks. AB (aldrig en e-mailadresse).",
        SignInButton = "Log ind",
        TicketInvalid = "Dette login-link er brugt eller udløbet. Bed ./pvp up om et nyt (tryk Enter der).",
        NotSignedIn = "Ikke logget ind",
        NotSignedInPlatform = "Log ind med din kliniks konto for at se opfølgningen.",
        NotSignedInLocal = "Åbn login-linket, som ./pvp up skrev (tryk Enter der for et nyt).",
        PlatformSignIn = "Log ind",
        Words = DashboardWords.Danish,
        PainScore = "smerte",
    };
}
