// Package fakegoogle is an in-process fake of the Google endpoints udrul
// uses — Drive files.get (metadata and download), files.list,
// changes.getStartPageToken and changes.list, Sheets spreadsheets.get, and
// the OAuth token endpoint — answering as Google documents them, in the
// real client library's JSON shapes, so the real client code runs in
// tests:
//
//   - Drive answers 404 notFound for a file or folder the caller cannot see
//     (developers.google.com/drive/api/guides/handle-errors); Sheets
//     answers 403 PERMISSION_DENIED for a spreadsheet not shared.
//   - Errors carry Google's bodies: {"error":{"code","message","status",
//     "errors":[{"reason","domain","message"}]}} for Drive, with "details"
//     holding a google.rpc.ErrorInfo where Google sends one (Sheets' 429
//     RATE_LIMIT_EXCEEDED, SERVICE_DISABLED).
//   - Drive's rate limits are 403 with reason userRateLimitExceeded or
//     rateLimitExceeded (guides/limits); Sheets' are 429.
//   - Each shared drive has its own change log: the account's own log
//     holds only My Drive and shared-with-me files; a shared drive's is read
//     with driveId, supportsAllDrives and includeItemsFromAllDrives.
//   - Listings page by pageSize (Drive's default 100, at most 1000).
//   - Field masks are applied to the JSON returned: a field not asked for
//     is absent; without fields, Drive returns its default few fields.
//   - Sheets' spreadsheets.get answers ranges (A1, a sheet's answer holding
//     one GridData per range), field masks (which, when set, decide whether
//     grid data comes, as includeGridData does without one) and grid
//     limits (a range beyond a sheet's rowCount/columnCount is a 400) as
//     documented; see sheets.go.
//   - Tokens expire and can be revoked: requests with a bad token get 401.
//
// It counts calls and injects failures.
package fakegoogle

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/sheets/v4"
)

// MIME types the fake knows.
const (
	MimeSheet    = "application/vnd.google-apps.spreadsheet"
	MimeFolder   = "application/vnd.google-apps.folder"
	MimeShortcut = "application/vnd.google-apps.shortcut"
)

// File is a file (or folder, or shortcut) in the fake Drive.
type File struct {
	ID, Name, MimeType string
	Parents            []string
	// DriveID is the shared drive the file is in; "" is My Drive.
	DriveID string
	// Target is a shortcut's target file ID.
	Target  string
	Content []byte              // for Excel and CSV files
	Sheet   *sheets.Spreadsheet // for native spreadsheets
	// Forbidden: not shared with the caller. Drive answers 404 as for a
	// file that does not exist; Sheets answers 403.
	Forbidden bool
	// NoDownload: the owner does not let viewers download it
	// (capabilities.canDownload false; a download is 403 cannotDownloadFile).
	NoDownload bool
	trashed    bool
	version    int64
	modified   time.Time
}

// Failure is an injected error response.
type Failure struct {
	Status     int
	RetryAfter string
	// Reason is Google's error reason, e.g. "userRateLimitExceeded",
	// "rateLimitExceeded", "accessNotConfigured", "insufficientPermissions",
	// "forbidden"; default: the usual one for Status.
	Reason string
	// Delay holds the answer back (to make the client's attempt time out).
	Delay time.Duration
}

type sharedDrive struct {
	id, name string
	member   bool // the caller is a member: it sees the drive's files
}

// Server is the fake.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	files  map[string]*File
	drives map[string]*sharedDrive
	// logs are the change logs: "" the account's own, else a shared
	// drive's; a change is a file ID.
	logs  map[string][]string
	epoch int // bumped to make every change token invalid
	calls map[string]int
	fail  map[string][]Failure
	clock time.Time
	// tokens issued, by value, with their expiry.
	tokens map[string]time.Time
	issued int
	// TokenLifetime of issued access tokens (default one hour).
	TokenLifetime time.Duration
	// Subjects the service account may act as (domain-wide delegation);
	// a token for another subject is refused with unauthorized_client.
	Subjects []string
	claims   map[string]any
	// requireAuth is set once a token was issued: from then on requests
	// need a valid one.
	requireAuth bool
	// ProjectNumber appears in quota and SERVICE_DISABLED errors.
	ProjectNumber string
}

