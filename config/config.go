// Package config reads udrul's YAML configuration: defaults first, then a
// strict decode (unknown keys are errors), then Validate, whose errors name
// the key and its line.
package config

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/municipality"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// Config is udrul's configuration.
type Config struct {
	// Database is the SQLite file; relative paths are relative to the
	// config file's folder. Default: udrul.db beside the config.
	Database string `yaml:"database"`
	// Timezone for "today", schedules and dates. Default Europe/Copenhagen.
	Timezone string `yaml:"timezone"`
	// Language of messages and reports: da (default) or en.
	Language string `yaml:"language"`
	// MaxFileSizeMiB refuses plan files that inflate beyond it. Default 256.
	MaxFileSizeMiB int64 `yaml:"max_file_size_mib"`
	// Limits bound what is read of each sheet: rows, columns and cells.
	Limits Limits `yaml:"limits"`
	// Columns adds column names per column: title, id, responsible,
	// performer, start, end, status, step, notes.
	Columns map[string][]string `yaml:"columns"`
	// Statuses adds status spellings: spelling → not_started, in_progress,
	// done or cancelled.
	Statuses map[string]string `yaml:"statuses"`
	// Solutions are the solution codes recognised in titles and file names.
	Solutions []string `yaml:"solutions"`
	// Municipalities tunes how municipalities are recognised.
	Municipalities Municipalities `yaml:"municipalities"`
	// Ignore lists file-name patterns that are never plans: copies and
	// backups ("*Kopi*", "*backup*"). * and ? as in globs, any case, matched
	// against the file name and its path within the source.
	Ignore []string `yaml:"ignore"`
	// Prefer lists patterns that settle two files claiming one plan: the
	// first pattern that exactly one of them matches names the file read.
	Prefer []string `yaml:"prefer"`
	// ShrinkGuard holds back a plan that suddenly loses most of its tasks.
	ShrinkGuard ShrinkGuard `yaml:"shrink_guard"`
	// Waves is the wave table per solution.
	Waves map[string]SolutionWaves `yaml:"waves"`
	// Placement configures `udrul waves`: capacities, criteria and
	// dependencies for proposing wave plans.
	Placement Placement `yaml:"placement"`
	// WaveTable is a spreadsheet (xlsx or csv) holding the wave table, read
	// on top of Waves; relative to the config file.
	WaveTable string `yaml:"wave_table"`
	// Sources are where the plans are read from.
	Sources []Source `yaml:"sources"`
	// Google configures the Google Sheets and Drive client.
	Google Google `yaml:"google"`
	// M365 configures the Microsoft Graph client (app registration).
	M365 M365 `yaml:"m365"`
	// Rules tunes the findings.
	Rules Rules `yaml:"rules"`
	// Templates is a folder of standard plans (YAML) that override the
	// built-in ones; relative to the config file.
	Templates string `yaml:"templates"`
	// Report configures the Excel report.
	Report Report `yaml:"report"`
	// Schedules of `udrul run`, as cron expressions in the time zone.
	Schedules Schedules `yaml:"schedules"`
	// Alerts configures who is told what.
	Alerts Alerts `yaml:"alerts"`
	// SMTP is the mail server alerts and reports are sent through.
	SMTP SMTP `yaml:"smtp"`
	// HTTP is the daemon's health, metrics and status endpoint.
	HTTP HTTP `yaml:"http"`
	// Log configures the daemon's logs.
	Log Log `yaml:"log"`
	// Backup configures the daemon's backups of the database.
	Backup Backup `yaml:"backup"`

	path  string
	loc   *time.Location
	lines *lineIndex
	munis *municipality.Matcher
	// contactKeys maps alerts.contacts keys as written to the names plans
	// have (Validate), for ContactWarnings to name the key the file has.
	contactKeys map[string]string
}

// Municipalities tunes how municipalities are recognised.
type Municipalities struct {
	// Aliases are other names for a municipality, as written in sheets and
	// file names: "Kbh": København. The target must be one of the 98.
	Aliases map[string]string `yaml:"aliases"`
}

// Municipalities returns the matcher of the 98 municipalities and the
// configured aliases.
func (c *Config) MunicipalityMatcher() *municipality.Matcher {
	if c.munis == nil {
		m, err := municipality.NewMatcher(c.Municipalities.Aliases)
		if err != nil {
			m = municipality.Default // Validate reported it
		}
		c.munis = m
	}
	return c.munis
}

// Limits bound what udrul reads of each sheet, so that memory follows what
// a plan can hold: values beyond the last row or column are reported and
// skipped (a sheet with more than a thousand of them is refused), and a
// sheet with more cells than Cells is refused.
type Limits struct {
	// Rows is the last row read (default 100,000).
	Rows int `yaml:"rows"`
	// Columns is the last column read (default 1,024, room for a Gantt
	// timeline with a column per day for almost three years).
	Columns int `yaml:"columns"`
	// Cells is the most cells kept per sheet, each row counted to its last
	// filled cell (default 2,000,000).
	Cells int `yaml:"cells"`
}

