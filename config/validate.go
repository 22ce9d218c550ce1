package config

import (
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/udrul/udrul/internal/suggest"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/municipality"
	"github.com/udrul/udrul/sync/parse"
)

// cronParser reads the schedules: five fields, or descriptors.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// CronParser returns the parser the schedules are validated with.
func CronParser() cron.Parser { return cronParser }

// FieldError is a configuration error at a key.
type FieldError struct {
	File string
	Line int    // 0 when the key is not in the file (a default)
	Key  string // e.g. sources[1].pattern; "" for the file as a whole
	Msg  string // in the configuration's language
	// cause is the YAML library's error, kept for errors.Is and logs but
	// never shown.
	cause error
}

func (e *FieldError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return where + ": " + e.Msg
	}
	return where + ": " + e.Key + ": " + e.Msg
}

// Unwrap gives the YAML library's error, if any.
func (e *FieldError) Unwrap() error { return e.cause }

// adder records a problem at a key, in Danish and English (the
// configuration's language is shown; %-arguments fill both).
type adder func(key, da, en string, args ...any)

// fieldAdder returns an adder that appends to *out, naming the key's line.
func (c *Config) fieldAdder(out *[]*FieldError) adder {
	en := c.ProblemsEnglish()
	return func(key, da, eng string, args ...any) {
		*out = append(*out, &FieldError{File: c.path, Line: c.lines.line("$." + key), Key: key, Msg: tr(en, da, eng, args...)})
	}
}