// New starts a fake Google.
func New() *Server {
	s := &Server{files: map[string]*File{}, drives: map[string]*sharedDrive{}, logs: map[string][]string{}, calls: map[string]int{},
		fail: map[string][]Failure{}, clock: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), tokens: map[string]time.Time{}, ProjectNumber: "123456789012"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// DriveEndpoint and SheetsEndpoint are the endpoints to give the clients.
func (s *Server) DriveEndpoint() string  { return s.URL + "/drive/v3/" }
func (s *Server) SheetsEndpoint() string { return s.URL + "/" }

// TokenURL is the OAuth token endpoint, for a service-account key's token_uri.
func (s *Server) TokenURL() string { return s.URL + "/token" }

// SharedDrive adds a shared drive; member says whether the caller was
// added to it.
func (s *Server) SharedDrive(id, name string, member bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drives[id] = &sharedDrive{id: id, name: name, member: member}
}

// Folder adds a folder.
func (s *Server) Folder(id, name, driveID string, parents ...string) {
	s.Put(File{ID: id, Name: name, MimeType: MimeFolder, DriveID: driveID, Parents: parents})
}

// Put adds or changes a file: its version and modification time move on,
// and its change log records a change.
func (s *Server) Put(f File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = s.clock.Add(time.Minute)
	old := s.files[f.ID]
	if old != nil {
		f.version = old.version
	}
	f.version++
	f.modified = s.clock
	if f.Sheet != nil {
		f.Sheet.SpreadsheetId = f.ID
		if f.Sheet.Properties == nil {
			f.Sheet.Properties = &sheets.SpreadsheetProperties{}
		}
		f.Sheet.Properties.Title = f.Name
	}
	s.files[f.ID] = &f
	if !f.Forbidden || old != nil && !old.Forbidden {
		// The caller's log shows what it can see, and losing sight of it.
		s.logs[f.DriveID] = append(s.logs[f.DriveID], f.ID)
	}
}

// Delete trashes a file.
func (s *Server) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.files[id]; f != nil {
		f.trashed = true
		s.logs[f.DriveID] = append(s.logs[f.DriveID], id)
	}
}

// Share shares or unshares a file with the caller, without a change in
// the file itself (Drive records one in the log).
func (s *Server) Share(id string, shared bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.files[id]; f != nil {
		f.Forbidden = !shared
		s.logs[f.DriveID] = append(s.logs[f.DriveID], id)
	}
}

// ForgetChangeTokens makes every change token issued so far invalid, as
// for a token of another account.
func (s *Server) ForgetChangeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
}

// RevokeTokens makes every access token issued so far invalid.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]time.Time{}
}

// Claims returns the claims of the last token request's JWT assertion
// (iss, sub, scope, aud).
func (s *Server) Claims() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claims
}

// Fail makes the next n requests to an endpoint ("drive.files.list",
// "drive.files.get", "drive.files.download", "drive.changes.start",
// "drive.changes.list", "sheets.get", "token") answer with f.
func (s *Server) Fail(endpoint string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n == 0 {
		delete(s.fail, endpoint)
	}
	for range n {
		s.fail[endpoint] = append(s.fail[endpoint], f)
	}
}

// Calls returns the number of requests per endpoint, and resets them.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.calls
	s.calls = map[string]int{}
	return out
}

