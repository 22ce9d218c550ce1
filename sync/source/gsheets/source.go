package gsheets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/googleapi"
)

// MIME types of the documents read.
const (
	MimeSheet    = "application/vnd.google-apps.spreadsheet"
	MimeFolder   = "application/vnd.google-apps.folder"
	MimeShortcut = "application/vnd.google-apps.shortcut"
	MimeXLSX     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MimeXLSM     = "application/vnd.ms-excel.sheet.macroEnabled.12"
	MimeCSV      = "text/csv"
)

// Errors a Google source reports, wrapped with the detail and what to do.
var (
	ErrNotShared   = errors.New("no access")
	ErrNotFound    = errors.New("not found")
	ErrRateLimited = errors.New("google's rate limit")
	ErrAPIDisabled = errors.New("google API not enabled")
	ErrScope       = errors.New("missing permission scope")
	ErrNoDownload  = errors.New("download not allowed")
	ErrBadLink     = errors.New("not a usable Google link")
)

// Field masks (developers.google.com/drive/api/guides/fields-parameter and
// .../sheets/api/guides/field-masks): only what udrul reads; a field left
// out is absent from Google's answer.
const (
	// fileFields are the Drive fields udrul reads of a file.
	fileFields = "id,name,mimeType,modifiedTime,version,trashed,webViewLink,driveId,shortcutDetails(targetId,targetMimeType),capabilities/canDownload"
	// folderFields are those of a folder, checked once per cycle.
	folderFields = "id,name,mimeType,driveId,trashed"
	// fillFields reads only the background colours, for the week columns
	// of a timeline.
	fillFields = "sheets(properties/sheetId,data(startRow,startColumn,rowData/values/effectiveFormat(backgroundColor,backgroundColorStyle/rgbColor)))"
)

// Config is one Google source.
type Config struct {
	Name string
	// Spreadsheets are spreadsheet IDs or URLs; Folders are Drive folder IDs
	// or URLs whose spreadsheets are all plans.
	Spreadsheets []string
	Folders      []string
	// MaxSize bounds a downloaded file and a spreadsheets.get answer
	// (default grid.DefaultMaxSize).
	MaxSize int64
	// ReadOpts are the grid readers' options: a native spreadsheet is
	// read only within ReadOpts.Limits (default: grid's), and what lies
	// beyond is told in ReadOpts.Lang, as the file readers tell it.
	ReadOpts grid.Options
}

// Source is a Google source.
type Source struct {
	c       *Client
	cfg     Config
	badLink error
	calls   atomic.Int64
	state   state
	meta    map[string]fileState // file ID → what the last listing said
	errs    map[string]error     // file ID → this cycle's look-up failure
}

// stateVersion changes when the kept state's meaning does; an older state
// is dropped and re-baselined.
const stateVersion = 2

// state is kept in the store between cycles: a Drive change token per
// change log, and what is known of the spreadsheets tracked through them.
type state struct {
	V       int    `json:"v"`
	Account string `json:"account,omitempty"` // whose change logs these are
	// Tokens hold a change token per change log: "" is the account's own
	// (My Drive and what is shared with it), others a shared drive's.
	Tokens map[string]string    `json:"tokens,omitempty"`
	Files  map[string]fileState `json:"files,omitempty"`
}

type fileState struct {
	Name       string `json:"name"`
	Mime       string `json:"mime"`
	Version    string `json:"version"`
	URL        string `json:"url,omitempty"`
	Drive      string `json:"drive,omitempty"`
	NoDownload bool   `json:"no_download,omitempty"`
	Problem    string `json:"problem,omitempty"` // retried every cycle
	NotFound   bool   `json:"not_found,omitempty"`
}

var _ interface {
	List(context.Context) ([]source.Item, error)
	Fetch(context.Context, source.Item) (source.Fetched, error)
} = (*Source)(nil)