// Validate checks values and combinations. Its error lists every problem,
// each naming its key and line, in the configured language.
func (c *Config) Validate() error {
	var fes []*FieldError
	add := c.fieldAdder(&fes)
	if strings.TrimSpace(c.Database) == "" {
		add("database", "skal angive en fil", "must name a file")
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		add("timezone", "ukendt tidszone %q (for eksempel Europe/Copenhagen)", "unknown time zone %q (for example Europe/Copenhagen)", c.Timezone)
	} else {
		c.loc = loc
	}
	if _, err := parse.ParseLang(c.Language); err != nil {
		add("language", "ukendt sprog %q: skriv da (dansk) eller en (engelsk)", "unknown language %q: write da (Danish) or en (English)", c.Language)
	}
	if c.MaxFileSizeMiB <= 0 {
		add("max_file_size_mib", "skal være større end 0, men er %d", "must be positive, got %d", c.MaxFileSizeMiB)
	}
	for _, l := range []struct {
		key      string
		v, upper int
	}{{"limits.rows", c.Limits.Rows, 1 << 20}, {"limits.columns", c.Limits.Columns, 16384}, {"limits.cells", c.Limits.Cells, 100_000_000}} {
		if l.v <= 0 || l.v > l.upper {
			add(l.key, "skal være mellem 1 og %d, men er %d", "must be between 1 and %d, got %d", l.upper, l.v)
		}
	}
	if c.ShrinkGuard.MaxLoss <= 0 || c.ShrinkGuard.MaxLoss >= 1 {
		add("shrink_guard.max_loss", "skal være en andel mellem 0 og 1, for eksempel 0.5, men er %v", "must be a share between 0 and 1, such as 0.5, got %v", c.ShrinkGuard.MaxLoss)
	}
	for _, g := range []struct {
		key string
		v   float64
	}{{"shrink_guard.max_retitled", c.ShrinkGuard.MaxRetitled}, {"shrink_guard.max_tail_loss", c.ShrinkGuard.MaxTailLoss}} {
		if g.v <= 0 || g.v > 1 {
			add(g.key, "skal være en andel over 0 og højst 1 (1 slår kontrollen fra), for eksempel 0.5, men er %v",
				"must be a share above 0 and at most 1 (1 turns the check off), such as 0.5, got %v", g.v)
		}
	}
	if c.ShrinkGuard.MinTasks < 0 {
		add("shrink_guard.min_tasks", "må ikke være negativ", "must not be negative")
	}
	c.validateWeb(add)
	c.validateColumns(add)
	for _, k := range sortedKeys(c.Statuses) {
		st, err := model.ParseStatus(c.Statuses[k])
		if err != nil || st == model.Unknown {
			add("statuses."+k, "skal være not_started, in_progress, done eller cancelled, men er %q", "must be not_started, in_progress, done or cancelled, got %q", c.Statuses[k])
		}
	}
	for _, sol := range sortedKeys(c.Waves) {
		sw := c.Waves[sol]
		for _, m := range sortedKeys(sw.Municipalities) {
			w := sw.Municipalities[m]
			if _, err := c.MunicipalityMatcher().Canonical(m); err != nil {
				c.notAMunicipality(add, fmt.Sprintf("waves.%s.municipalities.%s", sol, m), m)
			}
			if _, ok := sw.Waves[w]; !ok && len(sw.Waves) > 0 {
				add(fmt.Sprintf("waves.%s.municipalities.%s", sol, m), "bølge %q er ikke blandt bølgerne for %s (%s)", "wave %q is not among the waves of %s (%s)", w, sol, strings.Join(sortedKeys(sw.Waves), ", "))
			}
		}
		for _, w := range sortedKeys(sw.Waves) {
			key := fmt.Sprintf("waves.%s.waves.%s", sol, w)
			if d := sw.Waves[w].GoLive; d != "" {
				if _, err := model.ParseISODate(d); err != nil {
					add(key+".go_live", notADate[0], notADate[1], d)
				}
			}
			for _, ms := range sortedKeys(sw.Waves[w].Milestones) {
				if _, err := model.ParseISODate(sw.Waves[w].Milestones[ms]); err != nil || sw.Waves[w].Milestones[ms] == "" {
					add(key+".milestones."+ms, notADate[0], notADate[1], sw.Waves[w].Milestones[ms])
				}
			}
		}
	}
	for key, v := range map[string]int{"rules.due_soon_days": c.Rules.DueSoonDays, "rules.red_overdue_days": c.Rules.RedOverdueDays,
		"rules.stale_days": c.Rules.StaleDays, "rules.sync_stale_days": c.Rules.SyncStaleDays,
		"rules.load_tasks_per_week": c.Rules.LoadTasksPerWeek, "rules.go_live_gap_days": c.Rules.GoLiveGapDays,
		"rules.forecast_amber_days": c.Rules.ForecastAmberDays} {
		if v < 0 {
			add(key, "må ikke være negativ, men er %d", "must not be negative, got %d", v)
		}
	}
	if s := c.Rules.ForecastOverdueShare; s < 0 || s > 1 {
		add("rules.forecast_overdue_share", "skal være en andel mellem 0 og 1, for eksempel 0.25, men er %g", "must be a share between 0 and 1, such as 0.25, got %g", s)
	}
	for key, spec := range map[string]string{"schedules.sync": c.Schedules.Sync, "schedules.alerts": c.Schedules.Alerts,
		"schedules.report": c.Schedules.Report, "schedules.outbox": c.Schedules.Outbox, "schedules.backup": c.Schedules.Backup} {
		if spec == "" || spec == "off" {
			continue
		}
		if _, err := cronParser.Parse(spec); err != nil {
			add(key, "%q er ikke en tidsplan: skriv fem felter (minut, time, dag, måned, ugedag, for eksempel \"0 7 * * 1-5\"), @every 15m, @daily eller off",
				"%q is not a schedule: write five fields (minute, hour, day, month, weekday, such as \"0 7 * * 1-5\"), @every 15m, @daily or off", spec)
		}
	}
	if strings.TrimSpace(c.Backup.Dir) == "" {
		add("backup.dir", "skal angive en mappe", "must name a folder")
	}
	if c.Backup.KeepDaily < 1 {
		add("backup.keep_daily", "skal være mindst 1 (den nyeste sikkerhedskopi beholdes altid), men er %d", "must be at least 1 (the newest backup is always kept), got %d", c.Backup.KeepDaily)
	}
	if c.Backup.KeepWeekly < 0 {
		add("backup.keep_weekly", "må ikke være negativ, men er %d", "must not be negative, got %d", c.Backup.KeepWeekly)
	}
	if c.Backup.CommandTimeoutSeconds <= 0 {
		add("backup.command_timeout_seconds", "skal være større end 0, men er %d", "must be positive, got %d", c.Backup.CommandTimeoutSeconds)
	}
	if len(c.Backup.Command) > 0 {
		if strings.TrimSpace(c.Backup.Command[0]) == "" {
			add("backup.command[0]", "skal angive det program, der skal køres", "names the program to run")
		}
		if !strings.Contains(strings.Join(c.Backup.Command, " "), "{file}") && !strings.Contains(strings.Join(c.Backup.Command, " "), "{name}") {
			add("backup.command", "nævner ikke sikkerhedskopien: sæt {file} (dens sti) eller {name} (dens filnavn) ind blandt argumenterne",
				"never names the backup: put {file} (its path) or {name} (its file name) among the arguments")
		}
	}
	for i, d := range c.Alerts.Ladder {
		if d < 0 {
			add(fmt.Sprintf("alerts.ladder[%d]", i), "må ikke være negativ", "must not be negative")
		}
	}
	for i, co := range c.Alerts.Coordinators {
		if !strings.Contains(co.Email, "@") {
			add(fmt.Sprintf("alerts.coordinators[%d].email", i), notAnEmail[0], notAnEmail[1], co.Email)
		}
	}
	c.validateAlertSolutions(add) // the contacts' keys as written, before they move below
	c.contactKeys = map[string]string{}
	for _, plan := range sortedKeys(c.Alerts.Contacts) {
		for _, a := range c.Alerts.Contacts[plan] {
			if !strings.Contains(a, "@") {
				add("alerts.contacts."+plan, notAnEmail[0], notAnEmail[1], a)
			}
		}
		// The key names a municipality (and a solution): a misspelt one
		// would never match a plan, and its contacts hear nothing.
		mun, sol, hasSol := strings.Cut(plan, "/")
		name, err := c.MunicipalityMatcher().Canonical(mun)
		if err != nil {
			c.notAMunicipality(add, "alerts.contacts."+plan, mun)
			continue
		}
		if hasSol {
			name += "/" + strings.TrimSpace(sol)
		}
		c.contactKeys[plan] = name
		if name != plan {
			// Another spelling ("Århus/KY"): kept under the name plans have.
			c.Alerts.Contacts[name] = append(c.Alerts.Contacts[name], c.Alerts.Contacts[plan]...)
			delete(c.Alerts.Contacts, plan)
		}
	}
	for i, w := range c.Alerts.Webhooks {
		key := fmt.Sprintf("alerts.webhooks[%d]", i)
		if !strings.HasPrefix(w.URL, "http://") && !strings.HasPrefix(w.URL, "https://") {
			add(key+".url", "%q er ikke en http(s)-adresse", "%q is not an http(s) URL", w.URL)
		}
		switch w.Format {
		case "", "generic", "teams", "slack":
		default:
			add(key+".format", "ukendt format %q (generic, teams eller slack)", "unknown format %q (generic, teams or slack)", w.Format)
		}
	}
	for i, cr := range c.Placement.Criteria {
		key := fmt.Sprintf("placement.criteria[%d]", i)
		if cr.Column == "" {
			add(key+".column", "skal angive kolonnen i kriteriearket", "names the criteria sheet's column")
		}
		if cr.Weight < 0 {
			add(key+".weight", "må ikke være negativ", "must not be negative")
		}
		switch cr.Direction {
		case "", "early", "late":
		default:
			add(key+".direction", "ukendt retning %q (early eller late)", "unknown %q (early or late)", cr.Direction)
		}
	}
	for i, dep := range c.Placement.Dependencies {
		if dep.Solution == "" || dep.After == "" || strings.EqualFold(dep.Solution, dep.After) {
			add(fmt.Sprintf("placement.dependencies[%d]", i), "kræver to forskellige løsninger: solution og after", "needs two different solutions: solution and after")
		}
	}
	if c.SMTP.Host != "" && !strings.Contains(c.SMTP.From, "@") {
		add("smtp.from", "afsenderadressen mangler eller er ikke en e-mailadresse", "the sender address is missing or not an e-mail address")
	}
	switch c.SMTP.Security {
	case "starttls", "tls", "none":
	default:
		add("smtp.security", "ukendt %q (starttls, tls eller none)", "unknown %q (starttls, tls or none)", c.SMTP.Security)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add("log.format", "ukendt %q (text eller json)", "unknown %q (text or json)", c.Log.Format)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		add("log.level", "ukendt %q (debug, info, warn eller error)", "unknown %q (debug, info, warn or error)", c.Log.Level)
	}
	c.validateM365(add)
	if c.Google.RequestsPerMinute <= 0 {
		add("google.requests_per_minute", "skal være større end 0", "must be positive")
	}
	if sub := c.Google.Subject; sub != "" && (!strings.Contains(sub, "@") || strings.ContainsAny(sub, " \t")) {
		add("google.subject", "%q er ikke en e-mailadresse: skriv den Google Workspace-bruger, som tjenestekontoen handler på vegne af",
			"%q is not an e-mail address: write the Google Workspace user the service account acts as", sub)
	}
	if _, err := regexp.Compile(c.Rules.GoLiveTask); err != nil {
		add("rules.go_live_task", "%q er ikke et gyldigt regulært udtryk (for eksempel (?i)idriftsættelse|go-live)",
			"%q is not a valid regular expression (such as (?i)idriftsættelse|go-live)", c.Rules.GoLiveTask)
	}
	for i, d := range c.Rules.Closures {
		if _, err := model.ParseISODate(d); err != nil {
			add(fmt.Sprintf("rules.closures[%d]", i), notADate[0], notADate[1], d)
		}
	}
	c.validateAliases(add)
	for i, p := range c.Ignore {
		if strings.TrimSpace(p) == "" || strings.Trim(p, "*") == "" {
			add(fmt.Sprintf("ignore[%d]", i), "%q ville springe alle filer over: angiv en del af filnavnet, for eksempel *Kopi*",
				"%q would ignore every file: name a part of the file name, such as *Kopi*", p)
		}
	}
	for i, p := range c.Prefer {
		if strings.TrimSpace(p) == "" || strings.Trim(p, "*") == "" {
			add(fmt.Sprintf("prefer[%d]", i), "%q passer på alle filer: angiv en del af den foretrukne fils navn eller sti",
				"%q matches every file: name a part of the preferred file's name or path", p)
		}
	}
	names := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.Name == "":
			add(key+".name", "hver kilde skal have et navn", "every source needs a name")
		case strings.ContainsAny(s.Name, " /\\"):
			add(key+".name", "%q: brug kun bogstaver, cifre, - og _", "%q: use letters, digits, - and _ only", s.Name)
		default:
			if j, dup := names[s.Name]; dup {
				add(key+".name", "%q er også navnet på sources[%d]", "%q is also the name of sources[%d]", s.Name, j)
			}
			names[s.Name] = i
		}
		switch s.Kind {
		case KindFiles:
			if s.Path == "" {
				add(key+".path", "en files-kilde skal have en mappe eller et mønster (glob) som /mnt/share/*/plan*.xlsx",
					"a files source needs a folder or a glob such as /mnt/share/*/plan*.xlsx")
			} else if _, err := filepath.Match(s.Path, ""); err != nil {
				add(key+".path", "%q er ikke et gyldigt mønster (glob): tjek [ og ]", "bad glob %q: check [ and ]", s.Path)
			}
			if len(s.Spreadsheets) > 0 || len(s.Folders) > 0 {
				add(key+".kind", "en files-kilde læser path; spreadsheets og folders hører til kind gsheets",
					"files sources read a path; spreadsheets and folders belong to kind gsheets")
			}
			if s.Site != "" || len(s.Links) > 0 || s.Library != "" || s.Tenant != "" {
				add(key+".kind", "en files-kilde læser path; site, library, links og tenant hører til kind m365",
					"files sources read a path; site, library, links and tenant belong to kind m365")
			}
		case KindGSheets:
			if len(s.Spreadsheets) == 0 && len(s.Folders) == 0 {
				add(key+".spreadsheets", "en gsheets-kilde skal have spreadsheets eller folders (ID'er eller links)",
					"a gsheets source needs spreadsheets or folders (IDs or URLs)")
			}
			if s.Path != "" || s.Recursive || s.LinksOutside {
				add(key+".path", "en gsheets-kilde læser spreadsheets og folders, ikke path",
					"a gsheets source reads spreadsheets and folders, not a path")
			}
			for j, link := range s.Spreadsheets {
				if strings.Contains(link, "/spreadsheets/d/e/") {
					add(fmt.Sprintf("%s.spreadsheets[%d]", key, j),
						"%q er linket til en publiceret kopi, som ikke angiver regnearket: kopiér linket fra regnearkets adresselinje (…/spreadsheets/d/<ID>/edit)",
						"%q is the link of a published copy, which does not name the spreadsheet: copy the link from the spreadsheet's address bar (…/spreadsheets/d/<ID>/edit)", link)
				}
			}
			if s.Site != "" || len(s.Links) > 0 || s.Library != "" || s.Tenant != "" {
				add(key+".kind", "site, library, links og tenant hører til kind m365", "site, library, links and tenant belong to kind m365")
			}
		case KindM365:
			c.validateM365Source(s, key, add)
		case "":
			add(key+".kind", "mangler (files, gsheets eller m365)", "missing (files, gsheets or m365)")
		default:
			add(key+".kind", "ukendt kind %q (files, gsheets eller m365)", "unknown kind %q (files, gsheets or m365)", s.Kind)
		}
		if s.Municipality != "" {
			if name, err := c.MunicipalityMatcher().Canonical(s.Municipality); err != nil {
				c.notAMunicipality(add, key+".municipality", s.Municipality)
			} else {
				s.Municipality = name
			}
		}
		if s.Pattern != "" {
			re, err := compilePattern(s.Pattern, c.ProblemsEnglish())
			if err != nil {
				add(key+".pattern", "%q %s", "%q %s", s.Pattern, err)
			}
			s.patternRe = re
			if s.Municipality != "" && strings.Contains(s.Pattern, "{municipality}") {
				add(key+".pattern", "tager {municipality} fra filnavnet, men municipality er også fastsat: behold én af dem",
					"takes {municipality} from the file name, but municipality is also fixed: keep one")
			}
			if s.Solution != "" && strings.Contains(s.Pattern, "{solution}") {
				add(key+".pattern", "tager {solution} fra filnavnet, men solution er også fastsat: behold én af dem",
					"takes {solution} from the file name, but solution is also fixed: keep one")
			}
		}
	}
	byLine(fes)
	return joinFieldErrors(fes)
}