// ReadOptions are the options plan files are read with: the size limit,
// the sheet limits and the language of the reasons a file is refused.
func (c *Config) ReadOptions() grid.Options {
	return grid.Options{MaxSize: c.MaxFileSizeMiB << 20, Lang: c.Language,
		Limits: grid.Limits{Rows: c.Limits.Rows, Columns: c.Limits.Columns, Cells: c.Limits.Cells}}
}

// Rules tunes the findings; days are working days.
type Rules struct {
	// DueSoonDays: a task ending within this many working days is due soon.
	DueSoonDays int `yaml:"due_soon_days"`
	// RedOverdueDays: a task more than this many working days overdue makes
	// its plan red.
	RedOverdueDays int `yaml:"red_overdue_days"`
	// StaleDays: a plan whose sheet has not changed for this many calendar
	// days is stale.
	StaleDays int `yaml:"stale_days"`
	// SyncStaleDays: a plan not read successfully for this many calendar
	// days is stale.
	SyncStaleDays int `yaml:"sync_stale_days"`
	// LoadTasksPerWeek: more tasks than this running in one week across a
	// municipality's solutions is a load peak.
	LoadTasksPerWeek int `yaml:"load_tasks_per_week"`
	// GoLiveGapDays: two solutions going live closer than this in one
	// municipality is a load peak.
	GoLiveGapDays int `yaml:"go_live_gap_days"`
	// BeforeGoLiveSteps are the steps (label prefixes) whose tasks must end
	// before the wave's go-live.
	BeforeGoLiveSteps []string `yaml:"before_go_live_steps"`
	// GoLiveTask recognises a plan's go-live task by its title.
	GoLiveTask string `yaml:"go_live_task"`
	// Closures are extra non-working days (YYYY-MM-DD).
	Closures []string `yaml:"closures"`
	// ForecastAmberDays: a plan forecast to be ready with less slack than
	// this many working days before its go-live (and less than its own
	// dates give) is at risk (amber); ready after the go-live is red.
	ForecastAmberDays int `yaml:"forecast_amber_days"`
	// ForecastOverdueShare: an overdue task in progress is forecast to take
	// this share of its planned duration from today.
	ForecastOverdueShare float64 `yaml:"forecast_overdue_share"`
}

// Placement configures wave planning.
type Placement struct {
	// Year of the planning process (its calendar: criteria in June, …,
	// decision in December). Default: the current year.
	Year int `yaml:"year"`
	// PreferenceWeight is the cost of each wave away from a municipality's
	// preferred one (default 10).
	PreferenceWeight float64 `yaml:"preference_weight"`
	// SizeColumn names the criteria sheet's size column (default:
	// Størrelse, Size, Borgere, Indbyggere, Sager, Cases).
	SizeColumn string `yaml:"size_column"`
	// Criteria are the criteria sheet's numeric columns that weigh.
	Criteria []PlacementCriterion `yaml:"criteria"`
	// Capacity per solution and wave.
	Capacity map[string]map[string]WaveCapacity `yaml:"capacity"`
	// Dependencies: a solution goes live after another in each
	// municipality.
	Dependencies []Dependency `yaml:"dependencies"`
}

// PlacementCriterion is a weighted column of the criteria sheet.
type PlacementCriterion struct {
	Column    string  `yaml:"column"`
	Weight    float64 `yaml:"weight"`
	Direction string  `yaml:"direction"` // early or late: where high values go
}

// WaveCapacity limits a wave.
type WaveCapacity struct {
	Municipalities int     `yaml:"municipalities"`
	Size           float64 `yaml:"size"`
}

// Dependency: Solution goes live in a municipality only after After did.
type Dependency struct {
	Solution string `yaml:"solution"`
	After    string `yaml:"after"`
}

// Schedules are cron expressions (5 fields, or @every 15m, @daily ...).
type Schedules struct {
	Sync   string `yaml:"sync"`
	Alerts string `yaml:"alerts"`
	Report string `yaml:"report"`
	Outbox string `yaml:"outbox"`
	// Backup is when the daemon backs up the database (default nightly,
	// "30 3 * * *": after 03:00, so that the nights the clocks change have
	// one backup each; "off" for never).
	Backup string `yaml:"backup"`
}

// Backup configures the daemon's backups of the database.
type Backup struct {
	// Dir is the folder backups are written to (default: backups beside the
	// config file); relative to the config file.
	Dir string `yaml:"dir"`
	// KeepDaily: the newest backup of each of this many newest days is kept
	// (default 7).
	KeepDaily int `yaml:"keep_daily"`
	// KeepWeekly: the newest backup of each of this many newest ISO weeks
	// is kept as well (default 8).
	KeepWeekly int `yaml:"keep_weekly"`
	// Command runs on each new backup, for an off-machine copy: a program
	// and its arguments, {file} replaced by the backup's path and {name}
	// by its file name. No shell unless it names one (["sh", "-c", "..."]).
	Command []string `yaml:"command"`
	// CommandTimeoutSeconds stops the command after this long (default
	// 600).
	CommandTimeoutSeconds int `yaml:"command_timeout_seconds"`
}

// BackupDir is the backup folder resolved against the config.
func (c *Config) BackupDir() string { return c.resolve(c.Backup.Dir) }