// New returns a Google source using the shared client. A link that carries
// no ID fails every List with what to do.
func New(c *Client, cfg Config) *Source {
	var bad []string
	for _, list := range [][]string{cfg.Spreadsheets, cfg.Folders} {
		for i, s := range list {
			id, err := parseID(s, c)
			if err != nil {
				bad = append(bad, err.Error())
			}
			list[i] = id
		}
	}
	src := &Source{c: c, cfg: cfg, meta: map[string]fileState{}, errs: map[string]error{}}
	if len(bad) > 0 {
		src.badLink = c.fail(ErrBadLink, "badLinks", cfg.Name, strings.Join(bad, "; "))
	}
	return src
}

var publishedRe = regexp.MustCompile(`/spreadsheets/d/e/`)

// ParseID returns the ID in a Google Sheets or Drive link
// (…/spreadsheets/d/ID/edit, …/drive/folders/ID, …/file/d/ID/view,
// …/open?id=ID) or a bare ID. A published link (…/spreadsheets/d/e/…)
// names a published copy, not the spreadsheet: it is refused.
func ParseID(s string) (string, error) { return parseID(s, &Client{lang: "en"}) }

func parseID(s string, c *Client) (string, error) {
	s = strings.TrimSpace(s)
	if publishedRe.MatchString(s) {
		return "", c.fail(ErrBadLink, "published", s)
	}
	// As config check reads it (two sources naming one spreadsheet).
	if id := config.GoogleID(s); id != "" {
		return id, nil
	}
	return "", c.fail(ErrBadLink, "notALink", s)
}

// Name is the source's configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Kind is "gsheets".
func (s *Source) Kind() string { return "gsheets" }

// Location lists the folders and spreadsheets read.
func (s *Source) Location() string {
	var parts []string
	for _, f := range s.cfg.Folders {
		parts = append(parts, "folder "+f)
	}
	if n := len(s.cfg.Spreadsheets); n > 0 {
		parts = append(parts, fmt.Sprintf("%d spreadsheets", n))
	}
	return "google: " + strings.Join(parts, ", ")
}

// SetState restores the state kept in the store.
func (s *Source) SetState(b []byte) {
	s.state = state{}
	json.Unmarshal(b, &s.state)
	s.rebaseline()
}

// rebaseline drops the kept state when it is of an older format or belongs
// to another account (the key or google.subject changed): the next List
// starts new change logs and looks every tracked file up.
func (s *Source) rebaseline() {
	if s.state.V != stateVersion || s.state.Account != s.c.Account() {
		s.state = state{V: stateVersion, Account: s.c.Account()}
	}
	if s.state.Files == nil {
		s.state.Files = map[string]fileState{}
	}
	if s.state.Tokens == nil {
		s.state.Tokens = map[string]string{}
	}
}

// State is what to keep in the store.
func (s *Source) State() []byte {
	b, _ := json.Marshal(s.state)
	return b
}

// TakeCalls returns the API requests made since the last call.
func (s *Source) TakeCalls() int { return int(s.calls.Swap(0)) }

// SheetURL is the URL of a native spreadsheet.
func SheetURL(id string) string { return "https://docs.google.com/spreadsheets/d/" + id + "/edit" }

// who is the account that plans must be shared with.
func (s *Source) who() string {
	if a := s.c.Account(); a != "" {
		return a
	}
	return "udrul's service account"
}