// byLine orders problems as the file reads, those not in the file (a
// default) last.
func byLine(fes []*FieldError) {
	at := func(fe *FieldError) int {
		if fe.Line == 0 {
			return math.MaxInt
		}
		return fe.Line
	}
	sort.SliceStable(fes, func(i, j int) bool { return at(fes[i]) < at(fes[j]) })
}

// Messages used at several keys.
var (
	notADate   = [2]string{"%q er ikke en dato: skriv den som ÅÅÅÅ-MM-DD, for eksempel 2027-03-01", "%q is not a date: write YYYY-MM-DD, such as 2027-03-01"}
	notAnEmail = [2]string{"%q er ikke en e-mailadresse", "%q is not an e-mail address"}
)

// validateColumns checks the extra column names: each role must be one
// the parser knows, and each name must not already be another column's.
func (c *Config) validateColumns(add adder) {
	builtin, _ := parse.NewColumns(nil)
	extra := map[parse.Role][]string{}
	bad := false
	for _, name := range sortedKeys(c.Columns) {
		r, err := parse.ParseRole(name)
		if err != nil {
			add("columns."+name, "ukendt kolonne %q (brug en af %s)", "unknown column %q (want one of %s)", name, strings.Join(roleNames(), ", "))
			bad = true
			continue
		}
		extra[r] = c.Columns[name]
		for _, alias := range c.Columns[name] {
			if _, err := parse.NewColumns(map[parse.Role][]string{r: {alias}}); err == nil {
				continue
			}
			bad = true
			if other := builtin.Role(alias); other != parse.RoleNone && other != r {
				add("columns."+name, "%[1]q er allerede et navn på kolonnen %[3]s", "column alias %q for %s is already a name of %s", alias, r, other)
			} else {
				add("columns."+name, "%[1]q har hverken bogstaver eller cifre", "column alias %q for %s has no letters or digits", alias, r)
			}
		}
	}
	if _, err := parse.NewColumns(extra); err != nil && !bad {
		add("columns", "to kolonner har fået det samme navn: giv hvert navn til én kolonne", "two columns are given the same name: give each name to one column")
	}
}

