package m365_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/sync/source/m365"
)

// englishWords are words of udrul's own English sentences.
var englishWords = regexp.MustCompile(`(?i)\b(not found|not granted|is not|refused|check|cannot|the (app|site|file|folder|library|next)|admin consent to|throttled|wrong|does not exist|runs POST .* with|or in PnP)\b`)

// quoted cuts what Microsoft said itself, which is quoted as it is:
// "(Entra ID svarede: …)", "(Graph svarede: …)".
var quoted = regexp.MustCompile(`\((Entra ID|Graph) svarede: [^)]*\)`)

// TestSource_RefusalsInEachLanguage: each refusal comes in Danish by
// default and in English with language en, with the same technical
// tokens (the grant call, the PnP line, the AADSTS code, the keys), and
// the Danish one carries no English sentence.
func TestSource_RefusalsInEachLanguage(t *testing.T) {
	grantCall := `POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions`
	tests := []struct {
		name   string
		setup  func(e *env)
		cfg    m365.Config
		tweak  func(o *m365.Options)
		da, en string // the start of each message's sentence
		tokens []string
		is     error
	}{
		{name: "site not granted under Sites.Selected", setup: func(e *env) { e.site.Grant(false) },
			da: "webstedet " + siteURL + ": udruls app har ikke adgang: appen (klient-ID " + clientID + ") har Sites.Selected, men har ikke fået adgang til dette websted: en SharePoint- eller global administrator kører " + grantCall + " med ",
			en: "site " + siteURL + ": not granted to udrul's app: the app (client ID " + clientID + ") has Sites.Selected but this site was not granted to it: a SharePoint or global admin runs " + grantCall + " with ",
			tokens: []string{grantCall, `{"roles":["read"],"grantedToIdentities":[{"application":{"id":"` + clientID + `","displayName":"udrul"}}]}`,
				"Grant-PnPAzureADAppSitePermission -AppId " + clientID + " -DisplayName udrul -Site " + siteURL + " -Permissions Read",
				"GET https://graph.microsoft.com/v1.0/sites/aarhus.sharepoint.com:/sites/Udrulning"},
			is: m365.ErrNotGranted},
		{name: "no consent in the tenant", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "s3cret", nil, false) },
			tweak:  func(o *m365.Options) { o.Certificate = nil; o.Secret = "s3cret" },
			da:     "webstedet " + siteURL + ": udruls app har ikke adgang: Microsoft Graph afviste appens adgangsbevis i tenant \"" + tenantID + "\" (Graph svarede: ",
			en:     "site " + siteURL + ": not granted to udrul's app: Graph refused the app's token in tenant \"" + tenantID + "\" (Graph said: ",
			tokens: []string{"admin consent", "Sites.Selected (", "Files.Read.All", "Entra ID → Enterprise applications", "tenant_id"},
			is:     m365.ErrNotGranted},
		{name: "wrong tenant", tweak: func(o *m365.Options) { o.TenantID = "kolding.onmicrosoft.com" },
			da:     "login i Microsoft Entra ID afvist: tenant \"kolding.onmicrosoft.com\", app " + clientID + ": tenant \"kolding.onmicrosoft.com\" findes ikke: tjek tenant_id",
			en:     "sign-in to Microsoft Entra ID refused: tenant \"kolding.onmicrosoft.com\", app " + clientID + ": tenant \"kolding.onmicrosoft.com\" does not exist: check tenant_id",
			tokens: []string{"AADSTS90002"}, is: m365.ErrSignIn},
		{name: "wrong secret", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "right", nil, true) },
			tweak:  func(o *m365.Options) { o.Certificate = nil; o.Secret = "wrong" },
			da:     "login i Microsoft Entra ID afvist: tenant \"" + tenantID + "\", app " + clientID + ": klienthemmeligheden (client secret) er forkert eller udløbet",
			en:     "sign-in to Microsoft Entra ID refused: tenant \"" + tenantID + "\", app " + clientID + ": the client secret is wrong or expired",
			tokens: []string{"AADSTS7000215", "client_secret_env"}, is: m365.ErrSignIn},
		{name: "certificate not uploaded", setup: func(e *env) { e.fake.RegisterApp(tenantID, clientID, "", nil, true) },
			da:     "login i Microsoft Entra ID afvist: tenant \"" + tenantID + "\", app " + clientID + ": klientcertifikatet godtages ikke",
			en:     "sign-in to Microsoft Entra ID refused: tenant \"" + tenantID + "\", app " + clientID + ": the client certificate is not accepted",
			tokens: []string{"AADSTS700027"}, is: m365.ErrSignIn},
		{name: "site not found", cfg: m365.Config{Site: "https://aarhus.sharepoint.com/sites/Findesikke"},
			da: "webstedet https://aarhus.sharepoint.com/sites/Findesikke: findes ikke, eller er ikke delt med appen: tjek webstedets adresse",
			en: "site https://aarhus.sharepoint.com/sites/Findesikke: not found, or not shared with the app: check the site URL",
			is: m365.ErrNotFound},
		{name: "library not found", cfg: m365.Config{Library: "Planer"},
			da: `biblioteket "Planer" findes ikke på webstedet ` + siteURL + " (dets biblioteker: Delte dokumenter, Arkiv)",
			en: `library "Planer" not found in site ` + siteURL + " (its libraries: Delte dokumenter, Arkiv)",
			is: m365.ErrNotFound},
		{name: "folder not found", cfg: m365.Config{Folders: []string{"Findes ikke"}},
			da: "mappen Findes ikke på " + siteURL + ": findes ikke, eller er ikke delt med appen",
			en: "folder Findes ikke in " + siteURL + ": not found, or not shared with the app",
			is: m365.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []struct{ lang, want string }{{"da", tc.da}, {"en", tc.en}} {
				e := newEnv(t, tc.cfg, func(o *m365.Options) {
					o.Language = lang.lang
					if tc.tweak != nil {
						tc.tweak(o)
					}
				})
				if tc.setup != nil {
					tc.setup(e)
				}
				p, data := planFile(t, 7, plangen.Blocks, "Aarhus", "KY")
				e.drive.Put(p.FileName(), data)
				r := e.cycle()
				if r.Err == nil {
					t.Fatalf("%s: no error: %s", lang.lang, r.Summary())
				}
				if !errors.Is(r.Err, tc.is) {
					t.Errorf("%s: error %v is not %v", lang.lang, r.Err, tc.is)
				}
				got := r.Err.Error()
				if !strings.Contains(got, lang.want) {
					t.Errorf("%s:\ngot  %s\nwant …%s…", lang.lang, got, lang.want)
				}
				for _, tok := range tc.tokens {
					if !strings.Contains(got, tok) {
						t.Errorf("%s: %q lacks %q", lang.lang, got, tok)
					}
				}
				if lang.lang == "da" {
					if w := englishWords.FindString(quoted.ReplaceAllString(got, "")); w != "" {
						t.Errorf("the Danish message has the English %q: %s", w, got)
					}
				}
			}
		})
	}
}

func TestSummary_inDanish(t *testing.T) {
	if got, want := m365.Summary(nil, nil, "da"), "ingen delta endnu"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
