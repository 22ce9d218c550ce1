// Package fakegoogle is an in-process fake of the Google endpoints udrul
// uses — Drive files.list, files.get (metadata and download),
// changes.getStartPageToken and changes.list, Sheets spreadsheets.get, and
// the OAuth token endpoint — answering in Google's JSON shapes (the real
// client library's types), so the real client code runs in tests. It
// counts calls and injects failures.
package fakegoogle

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
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

// File is a file in the fake Drive.
type File struct {
	ID, Name, MimeType string
	Parents            []string
	Content            []byte              // for Excel and CSV files
	Sheet              *sheets.Spreadsheet // for native spreadsheets
	Forbidden          bool                // not shared with the caller: 403
	trashed            bool
	version            int64
	modified           time.Time
}

// Failure is an injected error response.
type Failure struct {
	Status     int
	RetryAfter string
}

// Server is the fake.
type Server struct {
	*httptest.Server
	mu      sync.Mutex
	files   map[string]*File
	changes []string // file IDs, in change order; a token is an index
	calls   map[string]int
	fail    map[string][]Failure
	clock   time.Time
	// requireAuth is set once a token was issued: from then on requests
	// need it.
	requireAuth bool
}

// New starts a fake Google.
func New() *Server {
	s := &Server{files: map[string]*File{}, calls: map[string]int{}, fail: map[string][]Failure{}, clock: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// DriveEndpoint and SheetsEndpoint are the endpoints to give the clients.
func (s *Server) DriveEndpoint() string  { return s.URL + "/drive/v3/" }
func (s *Server) SheetsEndpoint() string { return s.URL + "/" }

// TokenURL is the OAuth token endpoint, for a service-account key's token_uri.
func (s *Server) TokenURL() string { return s.URL + "/token" }

// Put adds or changes a file: its version and modification time move on,
// and Drive records a change.
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
	s.changes = append(s.changes, f.ID)
}

// Delete trashes a file.
func (s *Server) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.files[id]; f != nil {
		f.trashed = true
		s.changes = append(s.changes, id)
	}
}

// Fail makes the next n requests to an endpoint ("drive.files.list",
// "drive.files.get", "drive.files.download", "drive.changes.list",
// "sheets.get", "token") answer with f.
func (s *Server) Fail(endpoint string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
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

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": msg, "status": http.StatusText(code),
		"errors": []map[string]any{{"message": msg, "domain": "global", "reason": reason}},
	}})
}

var (
	fileRe    = regexp.MustCompile(`^/drive/v3/files/([^/]+)$`)
	sheetRe   = regexp.MustCompile(`^/v4/spreadsheets/([^/]+)$`)
	parentsRe = regexp.MustCompile(`'([^']+)' in parents`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	s.calls[endpoint]++
	if q := s.fail[endpoint]; len(q) > 0 {
		f := q[0]
		s.fail[endpoint] = q[1:]
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		writeError(w, f.Status, "rateLimitExceeded", fmt.Sprintf("injected %d", f.Status))
		return
	}
	if endpoint != "token" && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") && r.Header.Get("X-Fake-Noauth") == "" && s.requireAuth {
		writeError(w, http.StatusUnauthorized, "authError", "no credentials")
		return
	}
	switch endpoint {
	case "token":
		s.token(w, r)
	case "drive.files.list":
		s.list(w, r)
	case "drive.changes.start":
		writeJSON(w, &drive.StartPageToken{StartPageToken: strconv.Itoa(len(s.changes))})
	case "drive.changes.list":
		s.changeList(w, r)
	case "drive.files.get", "drive.files.download":
		id := fileRe.FindStringSubmatch(path)[1]
		f := s.files[id]
		switch {
		case f == nil:
			writeError(w, http.StatusNotFound, "notFound", "File not found: "+id)
		case f.Forbidden:
			writeError(w, http.StatusForbidden, "forbidden", "The caller does not have permission")
		case endpoint == "drive.files.download":
			if f.MimeType == "application/vnd.google-apps.spreadsheet" {
				writeError(w, http.StatusForbidden, "fileNotDownloadable", "Only files with binary content can be downloaded")
				return
			}
			w.Header().Set("Content-Type", f.MimeType)
			w.Write(f.Content)
		default:
			writeJSON(w, s.meta(f))
		}
	case "sheets.get":
		id := sheetRe.FindStringSubmatch(path)[1]
		f := s.files[id]
		switch {
		case f == nil || f.trashed || f.Sheet == nil:
			writeError(w, http.StatusNotFound, "notFound", "Requested entity was not found.")
		case f.Forbidden:
			writeError(w, http.StatusForbidden, "forbidden", "The caller does not have permission")
		case r.URL.Query().Get("includeGridData") != "true" || r.URL.Query().Get("fields") == "":
			writeError(w, http.StatusBadRequest, "badRequest", "udrul must ask for grid data with a field mask")
		default:
			writeJSON(w, f.Sheet)
		}
	default:
		writeError(w, http.StatusNotFound, "notFound", "no such endpoint "+path)
	}
}