// roleNames are the columns the parser knows, by their configuration names.
func roleNames() []string {
	var out []string
	for r := parse.RoleID; ; r++ {
		n := r.String()
		if strings.HasPrefix(n, "Role(") {
			return out
		}
		out = append(out, n)
	}
}

// validateAliases checks municipalities.aliases: each names one of the 98
// and does not spell another municipality.
func (c *Config) validateAliases(add adder) {
	c.munis = nil
	m, err := municipality.NewMatcher(c.Municipalities.Aliases)
	if err == nil {
		c.munis = m
		return
	}
	named := false
	for _, a := range sortedKeys(c.Municipalities.Aliases) {
		target := c.Municipalities.Aliases[a]
		if _, err := municipality.NewMatcher(map[string]string{a: target}); err == nil {
			continue
		}
		named = true
		key := "municipalities.aliases." + a
		to, terr := municipality.Canonical(target)
		other, oerr := municipality.Canonical(a)
		switch {
		case strings.TrimSpace(a) == "":
			add(key, "aliaset er tomt", "the alias is empty")
		case terr != nil:
			add(key, "%[2]q er ikke en af de 98 kommuner: skriv kommunens navn", "alias %q: %q is not one of the 98 municipalities: write the municipality's name", a, target)
		case oerr == nil && other != to:
			add(key, "%[1]q er allerede navnet på kommunen %[3]s, så det kan ikke også være et alias for %[2]s", "%[1]q is a spelling of both %[3]s and %[2]s", a, to, other)
		default:
			add(key, "%q kan ikke bruges som alias for %s", "%q cannot be an alias of %s", a, to)
		}
	}
	if !named {
		add("municipalities.aliases", "to aliasser staver det samme navn til hver sin kommune: ret et af dem", "two aliases spell the same name for different municipalities: fix one of them")
	}
}

