package m365

import (
	"errors"
	"fmt"
)

// catalog holds what an m365 source tells people, in Danish and English
// ({da, en}; %-arguments in the same order, or numbered). Permission
// names, keys, URLs and command lines stay as they are in both.
var catalog = map[string][2]string{
	// What failed.
	"site":       {"webstedet %s", "site %s"},
	"libraries":  {"bibliotekerne på webstedet %s", "the libraries of site %s"},
	"folderIn":   {"mappen %s på %s", "folder %s in %s"},
	"folder":     {"mappen %s", "folder %s"},
	"theLibrary": {"biblioteket", "the library"},
	"link":       {"delingslinket %s", "sharing link %s"},
	"delta":      {"ændringerne i biblioteket %s", "library %s (delta)"},
	"download":   {"hent %s", "download %s"},
	"links":      {"%d delingslinks", "%d sharing links"},

	// Graph's answers.
	"notGranted": {"%s: udruls app har ikke adgang: %s", "%s: not granted to udrul's app: %s"},
	"grant": {`appen (klient-ID %[1]s) har Sites.Selected, men har ikke fået adgang til dette websted: en SharePoint- eller global administrator kører POST https://graph.microsoft.com/v1.0/sites/%[2]s/permissions med {"roles":["read"],"grantedToIdentities":[{"application":{"id":"%[1]s","displayName":"udrul"}}]}%[3]s, eller i PnP PowerShell: Grant-PnPAzureADAppSitePermission -AppId %[1]s -DisplayName udrul -Site %[4]s -Permissions Read`,
		`the app (client ID %[1]s) has Sites.Selected but this site was not granted to it: a SharePoint or global admin runs POST https://graph.microsoft.com/v1.0/sites/%[2]s/permissions with {"roles":["read"],"grantedToIdentities":[{"application":{"id":"%[1]s","displayName":"udrul"}}]}%[3]s, or in PnP PowerShell: Grant-PnPAzureADAppSitePermission -AppId %[1]s -DisplayName udrul -Site %[4]s -Permissions Read`},
	"findSiteID": {" ({site-id} er det id, som GET https://graph.microsoft.com/v1.0/sites/%s:/%s svarer med)", " ({site-id} is the id that GET https://graph.microsoft.com/v1.0/sites/%s:/%s answers)"},
	"noConsent": {"%s: udruls app har ikke adgang: Microsoft Graph afviste appens adgangsbevis i tenant %q (Graph svarede: %s): en administrator i den tenant giver administratorsamtykke (admin consent) til appens programtilladelse Sites.Selected (eller Files.Read.All) under Entra ID → Enterprise applications (Virksomhedsprogrammer) → udrul → Permissions (Tilladelser); tjek også, at tenant_id er kommunens tenant",
		"%s: not granted to udrul's app: Graph refused the app's token in tenant %q (Graph said: %s): an admin of that tenant grants admin consent to the app's application permission Sites.Selected (or Files.Read.All) under Entra ID → Enterprise applications → udrul → Permissions; check tenant_id names the municipality's tenant"},
	"notFound": {"%s: findes ikke, eller er ikke delt med appen: tjek webstedets adresse, bibliotekets navn, mappens sti eller linket",
		"%s: not found, or not shared with the app: check the site URL, library name, folder path or link"},
	"throttled": {"%s: Microsoft Graph begrænser stadig udruls kald (%d, Retry-After %q) efter alle forsøg: intet er ændret, og næste kørsel prøver igen; sæt m365.requests_per_minute ned, hvis det varer ved",
		"%s: throttled by Microsoft Graph (%d, Retry-After %q) after every retry: nothing was applied, the next cycle tries again; lower m365.requests_per_minute if it lasts"},
	"status":     {"%s: Microsoft Graph svarede %d (%s): næste kørsel prøver igen", "%s: Microsoft Graph answered %d (%s): the next cycle tries again"},
	"noAnswer":   {"%s: Microsoft Graph svarede ikke, heller ikke efter flere forsøg (netværk eller timeout): næste kørsel prøver igen", "%s: Microsoft Graph did not answer, also after retries (network or timeout): the next cycle tries again"},
	"unreadable": {"%s: Microsoft Graph sendte et svar, der ikke kan læses: næste kørsel prøver igen", "%s: Microsoft Graph sent an answer that cannot be read: the next cycle tries again"},
	"otherHost":  {"Microsoft Graph svarede med et link til %q, ikke til %s: udrul sender ikke adgangsbeviset dertil", "graph answered with a link to %q, not to %s: refusing to send the token there"},
	"partial":    {"%s: Microsoft Graph sendte en side uden nextLink og deltaLink: en ufuldstændig liste bruges ikke, og næste kørsel prøver igen", "%s: a page with neither nextLink nor deltaLink: refusing a partial listing; the next cycle tries again"},

	// The configured places.
	"moved":        {"%s er slettet eller flyttet: ret konfigurationen, eller læg den tilbage", "%s (deleted or moved): fix the configuration or put it back"},
	"siteURL":      {"site %q er ikke en adresse som https://kommune.sharepoint.com/sites/Udrulning", "site %q is not a URL such as https://kommune.sharepoint.com/sites/Udrulning"},
	"noLibrary":    {"biblioteket %q findes ikke på webstedet %s (dets biblioteker: %s)", "library %q not found in site %s (its libraries: %s)"},
	"noDefaultLib": {"der er ikke angivet et bibliotek, og webstedet %s har intet standardbibliotek: sæt library (et af %s)", "no library given and site %s has no default one: set library (one of %s)"},
	"isAFile":      {"%s på %s er en fil, ikke en mappe: angiv den som et delingslink i stedet", "%s in %s is a file, not a folder: name it as a sharing link instead"},
	"neither":      {"delingslinket %s peger hverken på en fil eller en mappe", "sharing link %s: neither a file nor a folder"},

	// Files.
	"overCap":    {"%s fylder %d MiB, mere end max_file_size_mib (%d MiB): den er ikke hentet", "%s is %d MiB, more than max_file_size_mib (%d MiB): not downloaded"},
	"overLimit":  {"hent %s: filen fylder %d byte, mere end grænsen på %d byte (max_file_size_mib)", "download %s: %d bytes, more than the limit of %d (max_file_size_mib)"},
	"larger":     {"hent %s: filen er større end %d byte (max_file_size_mib)", "download %s: larger than %d bytes (max_file_size_mib)"},
	"badKey":     {"hent %s: udrul kender ikke filen (nøgle %q): næste kørsel læser biblioteket igen", "download %s: bad key %q: the next cycle reads the library again"},
	"noLocation": {"hent %s: Microsoft Graph henviste til en download uden at give adressen (Location): næste kørsel prøver igen", "download %s: a redirect without a Location: the next cycle tries again"},
	"dlStatus":   {"hent %s: download-adressen svarede %s: næste kørsel prøver igen", "download %s: the download URL answered %s: the next cycle tries again"},
	"dlFailed":   {"hent %s: filen kunne ikke hentes (netværk eller timeout): næste kørsel prøver igen", "download %s: the file could not be downloaded (network or timeout): the next cycle tries again"},

	// Sign-in.
	"signIn":       {"login i Microsoft Entra ID afvist: tenant %q, app %s: %s", "sign-in to Microsoft Entra ID refused: tenant %q, app %s: %s"},
	"entraSaid":    {" (Entra ID svarede: %s)", " (Entra ID said: %s)"},
	"noTenant":     {"tenant %q findes ikke: tjek tenant_id (kommunens directory-ID eller dens .onmicrosoft.com-domæne)", "tenant %q does not exist: check tenant_id (the municipality's directory ID or its .onmicrosoft.com domain)"},
	"unknownApp":   {"appen %s kendes ikke i tenant %q: forkert tenant, eller appen er enkelt-tenant i en anden directory, eller en administrator i denne tenant har ikke givet samtykke til den endnu", "app %s is not known in tenant %q: wrong tenant, or the app is single-tenant in another directory, or an admin of this tenant has not consented to it yet"},
	"badSecret":    {"klienthemmeligheden (client secret) er forkert eller udløbet: lav en ny under Certificates & secrets (Certifikater og hemmeligheder), og læg den der, hvor client_secret_env eller client_secret_file peger", "the client secret is wrong or expired: make a new one under Certificates & secrets and put it where client_secret_env or client_secret_file points"},
	"badCert":      {"klientcertifikatet godtages ikke: upload certifikatets offentlige del (.cer/.pem) til app-registreringen under Certificates & secrets (Certifikater og hemmeligheder), og tjek, at det ikke er udløbet", "the client certificate is not accepted: upload the certificate's public part (.cer/.pem) to the app registration under Certificates & secrets, and check it has not expired"},
	"noPermission": {"appen har ingen godkendt tilladelse i denne tenant: en administrator giver administratorsamtykke (admin consent) til Sites.Selected (eller Files.Read.All) for appen", "the app has no consented permission in this tenant: an admin grants admin consent to Sites.Selected (or Files.Read.All) for the app"},
	"refused":      {"Entra ID afviste login", "Entra ID refused the sign-in"},
	"unreachable":  {"Entra ID (%s) kan ikke nås: tjek maskinens netværk, DNS og proxy; næste kørsel prøver igen", "Entra ID (%s) cannot be reached: check this machine's network, DNS and proxy; the next cycle tries again"},

	// The client's configuration.
	"noClientID":   {"m365: client_id mangler: registrér en app i Entra ID, og angiv dens Application (client) ID", "m365: no client_id: register an app in Entra ID and give its application (client) ID"},
	"noCredential": {"m365: ingen loginoplysninger: angiv client_certificate (foretrukket), client_secret_env eller client_secret_file", "m365: no credential: give client_certificate (preferred), client_secret_env or client_secret_file"},
	"badCertFile":  {"m365: client_certificate er hverken en PEM-fil med certifikat og privat nøgle eller en PKCS#12-fil (eller dens adgangskode er forkert)", "m365: client_certificate is not a PEM file with certificate and private key, nor a PKCS#12 file (or its password is wrong)"},
	"credential":   {"m365: login for tenant %q kan ikke sættes op: tjek tenant_id (et directory-ID eller kommune.onmicrosoft.com)", "m365: cannot set up sign-in for tenant %q: check tenant_id (a directory ID or kommune.onmicrosoft.com)"},

	// udrul sources.
	"noDelta": {"ingen delta endnu", "no delta yet"},
	"summary": {"sidste delta %s, %d drev, %d planfiler i dem", "last delta %s, %d drives, %d plan files in them"},
	"resyncs": {", %d fulde genindlæsninger", ", %d full resyncs"},
}

// text formats a catalog message in a language ("en" English, else Danish).
func text(lang, key string, args ...any) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	return fmt.Sprintf(catalog[key][i], args...)
}

// msg formats a catalog message in the client's language.
func (c *Client) msg(key string, args ...any) string {
	if c == nil {
		return text("", key, args...)
	}
	return text(c.o.Language, key, args...)
}

// sourceError is a message for people that still says which kind of
// failure it is (errors.Is with ErrNotGranted, ErrNotFound, ...) and keeps
// the error behind it for errors.As and logs, without showing it.
type sourceError struct {
	msg   string
	kinds []error
}

func (e *sourceError) Error() string   { return e.msg }
func (e *sourceError) Unwrap() []error { return e.kinds }

// fail is a sourceError with a message, of the kinds given (nil ones are
// left out).
func fail(msg string, kinds ...error) error {
	e := &sourceError{msg: msg}
	for _, k := range kinds {
		if k != nil {
			e.kinds = append(e.kinds, k)
		}
	}
	return e
}

// isSourceError reports whether err already speaks to people.
func isSourceError(err error) bool {
	var se *sourceError
	return errors.As(err, &se)
}