// writeJSON writes v with the request's field mask applied (def when the
// request has none; "" keeps everything).
func writeJSON(w http.ResponseWriter, r *http.Request, v any, def string) {
	fields := r.URL.Query().Get("fields")
	if fields == "" {
		fields = def
	}
	b, _ := json.Marshal(v)
	if fields != "" {
		m, err := parseMask(fields)
		if err != nil {
			writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalidParameter", "global", "Invalid field selection "+fields, nil)
			return
		}
		var x any
		json.Unmarshal(b, &x)
		b, _ = json.Marshal(m.apply(x))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(b)
}

// writeError writes Google's error body. reason "" leaves out the v1
// "errors" list (Sheets' errors have none); info, when set, is added as a
// google.rpc.ErrorInfo in "details".
func writeError(w http.ResponseWriter, code int, status, reason, domain, msg string, info map[string]any) {
	e := map[string]any{"code": code, "message": msg}
	if status != "" {
		e["status"] = status
	}
	if reason != "" {
		e["errors"] = []map[string]any{{"message": msg, "domain": domain, "reason": reason}}
	}
	if info != nil {
		info["@type"] = "type.googleapis.com/google.rpc.ErrorInfo"
		e["details"] = []map[string]any{info}
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// injected writes an injected failure as Google would answer it.
func (s *Server) injected(w http.ResponseWriter, endpoint string, f Failure) {
	sheetsAPI := strings.HasPrefix(endpoint, "sheets.")
	service := "drive.googleapis.com"
	if sheetsAPI {
		service = "sheets.googleapis.com"
	}
	consumer := "projects/" + s.ProjectNumber
	switch {
	case endpoint == "token":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		reason := f.Reason
		if reason == "" {
			reason = "temporarily_unavailable"
		}
		json.NewEncoder(w).Encode(map[string]string{"error": reason, "error_description": "injected"})
	case f.Status == http.StatusTooManyRequests && sheetsAPI:
		writeError(w, 429, "RESOURCE_EXHAUSTED", "", "", "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:"+s.ProjectNumber+"'.",
			map[string]any{"reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com", "metadata": map[string]string{
				"quota_metric": "sheets.googleapis.com/read_requests", "quota_limit": "ReadRequestsPerMinutePerUser", "service": service, "consumer": consumer}})
	case f.Status == http.StatusTooManyRequests:
		writeError(w, 429, "RESOURCE_EXHAUSTED", "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded", nil)
	case f.Status == http.StatusForbidden && (f.Reason == "accessNotConfigured" || f.Reason == "SERVICE_DISABLED"):
		name := "Google Drive API"
		if sheetsAPI {
			name = "Google Sheets API"
		}
		url := "https://console.developers.google.com/apis/api/" + service + "/overview?project=" + s.ProjectNumber
		msg := name + " has not been used in project " + s.ProjectNumber + " before or it is disabled. Enable it by visiting " + url + " then retry."
		reason := "accessNotConfigured"
		if sheetsAPI {
			reason = ""
		}
		writeError(w, 403, "PERMISSION_DENIED", reason, "usageLimits", msg, map[string]any{"reason": "SERVICE_DISABLED", "domain": "googleapis.com",
			"metadata": map[string]string{"service": service, "consumer": consumer, "activationUrl": url, "serviceTitle": name}})
	case f.Status == http.StatusForbidden && sheetsAPI:
		writeError(w, 403, "PERMISSION_DENIED", "", "", "The caller does not have permission", nil)
	case f.Status == http.StatusForbidden:
		reason, domain, msg := f.Reason, "global", "The user does not have sufficient permissions for this file."
		switch reason {
		case "":
			reason = "forbidden"
		case "userRateLimitExceeded":
			domain, msg = "usageLimits", "User Rate Limit Exceeded"
		case "rateLimitExceeded":
			domain, msg = "usageLimits", "Rate Limit Exceeded"
		case "insufficientPermissions":
			msg = "Insufficient Permission: Request had insufficient authentication scopes."
		}
		writeError(w, 403, "PERMISSION_DENIED", reason, domain, msg, nil)
	case f.Status == http.StatusNotFound:
		writeError(w, 404, "", "notFound", "global", "File not found: .", nil)
	case f.Status >= 500:
		writeError(w, f.Status, "UNAVAILABLE", "backendError", "global", "Backend Error", nil)
	default:
		writeError(w, f.Status, http.StatusText(f.Status), "injected", "global", fmt.Sprintf("injected %d", f.Status), nil)
	}
}

var (
	fileRe    = regexp.MustCompile(`^/drive/v3/files/([^/]+)$`)
	sheetRe   = regexp.MustCompile(`^/v4/spreadsheets/([^/]+)$`)
	parentsRe = regexp.MustCompile(`'((?:[^'\\]|\\.)*)' in parents`)
	mimeRe    = regexp.MustCompile(`mimeType = '([^']+)'`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	endpoint := "unknown"
	path := r.URL.Path
	switch {
	case path == "/token":
		endpoint = "token"
	case path == "/drive/v3/files":
		endpoint = "drive.files.list"
	case path == "/drive/v3/changes/startPageToken":
		endpoint = "drive.changes.start"
	case path == "/drive/v3/changes":
		endpoint = "drive.changes.list"
	case fileRe.MatchString(path) && r.URL.Query().Get("alt") == "media":
		endpoint = "drive.files.download"
	case fileRe.MatchString(path):
		endpoint = "drive.files.get"
	case sheetRe.MatchString(path):
		endpoint = "sheets.get"
	}
	s.mu.Lock()
	s.calls[endpoint]++
	var fail *Failure
	if q := s.fail[endpoint]; len(q) > 0 {
		fail = &q[0]
		s.fail[endpoint] = q[1:]
	}
	s.mu.Unlock()
	if fail != nil && fail.Delay > 0 {
		select {
		case <-time.After(fail.Delay):
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if fail != nil && fail.Status != 0 {
		if fail.RetryAfter != "" {
			w.Header().Set("Retry-After", fail.RetryAfter)
		}
		s.injected(w, endpoint, *fail)
		return
	}
	if endpoint != "token" && s.requireAuth && !s.authorised(r) {
		writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "authError", "global",
			"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", nil)
		return
	}
	switch endpoint {
	case "token":
		s.token(w, r)
	case "drive.files.list":
		s.list(w, r)
	case "drive.changes.start":
		s.startToken(w, r)
	case "drive.changes.list":
		s.changeList(w, r)
	case "drive.files.get", "drive.files.download":
		s.fileGet(w, r, endpoint)
	case "sheets.get":
		s.sheetGet(w, r)
	default:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "notFound", "global", "no such endpoint "+path, nil)
	}
}

func (s *Server) authorised(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	exp, ok := s.tokens[tok]
	return ok && time.Now().Before(exp)
}

// visible says whether the caller sees f through Drive (with
// supportsAllDrives for a shared drive's file).
func (s *Server) visible(f *File, r *http.Request) bool {
	if f == nil || f.Forbidden {
		return false
	}
	if f.DriveID == "" {
		return true
	}
	d := s.drives[f.DriveID]
	return d != nil && d.member && r.URL.Query().Get("supportsAllDrives") == "true"
}

func notFound(w http.ResponseWriter, id string) {
	// developers.google.com/drive/api/guides/handle-errors#resolve_a_404_error_file_not_found
	writeError(w, http.StatusNotFound, "", "notFound", "global", "File not found: "+id+".", nil)
}

func (s *Server) fileGet(w http.ResponseWriter, r *http.Request, endpoint string) {
	id := fileRe.FindStringSubmatch(r.URL.Path)[1]
	f := s.files[id]
	switch {
	case !s.visible(f, r):
		notFound(w, id)
	case endpoint == "drive.files.download" && (f.MimeType == MimeSheet || f.MimeType == MimeFolder):
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "fileNotDownloadable", "global", "Only files with binary content can be downloaded. Use Export with Docs Editors files.", nil)
	case endpoint == "drive.files.download" && f.NoDownload:
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "cannotDownloadFile", "global", "The user has not granted the app permission to download this file.", nil)
	case endpoint == "drive.files.download":
		w.Header().Set("Content-Type", f.MimeType)
		w.Write(f.Content)
	default:
		writeJSON(w, r, s.meta(f), "kind,id,name,mimeType")
	}
}

func (s *Server) meta(f *File) *drive.File {
	out := &drive.File{Kind: "drive#file", Id: f.ID, Name: f.Name, MimeType: f.MimeType, Parents: f.Parents, Trashed: f.trashed, Version: f.version,
		DriveId: f.DriveID, ModifiedTime: f.modified.Format(time.RFC3339), Size: int64(len(f.Content)),
		WebViewLink: "https://drive.google.com/file/d/" + f.ID + "/view", Capabilities: &drive.FileCapabilities{CanDownload: !f.NoDownload},
		ForceSendFields: []string{"Trashed"}}
	out.Capabilities.ForceSendFields = []string{"CanDownload"}
	if f.MimeType == MimeShortcut {
		t := s.files[f.Target]
		out.ShortcutDetails = &drive.FileShortcutDetails{TargetId: f.Target}
		if t != nil {
			out.ShortcutDetails.TargetMimeType = t.MimeType
		}
	}
	return out
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || strings.Count(r.PostForm.Get("assertion"), ".") != 2 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": "want a JWT bearer assertion"})
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	var claims map[string]any
	if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
		json.Unmarshal(b, &claims)
	}
	s.claims = claims
	if sub, _ := claims["sub"].(string); sub != "" && !contains(s.Subjects, sub) {
		// What Google answers when the client ID is not allowed
		// domain-wide delegation for the scopes asked.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"error": "unauthorized_client",
			"error_description": "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."})
		return
	}
	s.requireAuth = true
	s.issued++
	tok := fmt.Sprintf("fake-token-%d", s.issued)
	life := s.TokenLifetime
	if life <= 0 {
		life = time.Hour
	}
	s.tokens[tok] = time.Now().Add(life)
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(life.Seconds())})
}