// validateM365 checks the Graph client's settings when an m365 source
// uses them.
func (c *Config) validateM365(add adder) {
	m := c.M365
	if m.ClientSecret != "" {
		add("m365.client_secret", "en hemmelighed skrives aldrig i konfigurationen: læg den i en miljøvariabel, som client_secret_env angiver, eller i en fil, som client_secret_file angiver (bedre: et klientcertifikat)",
			"a secret is never written in the configuration: put it in an environment variable named by client_secret_env, or a file named by client_secret_file (better: a client certificate)")
	}
	if m.RequestsPerMinute <= 0 {
		add("m365.requests_per_minute", "skal være større end 0", "must be positive")
	}
	if m.MaxConcurrent <= 0 {
		add("m365.max_concurrent", "skal være større end 0", "must be positive")
	}
	for _, key := range []string{"m365.authority_host", "m365.graph_endpoint"} {
		u := map[string]string{"m365.graph_endpoint": m.GraphEndpoint, "m365.authority_host": m.AuthorityHost}[key]
		if u != "" && !strings.HasPrefix(u, "https://") {
			add(key, "%q er ikke en https-adresse", "%q is not an https URL", u)
		}
	}
	used := false
	for _, s := range c.Sources {
		used = used || s.Kind == KindM365
	}
	if !used {
		return
	}
	if m.ClientID == "" {
		add("m365.client_id", "m365-kilder kræver app-registreringens Application (client) ID", "m365 sources need the app registration's application (client) ID")
	}
	n := 0
	for _, v := range []string{m.ClientCertificate, m.ClientSecretEnv, m.ClientSecretFile} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		add("m365", "m365-kilder kræver client_certificate (foretrukket), client_secret_env eller client_secret_file",
			"m365 sources need client_certificate (preferred), client_secret_env or client_secret_file")
	case n > 1:
		add("m365", "angiv kun én af client_certificate, client_secret_env og client_secret_file", "give one of client_certificate, client_secret_env and client_secret_file")
	}
	if m.ClientCertificatePasswordEnv != "" && m.ClientCertificate == "" {
		add("m365.client_certificate_password_env", "er adgangskoden til client_certificate, som ikke er sat", "is the password of client_certificate, which is not set")
	}
}