// Alerts configures the digests.
type Alerts struct {
	// Ladder: due-soon alerts this many working days before the end date.
	Ladder []int `yaml:"ladder"`
	// EscalateDays: an escalation when a task is more than this many
	// working days overdue.
	EscalateDays int `yaml:"escalate_days"`
	// Contacts per plan ("Aarhus/KY") or municipality ("Aarhus").
	Contacts map[string][]string `yaml:"contacts"`
	// ContactsFromSheets also takes e-mail addresses from the plans' own
	// key/value lines ("Projektleder: navn@kommune.dk").
	ContactsFromSheets bool `yaml:"contacts_from_sheets"`
	// Coordinators get everything, or the solutions and waves named.
	Coordinators []Coordinator `yaml:"coordinators"`
	// Webhooks get digests as JSON posts.
	Webhooks []Webhook `yaml:"webhooks"`
	// RetrySeconds is the wait after a failed delivery, doubling with each
	// failure up to an hour (default 60).
	RetrySeconds int `yaml:"retry_seconds"`
}

// Coordinator is a programme coordinator's e-mail and filter.
type Coordinator struct {
	Email     string   `yaml:"email"`
	Solutions []string `yaml:"solutions"`
	Waves     []string `yaml:"waves"`
}

// Webhook is a webhook receiver of digests.
type Webhook struct {
	Name      string   `yaml:"name"`
	URL       string   `yaml:"url"`
	Format    string   `yaml:"format"` // generic, teams or slack
	Solutions []string `yaml:"solutions"`
	Waves     []string `yaml:"waves"`
}

// SMTP is a mail server.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Security string `yaml:"security"` // starttls (default), tls, none
	Username string `yaml:"username"`
	// Password, or PasswordEnv naming an environment variable holding it.
	Password    string `yaml:"password"`
	PasswordEnv string `yaml:"password_env"`
	From        string `yaml:"from"`
}

// HTTP is the daemon's endpoint.
type HTTP struct {
	Listen string `yaml:"listen"` // default 127.0.0.1:8480; "" or "off" disables
	// ReadyMinutes: /readyz fails when no source synced successfully for
	// this many minutes (default 60).
	ReadyMinutes int `yaml:"ready_minutes"`
	// PublicURL is the web view's address as people reach it
	// (https://udrul.kommune.dk); digests and reports link to it.
	PublicURL string `yaml:"public_url"`
	// Auth is who may see the web view when it listens beyond loopback.
	Auth WebAuth `yaml:"auth"`
	// MetricsTokenFile (relative to the config file) or MetricsTokenEnv
	// (an environment variable) holds the bearer token that opens
	// /metrics, and /readyz's details, when the endpoint is reached from
	// other machines (see Exposed): Prometheus sends it with
	// authorization.credentials_file.
	MetricsTokenFile string `yaml:"metrics_token_file"`
	MetricsTokenEnv  string `yaml:"metrics_token_env"`
}

// WebAuth identifies the web view's users through a trusted reverse proxy
// (oauth2-proxy, an Entra ID application proxy, ...) that authenticates
// them and passes their e-mail address in a header.
type WebAuth struct {
	// ProxyHeader carries the authenticated e-mail (e.g. X-Forwarded-Email).
	ProxyHeader string `yaml:"proxy_header"`
	// TrustedProxies are the proxy's addresses or networks (CIDR).
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Coordinators see everything.
	Coordinators []string `yaml:"coordinators"`
	// MunicipalityDomains maps an e-mail domain to the municipality whose
	// plans its people see ("aarhus.dk": Aarhus).
	MunicipalityDomains map[string]string `yaml:"municipality_domains"`
	// OIDC logs users in with OpenID Connect instead of a proxy.
	OIDC OIDC `yaml:"oidc"`
}

// OIDC is the web view's OpenID Connect login (Microsoft Entra ID or any
// standard provider).
type OIDC struct {
	// Issuer is the provider's issuer URL (for Entra ID
	// https://login.microsoftonline.com/<tenant>/v2.0).
	Issuer   string `yaml:"issuer"`
	ClientID string `yaml:"client_id"`
	// ClientSecretEnv names the environment variable holding the secret.
	ClientSecretEnv string `yaml:"client_secret_env"`
	// RedirectURL is registered with the provider; default public_url +
	// /auth/callback.
	RedirectURL string `yaml:"redirect_url"`
	// EmailClaim is the ID token's e-mail claim (default "email"). Its
	// address grants access only when verified: email_verified or, from
	// Entra ID, xms_edov is true for it (see EmailClaimVerified).
	EmailClaim string `yaml:"email_claim"`
	// EmailClaimVerified says the provider puts in EmailClaim only
	// addresses whose domain belongs to the user's organisation, without
	// saying so in the token: Entra ID's upn of a single-tenant
	// registration (a member's UPN suffix is always a domain the tenant
	// has verified). Refused for email and preferred_username.
	EmailClaimVerified bool `yaml:"email_claim_verified"`
	// GroupsClaim is the ID token's groups claim ("groups"); members of
	// CoordinatorGroups are coordinators.
	GroupsClaim       string   `yaml:"groups_claim"`
	CoordinatorGroups []string `yaml:"coordinator_groups"`
	// SessionKeyEnv or SessionKeyFile holds the key that signs session
	// cookies (at least 32 bytes); without either a random key is made at
	// each start, and a restart logs everyone out.
	SessionKeyEnv  string `yaml:"session_key_env"`
	SessionKeyFile string `yaml:"session_key_file"`
	// SessionHours is how long a login lasts (default 8, a working day);
	// `udrul sessions revoke` ends logins before their time.
	SessionHours int `yaml:"session_hours"`
}