// pageSize is the request's pageSize, or Drive's default 100, at most
// 1000.
func pageSize(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("pageSize"))
	if err != nil || n <= 0 {
		return 100
	}
	return min(n, 1000)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	q := qs.Get("q")
	m := parentsRe.FindStringSubmatch(q)
	if m == nil {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "global", "Invalid Value (the fake lists folders by parent)", nil)
		return
	}
	parent := strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(m[1])
	driveID := qs.Get("driveId")
	if qs.Get("corpora") == "drive" && (driveID == "" || qs.Get("includeItemsFromAllDrives") != "true" || qs.Get("supportsAllDrives") != "true") {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "global", "corpora=drive needs driveId, includeItemsFromAllDrives and supportsAllDrives", nil)
		return
	}
	var mimes []string
	for _, mm := range mimeRe.FindAllStringSubmatch(q, -1) {
		mimes = append(mimes, mm[1])
	}
	var all []*drive.File
	for _, f := range s.sorted() {
		if f.trashed || !contains(f.Parents, parent) || (len(mimes) > 0 && !contains(mimes, f.MimeType)) || !s.visible(f, r) {
			continue
		}
		if f.DriveID != "" && qs.Get("includeItemsFromAllDrives") != "true" || driveID != "" && f.DriveID != driveID {
			continue
		}
		all = append(all, s.meta(f))
	}
	from, _ := strconv.Atoi(qs.Get("pageToken"))
	from = min(max(from, 0), len(all))
	to := min(from+pageSize(r), len(all))
	res := &drive.FileList{Kind: "drive#fileList", Files: all[from:to]}
	if to < len(all) {
		res.NextPageToken = strconv.Itoa(to)
	}
	writeJSON(w, r, res, "kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)")
}