// explain turns an error from Google into what happened and what to do,
// after Google's error reference
// (developers.google.com/drive/api/guides/handle-errors).
func (s *Source) explain(what string, err error) error {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // the request's URL says nothing to a user
	}
	c := s.c
	var se *sourceError
	var tl *TooLargeError
	var to *TimeoutError
	switch {
	case errors.As(err, &se):
		return &sourceError{kind: se.kind, msg: what + ": " + se.msg}
	case errors.As(err, &tl):
		return &sourceError{kind: tl, msg: c.msg("tooLarge", what, tl.Limit>>20)}
	case errors.As(err, &to):
		return &sourceError{kind: to, msg: c.msg("timeout", what, to.After)}
	}
	var gerr *googleapi.Error
	if !errors.As(err, &gerr) {
		return fmt.Errorf("%s: %w", what, err)
	}
	body := []byte(gerr.Body)
	rs := reasons(body)
	for _, e := range gerr.Errors {
		rs = append(rs, e.Reason)
	}
	has := func(want ...string) bool {
		for _, r := range rs {
			for _, w := range want {
				if r == w {
					return true
				}
			}
		}
		return false
	}
	forbidden := gerr.Code == http.StatusForbidden
	switch code := gerr.Code; {
	case code == http.StatusNotFound:
		// Drive answers 404 both for a file that does not exist and for
		// one the caller cannot see.
		return c.fail(ErrNotFound, "notFound", what, s.who(), s.who())
	case forbidden && has("accessNotConfigured", "SERVICE_DISABLED"):
		api, project, url := disabledAPI(body)
		return c.fail(ErrAPIDisabled, "apiDisabled", what, api, project, url)
	case forbidden && has("insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"):
		return c.fail(ErrScope, "scope", what, drive.DriveReadonlyScope)
	case forbidden && has("cannotDownloadFile"):
		return c.fail(ErrNoDownload, "noDownload", what, s.who())
	case forbidden && has("domainPolicy"):
		return c.fail(ErrNotShared, "domainPolicy", what)
	case forbidden && has("dailyLimitExceeded", "quotaExceeded"):
		return c.fail(ErrRateLimited, "quota", what)
	case code == http.StatusTooManyRequests || forbidden && rateLimited(body):
		return c.fail(ErrRateLimited, "rateLimited", what)
	case forbidden:
		return c.fail(ErrNotShared, "notShared", what, s.who())
	case code == http.StatusUnauthorized:
		return c.fail(ErrCredentials, "unauthorized", what)
	case code >= 500:
		return c.fail(errors.New("server error"), "server", what, code)
	}
	return c.fail(errors.New("request refused"), "other", what, gerr.Code, gerr.Message)
}

// disabledAPI reads which API to enable where from an ErrorInfo
// SERVICE_DISABLED (metadata service, consumer, activationUrl).
func disabledAPI(body []byte) (api, project, url string) {
	api, project, url = "API", "(see the Google Cloud console)", "https://console.cloud.google.com/apis/library"
	var ge googleError
	json.Unmarshal(body, &ge)
	for _, d := range ge.Error.Details {
		if m := d.Metadata; m != nil {
			switch m["service"] {
			case "drive.googleapis.com":
				api = "Google Drive API"
			case "sheets.googleapis.com":
				api = "Google Sheets API"
			case "":
			default:
				api = m["service"]
			}
			if c := m["consumer"]; c != "" {
				project = strings.TrimPrefix(c, "projects/")
			}
			if u := m["activationUrl"]; u != "" {
				url = u
			}
		}
	}
	return api, project, url
}

func item(f fileState, id string) source.Item {
	return source.Item{Key: id, Name: f.Name, Version: f.Version, URL: f.URL}
}

func stateOf(f *drive.File) fileState {
	fs := fileState{Name: f.Name, Mime: f.MimeType, Version: f.ModifiedTime + "/" + fmt.Sprint(f.Version), URL: f.WebViewLink, Drive: f.DriveId}
	if f.MimeType == MimeSheet {
		fs.URL = SheetURL(f.Id)
	}
	if f.Capabilities != nil && !f.Capabilities.CanDownload && f.MimeType != MimeSheet {
		fs.NoDownload = true
	}
	return fs
}

func wanted(mime string) bool {
	switch mime {
	case MimeSheet, MimeXLSX, MimeXLSM, MimeCSV:
		return true
	}
	return false
}

// quoteQ escapes a value for a Drive query string literal
// (developers.google.com/drive/api/guides/ref-search-terms: \' and \\).
func quoteQ(v string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v)
}