func (s *Server) meta(f *File) *drive.File {
	return &drive.File{Id: f.ID, Name: f.Name, MimeType: f.MimeType, Parents: f.Parents, Trashed: f.trashed, Version: f.version,
		ModifiedTime: f.modified.Format(time.RFC3339), Size: int64(len(f.Content)), WebViewLink: "https://drive.google.com/file/d/" + f.ID + "/view"}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || strings.Count(r.PostForm.Get("assertion"), ".") != 2 {
		writeError(w, http.StatusBadRequest, "invalid_grant", "want a JWT bearer assertion")
		return
	}
	s.requireAuth = true
	writeJSON(w, map[string]any{"access_token": "fake-token", "token_type": "Bearer", "expires_in": 3600})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	m := parentsRe.FindStringSubmatch(q)
	if m == nil {
		writeError(w, http.StatusBadRequest, "badRequest", "udrul lists folders by parent")
		return
	}
	parent := m[1]
	var out []*drive.File
	for _, f := range s.sorted() {
		if f.trashed || !contains(f.Parents, parent) || (strings.Contains(q, "mimeType") && !strings.Contains(q, "'"+f.MimeType+"'")) {
			continue
		}
		if f.Forbidden {
			continue // Drive does not list what the caller cannot see
		}
		out = append(out, s.meta(f))
	}
	writeJSON(w, &drive.FileList{Files: out})
}

func (s *Server) changeList(w http.ResponseWriter, r *http.Request) {
	from, err := strconv.Atoi(r.URL.Query().Get("pageToken"))
	if err != nil || from < 0 || from > len(s.changes) {
		writeError(w, http.StatusBadRequest, "invalid", "bad page token")
		return
	}
	res := &drive.ChangeList{NewStartPageToken: strconv.Itoa(len(s.changes))}
	seen := map[string]bool{}
	for _, id := range s.changes[from:] {
		if seen[id] {
			continue
		}
		seen[id] = true
		f := s.files[id]
		ch := &drive.Change{FileId: id, Removed: f == nil}
		if f != nil && !f.Forbidden {
			ch.File = s.meta(f)
		}
		res.Changes = append(res.Changes, ch)
	}
	writeJSON(w, res)
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

// Spreadsheet builds a Sheets API spreadsheet from a grid as Google holds
// it: numbers that are date serials get a DATE number format and their
// formatted value, merges and hidden sheets carry over.
func Spreadsheet(g *grid.Grid) *sheets.Spreadsheet {
	ss := &sheets.Spreadsheet{Properties: &sheets.SpreadsheetProperties{Title: g.File}}
	for i, sh := range g.Sheets {
		out := &sheets.Sheet{Properties: &sheets.SheetProperties{SheetId: int64(1000 + i*17), Title: sh.Name, Index: int64(i), Hidden: sh.Hidden}}
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

func cellData(c grid.Cell) *sheets.CellData {
	switch c.Kind {
	case grid.Empty:
		return &sheets.CellData{}
	case grid.Number, grid.Date:
		n := c.Num
		cd := &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{NumberValue: &n}, FormattedValue: c.Text}
		if d, ok := grid.SerialDate(n); ok && n > 30000 && n < 60000 {
			cd.EffectiveFormat = &sheets.CellFormat{NumberFormat: &sheets.NumberFormat{Type: "DATE", Pattern: "dd-mm-yyyy"}}
			cd.FormattedValue = fmt.Sprintf("%02d-%02d-%d", d.Day, d.Month, d.Year)
		}
		return cd
	}
	t := c.Text
	return &sheets.CellData{EffectiveValue: &sheets.ExtendedValue{StringValue: &t}, FormattedValue: t}
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