// A change token names its log and position: "<epoch>.<position>@<log>".
func (s *Server) changeToken(log string, pos int) string {
	return fmt.Sprintf("%d.%d@%s", s.epoch, pos, log)
}

func (s *Server) parseChangeToken(tok, log string) (int, bool) {
	head, l, ok := strings.Cut(tok, "@")
	if !ok || l != log {
		return 0, false
	}
	ep, pos, ok := strings.Cut(head, ".")
	e, err1 := strconv.Atoi(ep)
	p, err2 := strconv.Atoi(pos)
	if !ok || err1 != nil || err2 != nil || e != s.epoch || p < 0 || p > len(s.logs[log]) {
		return 0, false
	}
	return p, true
}

// changeLog checks a request's driveId: a shared drive's log needs
// supportsAllDrives (and, to list it, includeItemsFromAllDrives), and
// membership.
func (s *Server) changeLog(w http.ResponseWriter, r *http.Request, listing bool) (string, bool) {
	qs := r.URL.Query()
	d := qs.Get("driveId")
	if d == "" {
		return "", true
	}
	if qs.Get("supportsAllDrives") != "true" || listing && qs.Get("includeItemsFromAllDrives") != "true" {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "global", "driveId needs supportsAllDrives and includeItemsFromAllDrives", nil)
		return "", false
	}
	if sd := s.drives[d]; sd == nil || !sd.member {
		writeError(w, http.StatusNotFound, "", "notFound", "global", "Shared drive not found: "+d, nil)
		return "", false
	}
	return d, true
}