// List returns the spreadsheets of the folders (one files.get and one
// files.list call per folder and page) and the listed spreadsheets and
// shortcut targets (one changes.list call per change log once known).
func (s *Source) List(ctx context.Context) ([]source.Item, error) {
	if s.badLink != nil {
		return nil, s.badLink
	}
	ctx = withCounter(ctx, &s.calls)
	s.rebaseline()
	var items []source.Item
	seen := map[string]bool{}
	var targets []string
	for _, folder := range s.cfg.Folders {
		files, err := s.listFolder(ctx, folder)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if f.MimeType == MimeShortcut {
				targets = append(targets, f.ShortcutDetails.TargetId)
				continue
			}
			if seen[f.Id] {
				continue
			}
			seen[f.Id] = true
			fs := stateOf(f)
			s.meta[f.Id] = fs
			items = append(items, item(fs, f.Id))
		}
	}
	var tracked []string
	for _, id := range append(append([]string(nil), s.cfg.Spreadsheets...), targets...) {
		if !seen[id] {
			seen[id] = true
			tracked = append(tracked, id)
		}
	}
	listed, err := s.listTracked(ctx, tracked)
	if err != nil {
		return nil, err
	}
	return append(items, listed...), nil
}

// listFolder checks that the folder can be seen and is a folder, then
// lists its plan files and shortcuts to plan files. A folder that cannot be
// seen fails the source: Drive would list it as empty, and every plan in it
// would look gone.
func (s *Source) listFolder(ctx context.Context, id string) ([]*drive.File, error) {
	what := s.c.msg("folder", id)
	f, err := s.c.drive.Files.Get(id).SupportsAllDrives(true).Fields(folderFields).Context(ctx).Do()
	switch {
	case err != nil:
		return nil, s.explain(what, err)
	case f.Trashed:
		return nil, s.c.fail(ErrNotFound, "folderTrashed", id, f.Name)
	case f.MimeType != MimeFolder:
		return nil, s.c.fail(ErrNotFound, "notAFolder", id, f.Name, f.MimeType)
	}
	q := fmt.Sprintf("'%s' in parents and trashed = false and (mimeType = '%s' or mimeType = '%s' or mimeType = '%s' or mimeType = '%s' or mimeType = '%s')",
		quoteQ(id), MimeSheet, MimeXLSX, MimeXLSM, MimeCSV, MimeShortcut)
	call := s.c.drive.Files.List().Q(q).PageSize(s.c.pageSize).SupportsAllDrives(true).IncludeItemsFromAllDrives(true).
		Fields(googleapi.Field("nextPageToken,files(" + fileFields + ")")).Context(ctx)
	if f.DriveId != "" {
		// A shared drive's folder is searched in that drive's corpus
		// (developers.google.com/drive/api/guides/enable-shareddrives).
		call = call.Corpora("drive").DriveId(f.DriveId)
	}
	var out []*drive.File
	err = call.Pages(ctx, func(fl *drive.FileList) error {
		for _, f := range fl.Files {
			if f.MimeType == MimeShortcut {
				// Shortcuts to plan files are followed; others (to
				// folders, documents) are skipped like other files.
				if f.ShortcutDetails == nil || !wanted(f.ShortcutDetails.TargetMimeType) {
					continue
				}
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, s.explain(what, err)
	}
	return out, nil
}

// listTracked returns the spreadsheets tracked through Drive's change logs:
// the configured ones and shortcut targets. Each change log (the account's
// own, and one per shared drive, as Google asks:
// developers.google.com/drive/api/guides/about-changes) costs one
// changes.list call per cycle; a file not known yet, or with a problem, one
// files.get.
func (s *Source) listTracked(ctx context.Context, ids []string) ([]source.Item, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for id := range s.state.Files {
		if !want[id] {
			delete(s.state.Files, id)
		}
	}
	inUse := map[string]bool{}
	for _, fs := range s.state.Files {
		if fs.Problem == "" {
			inUse[fs.Drive] = true
		}
	}
	// What changed since the last cycle, log by log.
	for _, d := range sortedKeys(s.state.Tokens) {
		if !inUse[d] {
			delete(s.state.Tokens, d)
			continue
		}
		err := s.changes(ctx, d, want)
		var gerr *googleapi.Error
		if errors.As(err, &gerr) && (gerr.Code == http.StatusBadRequest || gerr.Code == http.StatusNotFound) {
			// The token was refused (expired, or another account's): start
			// the log anew and look its files up again.
			delete(s.state.Tokens, d)
			for id, fs := range s.state.Files {
				if fs.Drive == d {
					delete(s.state.Files, id)
				}
			}
			continue
		}
		if err != nil {
			return nil, s.explain(s.c.msg("changes"), err)
		}
	}
	// Look up what is not known yet or had a problem: a problem (not
	// found, not shared) is asked again every cycle until it is solved.
	looked := map[string]bool{}
	for _, id := range ids {
		if fs, known := s.state.Files[id]; known && fs.Problem == "" {
			continue
		}
		s.state.Files[id] = s.lookUp(ctx, id)
		looked[id] = true
	}
	// Start a change log for each drive that has none yet; its files looked
	// up before the log started are looked up once more, so that no change
	// falls in between.
	var drives []string
	for _, id := range ids {
		fs := s.state.Files[id]
		if _, ok := s.state.Tokens[fs.Drive]; !ok && fs.Problem == "" && !contains(drives, fs.Drive) {
			drives = append(drives, fs.Drive)
		}
	}
	for _, d := range drives {
		call := s.c.drive.Changes.GetStartPageToken().SupportsAllDrives(true).Context(ctx)
		if d != "" {
			call = call.DriveId(d)
		}
		tok, err := call.Do()
		if err != nil {
			return nil, s.explain(s.c.msg("changes"), err)
		}
		s.state.Tokens[d] = tok.StartPageToken
		for _, id := range ids {
			if fs := s.state.Files[id]; looked[id] && fs.Drive == d && fs.Problem == "" {
				s.state.Files[id] = s.lookUp(ctx, id)
			}
		}
	}
	var items []source.Item
	for _, id := range ids {
		fs := s.state.Files[id]
		if fs.NotFound {
			continue // trashed or removed: the syncer reports it gone; its plan keeps its tasks
		}
		it := item(fs, id)
		if fs.Problem != "" {
			it.Err = errors.New(fs.Problem)
			if err := s.errs[id]; err != nil && err.Error() == fs.Problem {
				it.Err = err // keeps its kind (errors.Is)
			}
		}
		s.meta[id] = fs
		items = append(items, it)
	}
	return items, nil
}

// changes applies one change log's changes to the tracked files.
func (s *Source) changes(ctx context.Context, d string, want map[string]bool) error {
	token := s.state.Tokens[d]
	for token != "" {
		call := s.c.drive.Changes.List(token).SupportsAllDrives(true).IncludeItemsFromAllDrives(true).PageSize(s.c.pageSize).
			Fields(googleapi.Field("nextPageToken,newStartPageToken,changes(fileId,removed,file(" + fileFields + "))")).Context(ctx)
		if d != "" {
			call = call.DriveId(d)
		}
		cl, err := call.Do()
		if err != nil {
			return err
		}
		for _, ch := range cl.Changes {
			if !want[ch.FileId] {
				continue
			}
			if ch.File != nil && ch.File.Trashed {
				s.state.Files[ch.FileId] = fileState{NotFound: true, Drive: d}
				continue
			}
			if ch.Removed || ch.File == nil {
				// Removed from this log: unshared, deleted for good, or
				// moved to another drive. One look tells: a file Drive
				// cannot find is a problem asked about every cycle (it
				// may be shared again), not a plan gone.
				s.state.Files[ch.FileId] = s.lookUp(ctx, ch.FileId)
				continue
			}
			s.state.Files[ch.FileId] = s.checked(ch.FileId, ch.File)
		}
		if cl.NewStartPageToken != "" {
			s.state.Tokens[d] = cl.NewStartPageToken
		}
		token = cl.NextPageToken
	}
	return nil
}

// lookUp asks Drive for one tracked file; a failure is the file's problem.
func (s *Source) lookUp(ctx context.Context, id string) fileState {
	fs, err := s.get(ctx, id)
	if err != nil {
		s.errs[id] = err
		return fileState{Problem: err.Error(), Name: id, Version: "problem"}
	}
	delete(s.errs, id)
	return fs
}

// get asks Drive for one tracked file.
func (s *Source) get(ctx context.Context, id string) (fileState, error) {
	f, err := s.c.drive.Files.Get(id).SupportsAllDrives(true).Fields(fileFields).Context(ctx).Do()
	if err != nil {
		return fileState{}, s.explain(s.c.msg("spreadsheet", id), err)
	}
	if f.Trashed {
		return fileState{NotFound: true, Drive: f.DriveId}, nil
	}
	return s.checked(id, f), nil
}

// checked is a tracked file's state, with a problem when it is not a plan
// file.
func (s *Source) checked(id string, f *drive.File) fileState {
	switch {
	case f.MimeType == MimeShortcut && f.ShortcutDetails != nil:
		return fileState{Name: f.Name, Version: "problem", Drive: f.DriveId, Problem: s.c.msg("shortcut", id, f.Name, f.ShortcutDetails.TargetId)}
	case !wanted(f.MimeType):
		return fileState{Name: f.Name, Version: "problem", Drive: f.DriveId, Problem: s.c.msg("wrongType", id, f.Name, f.MimeType)}
	}
	return stateOf(f)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// maxSize is the cap on a download or a decoded answer.
func (s *Source) maxSize() int64 {
	if s.cfg.MaxSize > 0 {
		return s.cfg.MaxSize
	}
	return grid.DefaultMaxSize
}

// readOpts are the configured read options, with grid's default limits.
func (s *Source) readOpts() grid.Options {
	o := s.cfg.ReadOpts
	o.MaxSize = s.maxSize()
	if o.Limits.Rows <= 0 {
		o.Limits.Rows = grid.DefaultMaxRows
	}
	if o.Limits.Columns <= 0 {
		o.Limits.Columns = grid.DefaultMaxColumns
	}
	if o.Limits.Cells <= 0 {
		o.Limits.Cells = grid.DefaultMaxCells
	}
	if o.Lang == "" {
		o.Lang = s.c.lang
	}
	return o
}

// Fetch reads a native spreadsheet within the limits with one
// spreadsheets.get request (see readSpreadsheet; and, for a timeline, one
// more for its week columns' colours, down to the last row read), and
// downloads an Excel or CSV file kept in Drive.
func (s *Source) Fetch(ctx context.Context, it source.Item) (source.Fetched, error) {
	ctx = withMaxBytes(withCounter(ctx, &s.calls), s.maxSize())
	meta := s.meta[it.Key]
	if meta.Mime != MimeSheet {
		if meta.NoDownload {
			return source.Fetched{}, s.c.fail(ErrNoDownload, "noDownloadMeta", it.Name, s.who())
		}
		resp, err := s.c.drive.Files.Get(it.Key).SupportsAllDrives(true).Context(ctx).Download()
		if err != nil {
			return source.Fetched{}, s.explain(s.c.msg("download", it.Name), err)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return source.Fetched{}, s.explain(s.c.msg("download", it.Name), err)
		}
		return source.Fetched{Data: data}, nil
	}
	g, data, sheets, err := s.readSpreadsheet(ctx, named{key: it.Key, name: it.Name})
	if err != nil {
		return source.Fetched{}, err
	}
	if ranges := timelineRanges(g, sheets); len(ranges) > 0 {
		fills, err := s.c.sheets.Spreadsheets.Get(it.Key).Ranges(ranges...).Fields(fillFields).Context(ctx).Do()
		if err != nil {
			return source.Fetched{}, s.explain(s.c.msg("colours", it.Name), err)
		}
		fills.ServerResponse = googleapi.ServerResponse{}
		b, err := json.Marshal(fills)
		if err != nil {
			return source.Fetched{}, err
		}
		data = append(data, b...) // a colour-only change is a change
		applyFills(g, sheets, fills)
	}
	return source.Fetched{Data: data, Grid: g}, nil
}
