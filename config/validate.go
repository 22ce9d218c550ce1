package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
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
	Key  string // e.g. sources[1].pattern
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
}

// Validate checks values and combinations. Its error lists every problem,
// each naming its key and line.
func (c *Config) Validate() error {
	var errs []error
	add := func(key, format string, args ...any) {
		errs = append(errs, &FieldError{File: c.path, Line: c.lines.line("$." + key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(c.Database) == "" {
		add("database", "must name a file")
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		add("timezone", "unknown time zone %q (for example Europe/Copenhagen)", c.Timezone)
	} else {
		c.loc = loc
	}
	if _, err := parse.ParseLang(c.Language); err != nil {
		add("language", "%v", err)
	}
	if c.MaxFileSizeMiB <= 0 {
		add("max_file_size_mib", "must be positive, got %d", c.MaxFileSizeMiB)
	}
	for _, l := range []struct {
		key      string
		v, upper int
	}{{"limits.rows", c.Limits.Rows, 1 << 20}, {"limits.columns", c.Limits.Columns, 16384}, {"limits.cells", c.Limits.Cells, 100_000_000}} {
		if l.v <= 0 || l.v > l.upper {
			add(l.key, "must be between 1 and %d, got %d", l.upper, l.v)
		}
	}
	if c.ShrinkGuard.MaxLoss <= 0 || c.ShrinkGuard.MaxLoss >= 1 {
		add("shrink_guard.max_loss", "must be a share between 0 and 1, such as 0.5, got %v", c.ShrinkGuard.MaxLoss)
	}
	if c.ShrinkGuard.MinTasks < 0 {
		add("shrink_guard.min_tasks", "must not be negative")
	}
	c.validateWeb(add)
	extra := map[parse.Role][]string{}
	for _, name := range sortedKeys(c.Columns) {
		r, err := parse.ParseRole(name)
		if err != nil {
			add("columns."+name, "%v", err)
			continue
		}
		extra[r] = c.Columns[name]
	}
	if _, err := parse.NewColumns(extra); err != nil {
		add("columns", "%v", err)
	}
	for _, k := range sortedKeys(c.Statuses) {
		st, err := model.ParseStatus(c.Statuses[k])
		if err != nil || st == model.Unknown {
			add("statuses."+k, "must be not_started, in_progress, done or cancelled, got %q", c.Statuses[k])
		}
	}
	for _, sol := range sortedKeys(c.Waves) {
		sw := c.Waves[sol]
		for _, m := range sortedKeys(sw.Municipalities) {
			w := sw.Municipalities[m]
			if _, ok := sw.Waves[w]; !ok && len(sw.Waves) > 0 {
				add(fmt.Sprintf("waves.%s.municipalities.%s", sol, m), "wave %q is not among the waves of %s (%s)", w, sol, strings.Join(sortedKeys(sw.Waves), ", "))
			}
		}
		for _, w := range sortedKeys(sw.Waves) {
			key := fmt.Sprintf("waves.%s.waves.%s", sol, w)
			if d := sw.Waves[w].GoLive; d != "" {
				if _, err := model.ParseISODate(d); err != nil {
					add(key+".go_live", "%q is not a date: write YYYY-MM-DD", d)
				}
			}
			for _, ms := range sortedKeys(sw.Waves[w].Milestones) {
				if _, err := model.ParseISODate(sw.Waves[w].Milestones[ms]); err != nil || sw.Waves[w].Milestones[ms] == "" {
					add(key+".milestones."+ms, "%q is not a date: write YYYY-MM-DD", sw.Waves[w].Milestones[ms])
				}
			}
		}
	}
	for key, v := range map[string]int{"rules.due_soon_days": c.Rules.DueSoonDays, "rules.red_overdue_days": c.Rules.RedOverdueDays,
		"rules.stale_days": c.Rules.StaleDays, "rules.sync_stale_days": c.Rules.SyncStaleDays,
		"rules.load_tasks_per_week": c.Rules.LoadTasksPerWeek, "rules.go_live_gap_days": c.Rules.GoLiveGapDays,
		"rules.forecast_amber_days": c.Rules.ForecastAmberDays} {
		if v < 0 {
			add(key, "must not be negative, got %d", v)
		}
	}
	if s := c.Rules.ForecastOverdueShare; s < 0 || s > 1 {
		add("rules.forecast_overdue_share", "must be a share between 0 and 1, such as 0.25, got %g", s)
	}
	for key, spec := range map[string]string{"schedules.sync": c.Schedules.Sync, "schedules.alerts": c.Schedules.Alerts,
		"schedules.report": c.Schedules.Report, "schedules.outbox": c.Schedules.Outbox, "schedules.backup": c.Schedules.Backup} {
		if spec == "" || spec == "off" {
			continue
		}
		if _, err := cronParser.Parse(spec); err != nil {
			add(key, "%q is not a schedule: %v (five fields, or @every 15m, @daily)", spec, err)
		}
	}
	if strings.TrimSpace(c.Backup.Dir) == "" {
		add("backup.dir", "must name a folder")
	}
	if c.Backup.KeepDaily < 1 {
		add("backup.keep_daily", "must be at least 1 (the newest backup is always kept), got %d", c.Backup.KeepDaily)
	}
	if c.Backup.KeepWeekly < 0 {
		add("backup.keep_weekly", "must not be negative, got %d", c.Backup.KeepWeekly)
	}
	if c.Backup.CommandTimeoutSeconds <= 0 {
		add("backup.command_timeout_seconds", "must be positive, got %d", c.Backup.CommandTimeoutSeconds)
	}
	if len(c.Backup.Command) > 0 {
		if strings.TrimSpace(c.Backup.Command[0]) == "" {
			add("backup.command[0]", "names the program to run")
		}
		if !strings.Contains(strings.Join(c.Backup.Command, " "), "{file}") && !strings.Contains(strings.Join(c.Backup.Command, " "), "{name}") {
			add("backup.command", "never names the backup: put {file} (its path) or {name} (its file name) among the arguments")
		}
	}
	for i, d := range c.Alerts.Ladder {
		if d < 0 {
			add(fmt.Sprintf("alerts.ladder[%d]", i), "must not be negative")
		}
	}
	for i, co := range c.Alerts.Coordinators {
		if !strings.Contains(co.Email, "@") {
			add(fmt.Sprintf("alerts.coordinators[%d].email", i), "%q is not an e-mail address", co.Email)
		}
	}
	for plan, addrs := range c.Alerts.Contacts {
		for _, a := range addrs {
			if !strings.Contains(a, "@") {
				add("alerts.contacts."+plan, "%q is not an e-mail address", a)
			}
		}
	}
	for i, w := range c.Alerts.Webhooks {
		key := fmt.Sprintf("alerts.webhooks[%d]", i)
		if !strings.HasPrefix(w.URL, "http://") && !strings.HasPrefix(w.URL, "https://") {
			add(key+".url", "%q is not an http(s) URL", w.URL)
		}
		switch w.Format {
		case "", "generic", "teams", "slack":
		default:
			add(key+".format", "unknown format %q (generic, teams or slack)", w.Format)
		}
	}
	for i, cr := range c.Placement.Criteria {
		key := fmt.Sprintf("placement.criteria[%d]", i)
		if cr.Column == "" {
			add(key+".column", "names the criteria sheet's column")
		}
		if cr.Weight < 0 {
			add(key+".weight", "must not be negative")
		}
		switch cr.Direction {
		case "", "early", "late":
		default:
			add(key+".direction", "unknown %q (early or late)", cr.Direction)
		}
	}
	for i, dep := range c.Placement.Dependencies {
		if dep.Solution == "" || dep.After == "" || strings.EqualFold(dep.Solution, dep.After) {
			add(fmt.Sprintf("placement.dependencies[%d]", i), "needs two different solutions: solution and after")
		}
	}
	if c.SMTP.Host != "" && !strings.Contains(c.SMTP.From, "@") {
		add("smtp.from", "the sender address is missing or not an e-mail address")
	}
	switch c.SMTP.Security {
	case "starttls", "tls", "none":
	default:
		add("smtp.security", "unknown %q (starttls, tls or none)", c.SMTP.Security)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add("log.format", "unknown %q (text or json)", c.Log.Format)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		add("log.level", "unknown %q (debug, info, warn or error)", c.Log.Level)
	}
	c.validateM365(add)
	if c.Google.RequestsPerMinute <= 0 {
		add("google.requests_per_minute", "must be positive")
	}
	if sub := c.Google.Subject; sub != "" && (!strings.Contains(sub, "@") || strings.ContainsAny(sub, " \t")) {
		add("google.subject", "%q is not an e-mail address: write the Google Workspace user the service account acts as", sub)
	}
	if _, err := regexp.Compile(c.Rules.GoLiveTask); err != nil {
		add("rules.go_live_task", "not a regular expression: %v", err)
	}
	for i, d := range c.Rules.Closures {
		if _, err := model.ParseISODate(d); err != nil {
			add(fmt.Sprintf("rules.closures[%d]", i), "%q is not a date: write YYYY-MM-DD", d)
		}
	}
	c.munis = nil
	if m, err := municipality.NewMatcher(c.Municipalities.Aliases); err != nil {
		named := false
		for _, a := range sortedKeys(c.Municipalities.Aliases) {
			if _, err := municipality.NewMatcher(map[string]string{a: c.Municipalities.Aliases[a]}); err != nil {
				add("municipalities.aliases."+a, "%v", err)
				named = true
			}
		}
		if !named {
			add("municipalities.aliases", "%v", err)
		}
	} else {
		c.munis = m
	}
	for i, p := range c.Ignore {
		if strings.TrimSpace(p) == "" || strings.Trim(p, "*") == "" {
			add(fmt.Sprintf("ignore[%d]", i), "%q would ignore every file: name a part of the file name, such as *Kopi*", p)
		}
	}
	for i, p := range c.Prefer {
		if strings.TrimSpace(p) == "" || strings.Trim(p, "*") == "" {
			add(fmt.Sprintf("prefer[%d]", i), "%q matches every file: name a part of the preferred file's name or path", p)
		}
	}
	names := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.Name == "":
			add(key+".name", "every source needs a name")
		case strings.ContainsAny(s.Name, " /\\"):
			add(key+".name", "%q: use letters, digits, - and _ only", s.Name)
		default:
			if j, dup := names[s.Name]; dup {
				add(key+".name", "%q is also the name of sources[%d]", s.Name, j)
			}
			names[s.Name] = i
		}
		switch s.Kind {
		case KindFiles:
			if s.Path == "" {
				add(key+".path", "a files source needs a folder or a glob")
			} else if _, err := filepath.Match(s.Path, ""); err != nil {
				add(key+".path", "bad glob %q: %v", s.Path, err)
			}
			if len(s.Spreadsheets) > 0 || len(s.Folders) > 0 {
				add(key+".kind", "files sources read a path; spreadsheets and folders belong to kind gsheets")
			}
			if s.Site != "" || len(s.Links) > 0 || s.Library != "" || s.Tenant != "" {
				add(key+".kind", "files sources read a path; site, library, links and tenant belong to kind m365")
			}
		case KindGSheets:
			if len(s.Spreadsheets) == 0 && len(s.Folders) == 0 {
				add(key+".spreadsheets", "a gsheets source needs spreadsheets or folders (IDs or URLs)")
			}
			if s.Path != "" || s.Recursive {
				add(key+".path", "a gsheets source reads spreadsheets and folders, not a path")
			}
			for j, link := range s.Spreadsheets {
				if strings.Contains(link, "/spreadsheets/d/e/") {
					add(fmt.Sprintf("%s.spreadsheets[%d]", key, j), "%q is the link of a published copy, which does not name the spreadsheet: copy the link from the spreadsheet's address bar (…/spreadsheets/d/<ID>/edit)", link)
				}
			}
			if s.Site != "" || len(s.Links) > 0 || s.Library != "" || s.Tenant != "" {
				add(key+".kind", "site, library, links and tenant belong to kind m365")
			}
		case KindM365:
			c.validateM365Source(s, key, add)
		case "":
			add(key+".kind", "missing (files, gsheets or m365)")
		default:
			add(key+".kind", "unknown kind %q (files, gsheets or m365)", s.Kind)
		}
		if s.Municipality != "" {
			if name, err := c.MunicipalityMatcher().Canonical(s.Municipality); err != nil {
				add(key+".municipality", "%v (or add it to municipalities.aliases)", err)
			} else {
				s.Municipality = name
			}
		}
		if s.Pattern != "" {
			re, err := compilePattern(s.Pattern)
			if err != nil {
				add(key+".pattern", "%q %v", s.Pattern, err)
			}
			s.patternRe = re
			if s.Municipality != "" && strings.Contains(s.Pattern, "{municipality}") {
				add(key+".pattern", "takes {municipality} from the file name, but municipality is also fixed: keep one")
			}
			if s.Solution != "" && strings.Contains(s.Pattern, "{solution}") {
				add(key+".pattern", "takes {solution} from the file name, but solution is also fixed: keep one")
			}
		}
	}
	return errors.Join(errs...)
}

// validateM365 checks the Graph client's settings when an m365 source
// uses them.
func (c *Config) validateM365(add func(key, format string, args ...any)) {
	m := c.M365
	if m.ClientSecret != "" {
		add("m365.client_secret", "a secret is never written in the configuration: put it in an environment variable named by client_secret_env, or a file named by client_secret_file (better: a client certificate)")
	}
	if m.RequestsPerMinute <= 0 {
		add("m365.requests_per_minute", "must be positive")
	}
	if m.MaxConcurrent <= 0 {
		add("m365.max_concurrent", "must be positive")
	}
	for key, u := range map[string]string{"m365.graph_endpoint": m.GraphEndpoint, "m365.authority_host": m.AuthorityHost} {
		if u != "" && !strings.HasPrefix(u, "https://") {
			add(key, "%q is not an https URL", u)
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
		add("m365.client_id", "m365 sources need the app registration's application (client) ID")
	}
	n := 0
	for _, v := range []string{m.ClientCertificate, m.ClientSecretEnv, m.ClientSecretFile} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		add("m365", "m365 sources need client_certificate (preferred), client_secret_env or client_secret_file")
	case n > 1:
		add("m365", "give one of client_certificate, client_secret_env and client_secret_file")
	}
	if m.ClientCertificatePasswordEnv != "" && m.ClientCertificate == "" {
		add("m365.client_certificate_password_env", "is the password of client_certificate, which is not set")
	}
}

var tenantRe = regexp.MustCompile(`^[0-9A-Za-z.-]+$`)

func (c *Config) validateM365Source(s *Source, key string, add func(key, format string, args ...any)) {
	if s.Site == "" && len(s.Links) == 0 {
		add(key+".site", "an m365 source needs a site URL (https://kommune.sharepoint.com/sites/Udrulning) or links (sharing links)")
	}
	if s.Site != "" {
		if u, err := url.Parse(s.Site); err != nil || u.Scheme != "https" || u.Host == "" {
			add(key+".site", "%q is not a site URL such as https://kommune.sharepoint.com/sites/Udrulning", s.Site)
		}
	} else if s.Library != "" || len(s.Folders) > 0 {
		add(key+".library", "library and folders are read in a site: give site")
	}
	for i, l := range s.Links {
		if u, err := url.Parse(l); err != nil || u.Scheme != "https" || u.Host == "" {
			add(fmt.Sprintf("%s.links[%d]", key, i), "%q is not a sharing link (https://kommune.sharepoint.com/:x:/s/…)", l)
		}
	}
	if s.Path != "" || len(s.Spreadsheets) > 0 {
		add(key+".path", "an m365 source reads a site's folders and sharing links, not a path or spreadsheets")
	}
	tenant := s.Tenant
	if tenant == "" {
		tenant = c.M365.TenantID
	}
	switch {
	case tenant == "":
		add(key+".tenant", "no tenant: set m365.tenant_id or the source's tenant (the directory ID or kommune.onmicrosoft.com)")
	case !tenantRe.MatchString(tenant):
		add(key+".tenant", "%q is not a tenant ID or domain", tenant)
	}
}

// Warnings are what a valid configuration does that is unsafe: a password
// written in the file instead of taken from the environment, an HTTP
// endpoint reachable from other machines without authentication in front
// (http.auth). Each names its key and line, like the errors of Validate.
func (c *Config) Warnings() []*FieldError {
	var out []*FieldError
	add := func(key, format string, args ...any) {
		out = append(out, &FieldError{File: c.path, Line: c.lines.line("$." + key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if c.SMTP.Password != "" {
		add("smtp.password", "the password is written in the configuration file: anyone who can read the file can read it; "+
			"put it in an environment variable and name that with smtp.password_env (and keep the file readable by udrul only)")
	}
	if l := c.HTTP.Listen; l != "" && l != "off" && !c.HTTP.ListenIsLoopback() && !c.HTTP.Auth.Configured() {
		add("http.listen", "%s is reachable from other machines without authentication in front: udrul run refuses it; "+
			"listen on 127.0.0.1, configure OpenID Connect login (http.auth.oidc), or put an authenticating proxy in front and configure http.auth", l)
	}
	if o := c.HTTP.Auth.OIDC; o.On() && !strings.EqualFold(o.EmailClaim, "email") && !o.EmailClaimVerified {
		add("http.auth.oidc.email_claim", "%s is not a verified address: a login counts it only when the email claim holds the same address, marked verified (email_verified or Entra ID's xms_edov), "+
			"else only members of coordinator_groups get in; with Entra ID prefer email with the optional claims email and xms_edov, or upn with email_claim_verified: true for members of your own tenant", o.EmailClaim)
	}
	if c.HTTP.Auth.OIDC.On() && strings.HasPrefix(c.HTTP.Redirect(), "http://") && !c.HTTP.ListenIsLoopback() {
		add("http.public_url", "the web view's login is served over plain http: session cookies cross the network readable by anyone on the way; serve it over https (a proxy with a certificate) and set public_url to the https address")
	}
	if l := c.HTTP.Listen; l != "" && l != "off" && c.HTTP.Exposed() && c.HTTP.MetricsTokenFile == "" && c.HTTP.MetricsTokenEnv == "" {
		add("http.metrics_token_file", "/metrics is reached from other machines and opens only to a coordinator's login: Prometheus cannot scrape it; "+
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
	add := func(key, format string, args ...any) {
		out = append(out, &FieldError{File: c.path, Line: c.lines.line("$." + key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if c.SMTP.Host == "" {
		if len(c.Alerts.Coordinators) > 0 {
			add("alerts.coordinators", "e-mail cannot be sent: no SMTP server is configured (smtp.host); 'udrul alerts --dry-run' shows what would be sent")
		}
		if len(c.Alerts.Contacts) > 0 {
			add("alerts.contacts", "e-mail cannot be sent: no SMTP server is configured (smtp.host); 'udrul alerts --dry-run' shows what would be sent")
		}
	}
	for i, s := range c.Sources {
		if s.Kind != KindFiles || s.Path == "" {
			continue
		}
		key := fmt.Sprintf("sources[%d].path", i)
		path := c.SourcePath(s)
		if strings.ContainsAny(s.Path, "*?[") {
			matches, _ := filepath.Glob(path)
			if !containsPlan(matches, planExts) {
				add(key, "no plan files match %s", path)
			}
			continue
		}
		fi, err := os.Stat(path)
		switch {
		case err != nil:
			add(key, "the folder %s does not exist", path)
		case !fi.IsDir():
			if !planExts[strings.ToLower(filepath.Ext(path))] {
				add(key, "%s is not a plan file (%s)", path, strings.Join(sortedKeys(planExts), ", "))
			}
		default:
			if !folderHasPlan(path, s.Recursive, planExts) {
				add(key, "the folder %s holds no plan files (%s)", path, strings.Join(sortedKeys(planExts), ", "))
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
