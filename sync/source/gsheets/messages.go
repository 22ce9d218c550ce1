package gsheets

import "fmt"

// catalog holds what a Google source tells people, in Danish and English
// ({da, en}; %-arguments in the same order).
var catalog = map[string][2]string{
	"spreadsheet": {"regneark %s", "spreadsheet %s"},
	"folder":      {"mappe %s", "folder %s"},
	"download":    {"hent %s", "download %s"},
	"colours":     {"regneark %s (farver)", "spreadsheet %s (colours)"},
	"changes":     {"Drev-ændringer", "drive changes"},

	"notFound":     {"%s: findes ikke, eller er ikke delt med %s: tjek ID'et eller linket, og del det med %s (Læser)", "%s: not found, or not shared with %s: check the ID or link, and share it with %s (Viewer)"},
	"notShared":    {"%s: ingen adgang: del det med %s (Læser)", "%s: no access: share it with %s (Viewer)"},
	"apiDisabled":  {"%s: %s er ikke slået til i Google Cloud-projektet %s: slå det til på %s, vent et par minutter, så læser næste kørsel det", "%s: the %s is not enabled in Google Cloud project %s: enable it at %s, wait a few minutes, and the next cycle reads it"},
	"scope":        {"%s: udruls adgangsbevis mangler rettigheden %s: ved domænedækkende delegering skal tjenestekontoens klient-ID have netop den rettighed i Google Admin-konsollen", "%s: udrul's token lacks the scope %s: with domain-wide delegation, grant that scope to the service account's client ID in the Google Admin console"},
	"noDownload":   {"%s: ejeren tillader ikke læsere at hente filen: bed ejeren tillade download og kopiering (Del → indstillinger) eller give %s adgang som Redaktør", "%s: the owner does not let viewers download it: ask the owner to allow viewers to download and copy it (Share → settings), or to give %s Editor access"},
	"domainPolicy": {"%s: jeres Google Workspace tillader ikke apps at bruge Drev: en administrator skal tillade det", "%s: your Google Workspace's policy does not let apps use Drive: an administrator must allow it"},
	"quota":        {"%s: Google Cloud-projektets kvote er brugt op: vent til den fyldes op, eller bed Google om mere", "%s: the Google Cloud project's quota is used up: wait until it refills, or ask Google for more quota"},
	"rateLimited":  {"%s: Googles hastighedsgrænse afviser stadig efter flere forsøg: sæt google.requests_per_minute ned; næste kørsel prøver igen", "%s: Google's rate limit still refused after retries: lower google.requests_per_minute; the next cycle tries again"},
	"unauthorized": {"%s: Google godtager ikke udruls adgangsbevis, heller ikke et nyt: tjek google.credentials og google.subject", "%s: Google did not accept udrul's token, also after a new one: check google.credentials and google.subject"},
	"server":       {"%s: Google svarede %d, også efter flere forsøg: næste kørsel prøver igen", "%s: Google answered %d, also after retries: the next cycle tries again"},
	"other":        {"%s: Google svarede %d: %s", "%s: Google answered %d: %s"},
	"tooLarge":     {"%s: svaret er større end %d MiB: del det op, eller hæv max_file_size_mib", "%s: the answer is larger than %d MiB: split it, or raise max_file_size_mib"},
	"timeout":      {"%s: Google svarede ikke inden for %s, heller ikke efter flere forsøg: næste kørsel prøver igen", "%s: Google did not answer within %s, also after retries: the next cycle tries again"},

	"folderTrashed":  {"mappe %s (%s) ligger i papirkurven: gendan den, eller fjern den fra kilden", "folder %s (%s) is in the trash: restore it, or remove it from the source"},
	"notAFolder":     {"mappe %s (%s) er ikke en mappe, men en fil af typen %s: skriv den under spreadsheets", "folder %s (%s) is not a folder but a file of type %s: list it under spreadsheets"},
	"shortcut":       {"regneark %s (%s) er en genvej: skriv den fil, den peger på, %s", "spreadsheet %s (%s) is a shortcut: list the file it points to, %s"},
	"wrongType":      {"regneark %s (%s) er en fil af typen %s, ikke Google Sheets, Excel eller CSV: fjern den fra kilden", "spreadsheet %s (%s) is a file of type %s, not a Google Sheets, Excel or CSV file: remove it from the source"},
	"noDownloadMeta": {"hent %s: ejeren tillader ikke læsere at hente filen (capabilities.canDownload er false): bed ejeren tillade download og kopiering, eller give %s adgang som Redaktør", "download %s: the owner does not let viewers download it (capabilities.canDownload is false): ask the owner to allow viewers to download and copy it, or to give %s Editor access"},

	"published": {"%q er linket til en publiceret kopi (…/spreadsheets/d/e/…), som ikke angiver regnearket: åbn regnearket og kopiér linket fra adresselinjen (…/spreadsheets/d/<ID>/edit)", "%q is the link of a published copy (…/spreadsheets/d/e/…), which does not name the spreadsheet: open the spreadsheet and copy the link from the address bar (…/spreadsheets/d/<ID>/edit)"},
	"notALink":  {"%q er hverken et link til Google Sheets eller Drev eller et ID", "%q is neither a Google Sheets or Drive link nor an ID"},
	"badLinks":  {"kilde %s: %s", "source %s: %s"},

	"delegation":    {"Google afviser udruls nøgle: domænedækkende delegering til %s er ikke sat op: i Google Admin-konsollen, Sikkerhed → Adgang og datakontrol → API-styring → Administrer domænedækkende delegering, tilføj tjenestekontoens klient-ID med rettigheden %s", "google refused udrul's credentials: domain-wide delegation to %s is not set up: in the Google Admin console, Security → Access and data control → API controls → Manage domain-wide delegation, add the service account's client ID with the scope %s"},
	"noSuchSubject": {"Google afviser udruls nøgle: google.subject %s er ikke en bruger i jeres Google Workspace: ret google.subject", "google refused udrul's credentials: google.subject %s is not a user of your Google Workspace: fix google.subject"},
	"invalidGrant":  {"Google afviser udruls nøgle (%s): nøglen kan være slettet eller deaktiveret, eller maskinens ur går forkert: lav en ny nøgle til %s og angiv den i google.credentials", "google refused udrul's credentials (%s): the key may be deleted or disabled, or the clock of this machine is wrong: create a new key for %s and configure it in google.credentials"},
	"credRead":      {"google.credentials: nøglefilen %s kan ikke læses: tjek stien, og at brugeren, udrul kører som, må læse den", "google credentials: the key file %s cannot be read: check the path, and that the user udrul runs as may read it"},
	"credNotKey":    {"google.credentials: %s er ikke en nøgle til en tjenestekonto (service account): hent en JSON-nøgle til tjenestekontoen i Google Cloud-konsollen", "google credentials %s: not a service-account key: download a JSON key for the service account in the Google Cloud console"},
	"credNone":      {"google.credentials: der er ingen nøglefil i konfigurationen og ingen Application Default Credentials på maskinen: angiv google.credentials", "google credentials: no key file configured and no Application Default Credentials: set google.credentials"},
	"credentials":   {"Google afviser udruls nøgle: %s %s", "google refused udrul's credentials: %s %s"},
}

// msg formats a catalog message in the client's language.
func (c *Client) msg(key string, args ...any) string {
	i := 0
	if c != nil && c.lang == "en" {
		i = 1
	}
	return fmt.Sprintf(catalog[key][i], args...)
}

// sourceError is a message for people that still says which kind of
// failure it is (errors.Is with ErrNotFound, ErrNotShared, ...).
type sourceError struct {
	kind error
	msg  string
}

func (e *sourceError) Error() string { return e.msg }
func (e *sourceError) Unwrap() error { return e.kind }

// fail is a sourceError of kind with a catalog message.
func (c *Client) fail(kind error, key string, args ...any) error {
	return &sourceError{kind: kind, msg: c.msg(key, args...)}
}