// On reports whether OpenID Connect login is configured.
func (o OIDC) On() bool { return o.Issuer != "" }

// Redirect is the callback address the provider sends users back to.
func (h HTTP) Redirect() string {
	if h.Auth.OIDC.RedirectURL != "" {
		return h.Auth.OIDC.RedirectURL
	}
	if h.PublicURL == "" {
		return ""
	}
	return strings.TrimSuffix(h.PublicURL, "/") + "/auth/callback"
}

// Proxy reports whether a trusted proxy identifies users.
func (a WebAuth) Proxy() bool { return a.ProxyHeader != "" && len(a.TrustedProxies) > 0 }

// Configured reports whether web authentication is set up.
func (a WebAuth) Configured() bool { return a.Proxy() || a.OIDC.On() }

// Log configures logging.
type Log struct {
	Format string `yaml:"format"` // text or json
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// Report configures the Excel report.
type Report struct {
	// Dir is the folder reports are written to (default: the current
	// folder); relative to the config file.
	Dir string `yaml:"dir"`
	// Weeks is how many weeks the progress chart shows (default 12).
	Weeks int `yaml:"weeks"`
	// Keep is how many weekly reports `udrul run` keeps (default 12).
	Keep int `yaml:"keep"`
	// Email sends the weekly report to the coordinators.
	Email bool `yaml:"email"`
	// Split also writes each municipality's extract and sends it to the
	// municipality's contacts.
	Split bool `yaml:"split"`
}

// TemplatesDir is the standard-plan folder resolved against the config.
func (c *Config) TemplatesDir() string { return c.resolve(c.Templates) }

// ReportDir is the report folder resolved against the config.
func (c *Config) ReportDir() string { return c.resolve(c.Report.Dir) }

// SMTPPassword is the SMTP password, from the config or its variable.
func (c *Config) SMTPPassword() string {
	if c.SMTP.PasswordEnv != "" {
		return os.Getenv(c.SMTP.PasswordEnv)
	}
	return c.SMTP.Password
}

// GoLive returns a wave's go-live date from the wave table.
func (c *Config) GoLive(solution, wave string) model.Date {
	for sol, sw := range c.Waves {
		if strings.EqualFold(sol, solution) {
			if w, ok := sw.Waves[wave]; ok {
				return w.GoLiveDate()
			}
		}
	}
	return model.Date{}
}

// ClosureDates returns the closure days as dates.
func (r Rules) ClosureDates() []model.Date {
	var out []model.Date
	for _, s := range r.Closures {
		if d, err := model.ParseISODate(s); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// ShrinkGuard configures the guard against emptied or broken sheets.
type ShrinkGuard struct {
	// MaxLoss is the share of a plan's tasks that may disappear in one
	// read before the read is held (default 0.5: more than half).
	MaxLoss float64 `yaml:"max_loss"`
	// MinTasks: plans with fewer tasks than this are not guarded, except
	// against losing all of them. Default 4.
	MinTasks int `yaml:"min_tasks"`
	// MaxRetitled is the share of a plan's tasks whose titles may change
	// beyond small edits in one read before it is held: more looks like
	// another plan saved over the file (default 0.5; 1 turns it off).
	MaxRetitled float64 `yaml:"max_retitled"`
	// MaxTailLoss is the share of a plan's tasks that may disappear from
	// its end (the last rows, nothing after them) in one read before it is
	// held: more looks like a file cut off (default 0.2; 1 turns it off).
	MaxTailLoss float64 `yaml:"max_tail_loss"`
}

// SolutionWaves is one solution's wave table.
type SolutionWaves struct {
	// Waves maps a wave's name ("1") to its milestones.
	Waves map[string]Wave `yaml:"waves"`
	// Municipalities maps a municipality to its wave.
	Municipalities map[string]string `yaml:"municipalities"`
}

// Wave is a wave's milestone dates, written YYYY-MM-DD.
type Wave struct {
	GoLive     string            `yaml:"go_live"`
	Milestones map[string]string `yaml:"milestones"`
}

// GoLiveDate is the wave's go-live date (zero when not set).
func (w Wave) GoLiveDate() model.Date {
	d, _ := model.ParseISODate(w.GoLive)
	return d
}

// Milestone returns a named milestone's date (zero when not set).
func (w Wave) Milestone(name string) model.Date {
	d, _ := model.ParseISODate(w.Milestones[name])
	return d
}

// Source kinds.
const (
	KindFiles   = "files"
	KindGSheets = "gsheets"
	KindM365    = "m365"
)

// M365 configures the Microsoft Graph client shared by all m365 sources:
// an Entra ID app registration signing in with a client certificate
// (preferred) or a client secret kept outside the configuration.
type M365 struct {
	// TenantID is the default tenant (directory ID or
	// kommune.onmicrosoft.com); a source may name its own.
	TenantID string `yaml:"tenant_id"`
	// ClientID is the app registration's application (client) ID.
	ClientID string `yaml:"client_id"`
	// ClientCertificate is a PEM file (certificate and private key) or a
	// PKCS#12 file; relative to the config file. Its password, if any, is
	// in the environment variable ClientCertificatePasswordEnv.
	ClientCertificate            string `yaml:"client_certificate"`
	ClientCertificatePasswordEnv string `yaml:"client_certificate_password_env"`
	// ClientSecretEnv names an environment variable holding the client
	// secret; ClientSecretFile a file holding it.
	ClientSecretEnv  string `yaml:"client_secret_env"`
	ClientSecretFile string `yaml:"client_secret_file"`
	// ClientSecret is refused: a secret is never written in the
	// configuration.
	ClientSecret string `yaml:"client_secret"`
	// RequestsPerMinute is the client-side rate limit (default 300).
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// MaxConcurrent caps Graph requests in flight (default 4).
	MaxConcurrent int `yaml:"max_concurrent"`
	// GraphEndpoint and AuthorityHost replace Microsoft's (national
	// clouds, a proxy, a test).
	GraphEndpoint string `yaml:"graph_endpoint"`
	AuthorityHost string `yaml:"authority_host"`
}

// M365Certificate is the certificate file resolved against the config's
// folder.
func (c *Config) M365Certificate() string { return c.resolve(c.M365.ClientCertificate) }

// SessionKeyPath is http.auth.oidc.session_key_file resolved against the
// config's folder, as the other files are.
func (c *Config) SessionKeyPath() string { return c.resolve(c.HTTP.Auth.OIDC.SessionKeyFile) }

// MetricsTokenPath is http.metrics_token_file resolved against the
// config's folder.
func (c *Config) MetricsTokenPath() string { return c.resolve(c.HTTP.MetricsTokenFile) }

// M365SecretFile is the secret file resolved against the config's folder.
func (c *Config) M365SecretFile() string { return c.resolve(c.M365.ClientSecretFile) }

// Google configures the client shared by all Google sources.
type Google struct {
	// Credentials is a service-account key file; default
	// $GOOGLE_APPLICATION_CREDENTIALS, else Application Default Credentials.
	Credentials string `yaml:"credentials"`
	// Subject is the Google Workspace user the service account acts as
	// (domain-wide delegation); "" means the service account itself.
	Subject string `yaml:"subject"`
	// RequestsPerMinute is the client-side rate limit (default 50).
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// DriveEndpoint and SheetsEndpoint replace Google's (a proxy, a test).
	DriveEndpoint  string `yaml:"drive_endpoint"`
	SheetsEndpoint string `yaml:"sheets_endpoint"`
}

// WaveTablePath is the wave-table spreadsheet resolved against the config.
func (c *Config) WaveTablePath() string { return c.resolve(c.WaveTable) }

// SetWave records a wave's go-live and milestones and, if municipality is
// given, that it is in the wave: a wave table read from a spreadsheet (or
// decided) is merged with this.
func (c *Config) SetWave(solution, wave, municipality string, goLive model.Date, milestones map[string]model.Date) {
	if c.Waves == nil {
		c.Waves = map[string]SolutionWaves{}
	}
	sw := c.Waves[solution]
	if sw.Waves == nil {
		sw.Waves = map[string]Wave{}
	}
	if sw.Municipalities == nil {
		sw.Municipalities = map[string]string{}
	}
	w := sw.Waves[wave]
	if !goLive.IsZero() {
		w.GoLive = goLive.String()
	}
	for k, d := range milestones {
		if w.Milestones == nil {
			w.Milestones = map[string]string{}
		}
		w.Milestones[k] = d.String()
	}
	sw.Waves[wave] = w
	if municipality != "" {
		sw.Municipalities[municipality] = wave
	}
	c.Waves[solution] = sw
}

// GoogleCredentials is the key file resolved against the config's folder.
func (c *Config) GoogleCredentials() string { return c.resolve(c.Google.Credentials) }

// Source is a place plans are read from.
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
	// Path is a folder (all plan files in it) or a glob ("/mnt/plans/*.xlsx").
	Path string `yaml:"path"`
	// Recursive also reads the folder's subfolders.
	Recursive bool `yaml:"recursive"`
	// LinksOutside follows links in a files source's folder that lead out
	// of it (refused by default).
	LinksOutside bool `yaml:"links_outside"`
	// Spreadsheets (IDs or URLs) and Folders (Drive folder IDs or URLs) of
	// a gsheets source.
	Spreadsheets []string `yaml:"spreadsheets"`
	Folders      []string `yaml:"folders"`
	// Tenant, Site, Library and Links of an m365 source: the tenant (ID or
	// domain; default m365.tenant_id), the SharePoint site's URL, its
	// document library, and sharing links to files or folders; Folders
	// are then folder paths in the library.
	Tenant  string   `yaml:"tenant"`
	Site    string   `yaml:"site"`
	Library string   `yaml:"library"`
	Links   []string `yaml:"links"`
	// Municipality, Solution and Wave fix the plan's identity for every file
	// of the source.
	Municipality string `yaml:"municipality"`
	Solution     string `yaml:"solution"`
	Wave         string `yaml:"wave"`
	// Pattern takes the identity from the file name:
	// "{solution}_{municipality}*.xlsx"; placeholders {municipality},
	// {solution}, {wave}; * and ? as in globs.
	Pattern string `yaml:"pattern"`

	patternRe *regexp.Regexp
}

// Default returns the configuration with every default set.
func Default() *Config {
	return &Config{
		Database:       "udrul.db",
		Timezone:       "Europe/Copenhagen",
		Language:       "da",
		MaxFileSizeMiB: 64,
		Limits:         Limits{Rows: grid.DefaultMaxRows, Columns: grid.DefaultMaxColumns, Cells: grid.DefaultMaxCells},
		ShrinkGuard:    ShrinkGuard{MaxLoss: 0.5, MinTasks: 4, MaxRetitled: 0.5, MaxTailLoss: 0.2},
		Rules: Rules{
			DueSoonDays: 5, RedOverdueDays: 10, StaleDays: 28, SyncStaleDays: 2, ForecastAmberDays: 5, ForecastOverdueShare: 0.25,
			LoadTasksPerWeek: 25, GoLiveGapDays: 20,
			BeforeGoLiveSteps: []string{"Trin 0", "Trin 1", "Trin 2", "Trin 3"},
			GoLiveTask:        "(?i)idriftsættelse|go-live|golive",
		},
		Report:    Report{Weeks: 12, Keep: 12},
		Schedules: Schedules{Sync: "*/15 * * * *", Alerts: "0 7 * * 1-5", Report: "0 6 * * 1", Outbox: "@every 1m", Backup: "30 3 * * *"},
		Backup:    Backup{Dir: "backups", KeepDaily: 7, KeepWeekly: 8, CommandTimeoutSeconds: 600},
		Alerts:    Alerts{Ladder: []int{10, 5, 2, 0}, EscalateDays: 10, ContactsFromSheets: true, RetrySeconds: 60},
		SMTP:      SMTP{Port: 587, Security: "starttls"},
		HTTP:      HTTP{Listen: "127.0.0.1:8480", ReadyMinutes: 60, Auth: WebAuth{OIDC: OIDC{EmailClaim: "email", SessionHours: 8}}},
		Log:       Log{Format: "text", Level: "info"},
		Google:    Google{RequestsPerMinute: 50},
		M365:      M365{RequestsPerMinute: 300, MaxConcurrent: 4},
	}
}

// Load reads and validates the configuration file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	defer f.Close()
	c, err := Parse(f, path)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse decodes a configuration from r over the defaults and validates it;
// name is the file's path, used in errors and to resolve relative paths.
func Parse(r io.Reader, name string) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &FieldError{File: name, Msg: tr(envLanguage() == "en", "konfigurationen kan ikke læses (en fejl ved læsning af filen)",
			"the configuration cannot be read (an error reading the file)"), cause: err}
	}
	c := Default()
	c.path = name
	if len(bytes.TrimSpace(data)) > 0 {
		if dups := duplicateKeys(name, data, problemsEnglish(data)); len(dups) > 0 {
			// Every key written twice, and the unknown keys too, in one run.
			problems := append(dups, unknownKeys(name, data, problemsEnglish(data))...)
			sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
			return nil, joinFieldErrors(problems)
		}
		if unknown := unknownKeys(name, data, problemsEnglish(data)); len(unknown) > 0 {
			// Every unknown key in one run, and a value of the wrong type
			// among the known keys too.
			if err := yaml.UnmarshalWithOptions(data, Default()); err != nil {
				var fe *FieldError
				if errors.As(yamlError(name, data, err), &fe) {
					unknown = append(unknown, fe)
				}
			}
			sort.SliceStable(unknown, func(i, j int) bool { return unknown[i].Line < unknown[j].Line })
			return nil, joinFieldErrors(unknown)
		}
		// A file of comments only (or "---", "null") holds no settings:
		// decoded, it would empty every default.
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil || doc != nil {
			if err := yaml.UnmarshalWithOptions(data, c, yaml.Strict()); err != nil {
				return nil, yamlError(name, data, err)
			}
		}
	}
	c.lines = indexLines(data)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Path is the file the configuration was read from ("" when built in code).
func (c *Config) Path() string { return c.path }

// Location is the configured time zone.
func (c *Config) Location() *time.Location {
	if c.loc == nil {
		c.loc, _ = time.LoadLocation(c.Timezone)
		if c.loc == nil {
			c.loc = time.UTC
		}
	}
	return c.loc
}

// DatabasePath is the database file, resolved against the config's folder.
func (c *Config) DatabasePath() string {
	return c.resolve(c.Database)
}

// resolve makes p, when relative, absolute against the config's folder:
// not against the folder udrul was started in, which a relative --config
// (or a relative p and no config file) would make it. A files source's
// documents are known by their paths: `udrul --config udrul.yaml sync` in
// the config's folder and `udrul --config d/udrul.yaml sync` beside it
// named every file otherwise, each taking the other's files for gone and
// reading them all again.
func (c *Config) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if c.path != "" {
		p = filepath.Join(filepath.Dir(c.path), p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// SourcePath is a source's path resolved against the config's folder.
func (c *Config) SourcePath(s Source) string { return c.resolve(s.Path) }

// Source returns the named source.
func (c *Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// WaveOf returns a municipality's wave for a solution from the wave table.
func (c *Config) WaveOf(solution, municipality string) string {
	for sol, sw := range c.Waves {
		if !strings.EqualFold(sol, solution) {
			continue
		}
		for m, w := range sw.Municipalities {
			if strings.EqualFold(m, municipality) {
				return w
			}
		}
		// The wave table may spell the name another way ("Hoeje-Taastrup").
		for m, w := range sw.Municipalities {
			if name, err := c.MunicipalityMatcher().Canonical(m); err == nil && name == municipality {
				return w
			}
		}
	}
	return ""
}

// ParserOptions returns the parser settings the configuration asks for.
func (c *Config) ParserOptions() parse.Options {
	extra := map[parse.Role][]string{}
	for name, aliases := range c.Columns {
		if r, err := parse.ParseRole(name); err == nil {
			extra[r] = aliases
		}
	}
	cols, _ := parse.NewColumns(extra)
	statuses := map[string]model.Status{}
	for k, v := range c.Statuses {
		statuses[k] = model.Status(v)
	}
	opts := parse.Options{Columns: cols, Statuses: parse.NewStatusMapper(statuses), Lang: parse.Lang(c.Language),
		GoLive: func(municipality, solution, wave string) model.Date {
			if wave == "" {
				wave = c.WaveOf(solution, municipality)
			}
			return c.GoLive(solution, wave)
		}}
	if len(c.Solutions) > 0 {
		opts.Solutions = c.Solutions
	}
	return opts
}

// ReadFingerprint is a short digest of the settings that change what a
// file reads as: the language of its problems, extra column names and
// status spellings, the solutions, the waves (a date without a year takes
// its go-live's), the reading limits, and what each source says of its
// plans (municipality, solution, wave, pattern). The syncer re-reads a file whose
// last read had another fingerprint, though the file did not change.
func (c *Config) ReadFingerprint() string {
	// What each source says of its plans (municipality, solution, wave,
	// the file-name pattern) names them and dates their loose dates.
	var named []string
	for _, src := range c.Sources {
		named = append(named, strings.Join([]string{src.Name, src.Municipality, src.Solution, src.Wave, src.Pattern}, "\x1f"))
	}
	b, err := json.Marshal(struct {
		Language  string
		Columns   map[string][]string
		Statuses  map[string]string
		Solutions []string
		Waves     map[string]SolutionWaves
		Limits    any
		Sources   []string
	}{c.Language, c.Columns, c.Statuses, c.Solutions, c.Waves, c.ReadOptions().Limits, named})
	if err != nil { // not reached: plain maps, strings and numbers
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// Identity is what the file name says of a plan, by a source's pattern.
type Identity struct{ Municipality, Solution, Wave string }

// MatchName applies the source's pattern to a file's base name.
func (s Source) MatchName(name string) (Identity, bool) {
	if s.patternRe == nil {
		return Identity{}, false
	}
	m := s.patternRe.FindStringSubmatch(name)
	if m == nil {
		return Identity{}, false
	}
	var id Identity
	for i, g := range s.patternRe.SubexpNames() {
		switch g {
		case "municipality":
			id.Municipality = strings.TrimSpace(m[i])
		case "solution":
			id.Solution = strings.TrimSpace(m[i])
		case "wave":
			id.Wave = strings.TrimSpace(m[i])
		}
	}
	return id, true
}

var placeholderRe = regexp.MustCompile(`\{[^}]*\}`)

// compilePattern turns "{solution}_{municipality}*.xlsx" into a regular
// expression with named groups.
func compilePattern(p string, english bool) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?i)^")
	rest := p
	seen := map[string]bool{}
	for rest != "" {
		loc := placeholderRe.FindStringIndex(rest)
		lit := rest
		if loc != nil {
			lit = rest[:loc[0]]
		}
		for _, r := range lit {
			switch r {
			case '*':
				b.WriteString(".*")
			case '?':
				b.WriteString(".")
			default:
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		if loc == nil {
			break
		}
		name := rest[loc[0]+1 : loc[1]-1]
		switch name {
		case "municipality", "solution":
			// Danish municipality names have hyphens, never spaces,
			// underscores or dots: those separate the parts of a name.
			b.WriteString("(?P<" + name + ">[^_. ]+)")
		case "wave":
			b.WriteString(`(?P<wave>\d+)`)
		default:
			return nil, errors.New(tr(english, "har en ukendt pladsholder {%s} (brug {municipality}, {solution} eller {wave})", "unknown placeholder {%s} (use {municipality}, {solution} or {wave})", name))
		}
		if seen[name] {
			return nil, errors.New(tr(english, "har pladsholderen {%s} to gange", "placeholder {%s} appears twice", name))
		}
		seen[name] = true
		rest = rest[loc[1]:]
	}
	if len(seen) == 0 {
		return nil, errors.New(tr(english, "har ingen pladsholder ({municipality}, {solution} eller {wave})", "has no placeholder ({municipality}, {solution} or {wave})"))
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// sortedKeys returns a map's keys in order, for deterministic validation.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lineIndex finds the line of a key path in the YAML source.
type lineIndex struct {
	file *ast.File
}

func indexLines(data []byte) *lineIndex {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return &lineIndex{}
	}
	return &lineIndex{file: f}
}

// line returns the line of the node at a YAML path such as
// "$.sources[0].pattern", or 0 when it is not in the file.
func (li *lineIndex) line(path string) int {
	if li == nil || li.file == nil {
		return 0
	}
	// A key that is not in the file (a missing name) is reported at its
	// parent.
	for path != "$" && path != "" {
		if p, err := yaml.PathString(path); err == nil {
			if n, err := p.FilterFile(li.file); err == nil && n != nil && n.GetToken() != nil {
				return n.GetToken().Position.Line
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// Identify names the plan in a document of source s: the source's fixed
// municipality, solution and wave first, then its file-name pattern, then
// what the plan says of itself (its lines, title or file name); the wave
// table fills a missing wave. The municipality must be one of the 98 (or a
// configured alias), in any spelling: anything else is refused, saying
// where the name was read.
func (c *Config) Identify(s Source, fileName string, md model.Metadata) (Identity, error) {
	id := Identity{Municipality: s.Municipality, Solution: s.Solution, Wave: s.Wave}
	en := c.English()
	where := ""
	if id.Municipality != "" {
		where = tr(en, "kilden %q", "sources %q", s.Name)
	}
	if fromName, ok := s.MatchName(fileName); ok {
		if id.Municipality == "" && fromName.Municipality != "" {
			where = tr(en, "filnavnet, efter mønsteret i kilden %q", "the file name, by the pattern of source %q", s.Name)
		}
		id.Municipality = firstNonEmpty(id.Municipality, fromName.Municipality)
		id.Solution = firstNonEmpty(id.Solution, fromName.Solution)
		id.Wave = firstNonEmpty(id.Wave, fromName.Wave)
	}
	if id.Municipality == "" && md.Municipality != "" {
		id.Municipality = md.Municipality
		where = originText(md.MunicipalityFrom, en)
	}
	id.Solution = firstNonEmpty(id.Solution, md.Solution)
	id.Wave = firstNonEmpty(id.Wave, md.Wave)
	munis := c.MunicipalityMatcher()
	if id.Municipality == "" {
		// An alias in the file name ("KY_Kbh.xlsx").
		base := strings.TrimSuffix(fileName, filepath.Ext(fileName))
		if m, _, ok := munis.Find(base); ok {
			id.Municipality, where = m.Name, tr(en, "filnavnet", "the file name")
		}
	}
	if id.Municipality != "" {
		name, err := munis.Canonical(id.Municipality)
		if err != nil {
			return id, errors.New(tr(en, "kommunen %q (fra %s) er ikke en af de 98 kommuner: ret stavningen, eller tilføj den under municipalities.aliases i konfigurationen",
				"the municipality %q (from %s) is not one of the 98 municipalities: correct its spelling, or add it to municipalities.aliases in the configuration",
				id.Municipality, where))
		}
		id.Municipality = name
	}
	solutions := c.Solutions
	if len(solutions) == 0 {
		solutions = parse.DefaultSolutions
	}
	id.Solution = canonical(strings.TrimSpace(id.Solution), solutions)
	var missing, keys []string
	if id.Municipality == "" {
		missing, keys = append(missing, tr(en, "kommune", "municipality")), append(keys, "municipality")
	}
	if id.Solution == "" {
		missing, keys = append(missing, tr(en, "løsning", "solution")), append(keys, "solution")
	}
	if len(missing) > 0 {
		and := tr(en, " og ", " and ")
		return id, errors.New(tr(en, "planens %s kan ikke afgøres: sæt %s i kilden %q, giv kilden et mønster (pattern) som \"{solution}_{municipality}*.xlsx\", eller skriv \"Kommune: …\" og \"Løsning: …\" over tabellen",
			"cannot tell the %s of this plan: set %s in source %q, give it a pattern such as \"{solution}_{municipality}*.xlsx\", or write \"Kommune: …\" and \"Løsning: …\" above the table",
			strings.Join(missing, and), strings.Join(keys, and), s.Name))
	}
	if id.Wave == "" {
		id.Wave = c.WaveOf(id.Solution, id.Municipality)
	}
	return id, nil
}

// originText says where in a plan a name was read.
func originText(o model.Origin, en bool) string {
	switch o.Kind {
	case model.FromLine:
		return tr(en, "linjen i %s!%s", "the line at %s!%s", o.Pos.Sheet, o.Pos.Cell)
	case model.FromTitle:
		return tr(en, "overskriften i %s!%s", "the title at %s!%s", o.Pos.Sheet, o.Pos.Cell)
	case model.FromFile:
		return tr(en, "filnavnet", "the file name")
	}
	return tr(en, "planen", "the plan")
}

// canonical returns the spelling in known that s equals ignoring case, or s.
func canonical(s string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, s) {
			return k
		}
	}
	return s
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var (
	//go:embed starter.yaml
	starter []byte
	//go:embed starter_en.yaml
	starterEnglish []byte
)

// Starter returns the commented starter configuration in Danish (its
// comments, and language: da).
func Starter() []byte { return StarterIn(false) }

// StarterIn returns the commented starter configuration with its comments
// in English and language: en when english is set, else in Danish.
func StarterIn(english bool) []byte {
	if english {
		return append([]byte(nil), starterEnglish...)
	}
	return append([]byte(nil), starter...)
}