var tenantRe = regexp.MustCompile(`^[0-9A-Za-z.-]+$`)

func (c *Config) validateM365Source(s *Source, key string, add adder) {
	if s.Site == "" && len(s.Links) == 0 {
		add(key+".site", "en m365-kilde skal have en site-adresse (https://kommune.sharepoint.com/sites/Udrulning) eller links (delingslinks)",
			"an m365 source needs a site URL (https://kommune.sharepoint.com/sites/Udrulning) or links (sharing links)")
	}
	if s.Site != "" {
		if u, err := url.Parse(s.Site); err != nil || u.Scheme != "https" || u.Host == "" {
			add(key+".site", "%q er ikke en site-adresse som https://kommune.sharepoint.com/sites/Udrulning",
				"%q is not a site URL such as https://kommune.sharepoint.com/sites/Udrulning", s.Site)
		}
	} else if s.Library != "" || len(s.Folders) > 0 {
		add(key+".library", "library og folders læses i et site: angiv site", "library and folders are read in a site: give site")
	}
	for i, l := range s.Links {
		if u, err := url.Parse(l); err != nil || u.Scheme != "https" || u.Host == "" {
			add(fmt.Sprintf("%s.links[%d]", key, i), "%q er ikke et delingslink (https://kommune.sharepoint.com/:x:/s/…)",
				"%q is not a sharing link (https://kommune.sharepoint.com/:x:/s/…)", l)
		}
	}
	if s.Path != "" || len(s.Spreadsheets) > 0 || s.LinksOutside {
		add(key+".path", "en m365-kilde læser et sites mapper og delingslinks, ikke path eller spreadsheets",
			"an m365 source reads a site's folders and sharing links, not a path or spreadsheets")
	}
	tenant := s.Tenant
	if tenant == "" {
		tenant = c.M365.TenantID
	}
	switch {
	case tenant == "":
		add(key+".tenant", "ingen tenant: sæt m365.tenant_id eller kildens tenant (mappe-ID'et (directory ID) eller kommune.onmicrosoft.com)",
			"no tenant: set m365.tenant_id or the source's tenant (the directory ID or kommune.onmicrosoft.com)")
	case !tenantRe.MatchString(tenant):
		add(key+".tenant", "%q er ikke et tenant-ID eller -domæne", "%q is not a tenant ID or domain", tenant)
	}
}