func (s *Server) startToken(w http.ResponseWriter, r *http.Request) {
	log, ok := s.changeLog(w, r, false)
	if !ok {
		return
	}
	writeJSON(w, r, &drive.StartPageToken{Kind: "drive#startPageToken", StartPageToken: s.changeToken(log, len(s.logs[log]))}, "kind,startPageToken")
}

func (s *Server) changeList(w http.ResponseWriter, r *http.Request) {
	log, ok := s.changeLog(w, r, true)
	if !ok {
		return
	}
	entries := s.logs[log]
	from, ok := s.parseChangeToken(r.URL.Query().Get("pageToken"), log)
	if !ok {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "global", "Invalid Value", nil)
		return
	}
	res := &drive.ChangeList{Kind: "drive#changeList"}
	n := 0
	pos := from
	for ; pos < len(entries) && n < pageSize(r); pos++ {
		id := entries[pos]
		if contains(entries[pos+1:], id) {
			continue // Drive lists a file's latest change only
		}
		f := s.files[id]
		ch := &drive.Change{Kind: "drive#change", ChangeType: "file", FileId: id, DriveId: log}
		switch {
		case f == nil:
			ch.Removed = true
		case f.Forbidden || f.DriveID != "" && r.URL.Query().Get("includeItemsFromAllDrives") != "true":
			ch.Removed = true // no longer visible to the caller
		default:
			ch.File = s.meta(f)
		}
		res.Changes = append(res.Changes, ch)
		n++
	}
	if pos < len(entries) {
		res.NextPageToken = s.changeToken(log, pos)
	} else {
		res.NewStartPageToken = s.changeToken(log, len(entries))
	}
	writeJSON(w, r, res, "kind,nextPageToken,newStartPageToken,changes(kind,changeType,removed,fileId,driveId,file(kind,id,name,mimeType))")
}