// Warnings are what a valid configuration does that is unsafe: a password
// written in the file instead of taken from the environment, an HTTP
// endpoint reachable from other machines without authentication in front
// (http.auth). Each names its key and line, like the errors of Validate,
// in the configured language.
func (c *Config) Warnings() []*FieldError {
	var out []*FieldError
	add := c.fieldAdder(&out)
	if c.SMTP.Password != "" {
		add("smtp.password", "adgangskoden står i konfigurationsfilen, så alle, der kan læse filen, kan læse den: "+
			"læg den i en miljøvariabel, og angiv den med smtp.password_env (og lad kun udrul kunne læse filen)",
			"the password is written in the configuration file: anyone who can read the file can read it; "+
				"put it in an environment variable and name that with smtp.password_env (and keep the file readable by udrul only)")
	}
	if l := c.HTTP.Listen; l != "" && l != "off" && !c.HTTP.ListenIsLoopback() && !c.HTTP.Auth.Configured() {
		add("http.listen", "%s kan nås fra andre maskiner uden login foran, og udrul run afviser det: "+
			"lyt på 127.0.0.1, sæt login med OpenID Connect op (http.auth.oidc), eller sæt en proxy med login foran og konfigurér http.auth",
			"%s is reachable from other machines without authentication in front: udrul run refuses it; "+
				"listen on 127.0.0.1, configure OpenID Connect login (http.auth.oidc), or put an authenticating proxy in front and configure http.auth", l)
	}
	if o := c.HTTP.Auth.OIDC; o.On() && !strings.EqualFold(o.EmailClaim, "email") && !o.EmailClaimVerified {
		add("http.auth.oidc.email_claim", "%s er ikke en bekræftet adresse: et login regnes kun med den, når email-claimet har samme adresse markeret som bekræftet (email_verified eller Entra ID's xms_edov), "+
			"ellers kommer kun medlemmer af coordinator_groups ind; med Entra ID er email med de valgfrie claims email og xms_edov bedst, eller upn med email_claim_verified: true for medlemmer af jeres egen tenant",
			"%s is not a verified address: a login counts it only when the email claim holds the same address, marked verified (email_verified or Entra ID's xms_edov), "+
				"else only members of coordinator_groups get in; with Entra ID prefer email with the optional claims email and xms_edov, or upn with email_claim_verified: true for members of your own tenant", o.EmailClaim)
	}
	if c.HTTP.Auth.OIDC.On() && strings.HasPrefix(c.HTTP.Redirect(), "http://") && !c.HTTP.ListenIsLoopback() {
		add("http.public_url", "webvisningens login går over almindelig http, så sessionscookies kan læses af alle på vejen gennem netværket: brug https (en proxy med et certifikat), og sæt public_url til https-adressen",
			"the web view's login is served over plain http: session cookies cross the network readable by anyone on the way; serve it over https (a proxy with a certificate) and set public_url to the https address")
	}
	if l := c.HTTP.Listen; l != "" && l != "off" && c.HTTP.Exposed() && c.HTTP.MetricsTokenFile == "" && c.HTTP.MetricsTokenEnv == "" {
		add("http.metrics_token_file", "/metrics nås fra andre maskiner og åbner kun for en koordinators login, så Prometheus kan ikke hente tallene: "+
			"læg et token i en fil (openssl rand -hex 32 > metrics.token), angiv den her, og giv Prometheus den samme fil (authorization: credentials_file)",
			"/metrics is reached from other machines and opens only to a coordinator's login: Prometheus cannot scrape it; "+
				"put a token in a file (openssl rand -hex 32 > metrics.token), name it here and give Prometheus the same file (authorization: credentials_file)")
	}
	return out
}