func (s *Server) sorted() []*File {
	out := make([]*File, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
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

// white is Google's default cell background.
var white = &sheets.Color{Red: 1, Green: 1, Blue: 1}

// Spreadsheet builds a Sheets API spreadsheet from a grid as Google holds
// it, with everything spreadsheets.get returns without a field mask: user
// entered and effective values, formatted values, and a full effective
// format (number format, background colour, text format, ...). Numbers
// that are date serials get a DATE number format and their formatted
// value; a cell's fill becomes its background colour; merges and hidden
// sheets carry over.
func Spreadsheet(g *grid.Grid) *sheets.Spreadsheet {
	ss := &sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: g.File, Locale: "da_DK", TimeZone: "Europe/Copenhagen"}}
	for i, sh := range g.Sheets {
		out := &sheets.Sheet{Properties: &sheets.SheetProperties{SheetId: int64(1000 + i*17), Title: sh.Name, Index: int64(i), Hidden: sh.Hidden, SheetType: "GRID",
			GridProperties: &sheets.GridProperties{RowCount: int64(max(len(sh.Rows), 1000)), ColumnCount: int64(max(widest(sh.Rows), 26))}}}
		for _, m := range sh.Merges {
			out.Merges = append(out.Merges, &sheets.GridRange{SheetId: out.Properties.SheetId, StartRowIndex: int64(m.Top - 1), EndRowIndex: int64(m.Bottom),
				StartColumnIndex: int64(m.Left - 1), EndColumnIndex: int64(m.Right)})
		}
		data := &sheets.GridData{}
		for _, row := range sh.Rows {
			rd := &sheets.RowData{}
			for _, c := range row {
				rd.Values = append(rd.Values, cellData(c))
			}
			data.RowData = append(data.RowData, rd)
		}
		out.Data = []*sheets.GridData{data}
		ss.Sheets = append(ss.Sheets, out)
	}
	return ss
}

// widest is the length of the longest row.
func widest(rows [][]grid.Cell) int {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	return n
}

func cellData(c grid.Cell) *sheets.CellData {
	bg := white
	if rgb, ok := c.FillRGB(); ok {
		bg = &sheets.Color{Red: float64(rgb>>16&0xFF) / 255, Green: float64(rgb>>8&0xFF) / 255, Blue: float64(rgb&0xFF) / 255}
	}
	format := &sheets.CellFormat{BackgroundColor: bg, BackgroundColorStyle: &sheets.ColorStyle{RgbColor: bg},
		TextFormat:        &sheets.TextFormat{FontFamily: "Arial", FontSize: 10, ForegroundColor: &sheets.Color{}},
		VerticalAlignment: "BOTTOM", WrapStrategy: "OVERFLOW_CELL", HyperlinkDisplayType: "PLAIN_TEXT",
		Padding: &sheets.Padding{Top: 2, Right: 3, Bottom: 2, Left: 3}}
	switch c.Kind {
	case grid.Empty:
		if _, ok := c.FillRGB(); ok {
			return &sheets.CellData{EffectiveFormat: format, UserEnteredFormat: &sheets.CellFormat{BackgroundColor: bg}}
		}
		return &sheets.CellData{}
	case grid.Number, grid.Date:
		n := c.Num
		cd := &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{NumberValue: &n}, UserEnteredValue: &sheets.ExtendedValue{NumberValue: &n},
			FormattedValue: c.Text, EffectiveFormat: format}
		format.NumberFormat = &sheets.NumberFormat{Type: "NUMBER", Pattern: "General"}
		if d, ok := grid.SerialDate(n); ok && n > 30000 && n < 60000 {
			format.NumberFormat = &sheets.NumberFormat{Type: "DATE", Pattern: "dd-mm-yyyy"}
			cd.FormattedValue = fmt.Sprintf("%02d-%02d-%d", d.Day, d.Month, d.Year)
		}
		return cd
	}
	t := c.Text
	return &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{StringValue: &t}, UserEnteredValue: &sheets.ExtendedValue{StringValue: &t},
		FormattedValue: t, EffectiveFormat: format}
}

// ServiceAccountKey generates a service-account key file's JSON for email
// whose token_uri is the fake's token endpoint, so that the real JWT
// exchange runs against it.
func (s *Server) ServiceAccountKey(email string) ([]byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	project := "udrul-test"
	if _, domain, ok := strings.Cut(email, "@"); ok {
		project, _, _ = strings.Cut(domain, ".")
	}
	return json.Marshal(map[string]string{
		"type": "service_account", "project_id": project, "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": email, "client_id": "1", "token_uri": s.TokenURL(),
	})
}