// UsageWarnings lists what is allowed but will not work as one would
// expect: an e-mail recipient without an SMTP server, a files source whose
// folder does not exist or holds no plan files. planExts are the plan
// files' extensions (".xlsx", ...).
func (c *Config) UsageWarnings(planExts map[string]bool) []*FieldError {
	var out []*FieldError
	add := c.fieldAdder(&out)
	noSMTP := [2]string{"e-mail kan ikke sendes, for der er ikke sat en SMTP-server op (smtp.host); 'udrul alerts --dry-run' viser, hvad der ville blive sendt",
		"e-mail cannot be sent: no SMTP server is configured (smtp.host); 'udrul alerts --dry-run' shows what would be sent"}
	if c.SMTP.Host == "" {
		if len(c.Alerts.Coordinators) > 0 {
			add("alerts.coordinators", noSMTP[0], noSMTP[1])
		}
		if len(c.Alerts.Contacts) > 0 {
			add("alerts.contacts", noSMTP[0], noSMTP[1])
		}
	}
	exts := strings.Join(sortedKeys(planExts), ", ")
	for i, s := range c.Sources {
		if s.Kind != KindFiles || s.Path == "" {
			continue
		}
		key := fmt.Sprintf("sources[%d].path", i)
		path := c.SourcePath(s)
		if strings.ContainsAny(s.Path, "*?[") {
			matches, _ := filepath.Glob(path)
			if !containsPlan(matches, planExts) {
				add(key, "ingen planfiler passer på %s", "no plan files match %s", path)
			}
			continue
		}
		fi, err := os.Stat(path)
		switch {
		case err != nil && strings.HasPrefix(s.Path, "~"):
			// No shell expands it: a folder named "~" is meant rarely.
			add(key, "mappen %s findes ikke: udrul udvider ikke ~ (det gør kun en skal): skriv hele stien, fx /home/bruger/planer", "the folder %s does not exist: udrul does not expand ~ (only a shell does): write the whole path, such as /home/user/plans", path)
		case err != nil:
			add(key, "mappen %s findes ikke: opret den, eller ret stien", "the folder %s does not exist: create it, or correct the path", path)
		case !fi.IsDir():
			if !planExts[strings.ToLower(filepath.Ext(path))] {
				add(key, "%s er ikke en planfil (%s)", "%s is not a plan file (%s)", path, exts)
			}
		default:
			if !folderHasPlan(path, s.Recursive, planExts) {
				add(key, "mappen %s indeholder ingen planfiler (%s)", "the folder %s holds no plan files (%s)", path, exts)
			}
		}
	}
	return out
}

func containsPlan(paths []string, exts map[string]bool) bool {
	for _, p := range paths {
		if exts[strings.ToLower(filepath.Ext(p))] {
			return true
		}
	}
	return false
}

// folderHasPlan reports whether a folder (and, when recursive, its
// subfolders) holds a plan file; it stops at the first.
func folderHasPlan(dir string, recursive bool, exts map[string]bool) bool {
	found := false
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if exts[strings.ToLower(filepath.Ext(p))] && !strings.HasPrefix(d.Name(), "~$") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// UnreadExts are spreadsheet formats udrul does not read, which a files
// source skips: plans kept in them are never read, so config check names
// them.
var UnreadExts = map[string]bool{".xls": true, ".xlsb": true, ".ods": true, ".fods": true, ".numbers": true}

// UnreadWarnings warns of each files source whose folder holds
// spreadsheets in a format udrul does not read (UnreadExts), with how many
// and one of them: a sync skips them without a word. ignored tells a copy
// the ignore patterns leave out (name, and path below the folder).
func (c *Config) UnreadWarnings(ignored func(name, rel string) bool) []*FieldError {
	var out []*FieldError
	add := c.fieldAdder(&out)
	for i, s := range c.Sources {
		if s.Kind != KindFiles || s.Path == "" || strings.ContainsAny(s.Path, "*?[") {
			continue
		}
		dir := c.SourcePath(s)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		n, example := 0, ""
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if p != dir && !s.Recursive {
					return filepath.SkipDir
				}
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if !UnreadExts[strings.ToLower(filepath.Ext(p))] || strings.HasPrefix(d.Name(), "~$") || (ignored != nil && ignored(d.Name(), filepath.ToSlash(rel))) {
				return nil
			}
			if n++; example == "" {
				example = rel
			}
			return nil
		})
		if n > 0 {
			add(fmt.Sprintf("sources[%d].path", i), "mappen %s har %d regneark i et format, udrul ikke læser (.xls, .xlsb eller .ods; fx %s): de springes over; gem dem som Excel-projektmappe (.xlsx)",
				"the folder %s holds %d spreadsheet(s) in a format udrul does not read (.xls, .xlsb or .ods; such as %s): they are skipped; save them as Excel Workbook (.xlsx)", dir, n, example)
		}
	}
	return out
}

// notAMunicipality refuses a name that is none of the 98 municipalities
// (nor an alias), with the one most likely meant.
func (c *Config) notAMunicipality(add adder, key, name string) {
	known := append(append([]string(nil), parse.Municipalities...), sortedKeys(c.Municipalities.Aliases)...)
	hint := suggest.Closest(strings.TrimSpace(name), known)
	if hint == "" {
		add(key, "%q er ikke en af de 98 kommuner: ret stavningen, eller tilføj den under municipalities.aliases",
			"%q is not one of the 98 municipalities: correct its spelling, or add it to municipalities.aliases", name)
		return
	}
	add(key, "%q er ikke en af de 98 kommuner: mente du %s? Ret stavningen, eller tilføj den under municipalities.aliases",
		"%q is not one of the 98 municipalities: did you mean %s? Correct its spelling, or add it to municipalities.aliases", name, hint)
}
