package gsheets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/sheets/v4"
)

// MIME types of the documents read.
const (
	MimeSheet = "application/vnd.google-apps.spreadsheet"
	MimeXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MimeXLSM  = "application/vnd.ms-excel.sheet.macroEnabled.12"
	MimeCSV   = "text/csv"
)

// Errors a Google source reports, wrapped with the detail.
var (
	ErrNotShared = errors.New("not shared with udrul")
	ErrNotFound  = errors.New("not found")
)

// fileFields are the Drive fields udrul reads of a file.
const fileFields = "id,name,mimeType,modifiedTime,version,size,trashed,webViewLink"

// sheetFields is the field mask of spreadsheets.get: values, formats,
// merges and hidden flags, nothing else.
const sheetFields = "spreadsheetId,properties(title),sheets(properties(sheetId,title,index,hidden),merges,data(startRow,startColumn,rowData(values(effectiveValue,formattedValue,effectiveFormat(numberFormat)))))"

// Config is one Google source.
type Config struct {
	Name string
	// Spreadsheets are spreadsheet IDs or URLs; Folders are Drive folder IDs
	// or URLs whose spreadsheets are all plans.
	Spreadsheets []string
	Folders      []string
	// MaxSize bounds a downloaded file.
	MaxSize int64
}

// Source is a Google source.
type Source struct {
	c     *Client
	cfg   Config
	calls atomic.Int64
	state state
	kinds map[string]string // file ID → MIME type, from the last listing
}

// state is kept in the store between cycles: the Drive change token and
// what is known of the listed spreadsheets.
type state struct {
	Token string               `json:"token,omitempty"`
	Files map[string]fileState `json:"files,omitempty"`
}

type fileState struct {
	Name     string `json:"name"`
	Mime     string `json:"mime"`
	Version  string `json:"version"`
	URL      string `json:"url,omitempty"`
	Problem  string `json:"problem,omitempty"` // not shared: retried every cycle
	NotFound bool   `json:"not_found,omitempty"`
}

var _ interface {
	List(context.Context) ([]source.Item, error)
	Fetch(context.Context, source.Item) (source.Fetched, error)
} = (*Source)(nil)

// New returns a Google source using the shared client.
func New(c *Client, cfg Config) *Source {
	for i, s := range cfg.Spreadsheets {
		cfg.Spreadsheets[i] = IDFromURL(s)
	}
	for i, s := range cfg.Folders {
		cfg.Folders[i] = IDFromURL(s)
	}
	return &Source{c: c, cfg: cfg, kinds: map[string]string{}}
}

var idRe = regexp.MustCompile(`/(?:spreadsheets/d|folders|file/d)/([a-zA-Z0-9_-]+)`)

// IDFromURL returns the ID in a Google Sheets or Drive URL, or s itself.
func IDFromURL(s string) string {
	if m := idRe.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return strings.TrimSpace(s)
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
	if s.state.Files == nil {
		s.state.Files = map[string]fileState{}
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

func (s *Source) explain(what string, err error) error {
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		switch gerr.Code {
		case http.StatusForbidden:
			who := "udrul's service account"
			if s.c.email != "" {
				who = s.c.email
			}
			return fmt.Errorf("%s: %w: share it with %s (Viewer)", what, ErrNotShared, who)
		case http.StatusNotFound:
			return fmt.Errorf("%s: %w: deleted, or moved where udrul cannot see it", what, ErrNotFound)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

func item(f fileState, id string) source.Item {
	return source.Item{Key: id, Name: f.Name, Version: f.Version, URL: f.URL}
}

func stateOf(f *drive.File) fileState {
	fs := fileState{Name: f.Name, Mime: f.MimeType, Version: f.ModifiedTime + "/" + fmt.Sprint(f.Version), URL: f.WebViewLink}
	if f.MimeType == MimeSheet {
		fs.URL = SheetURL(f.Id)
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

// List returns the spreadsheets of the folders (one files.list call per
// folder and page) and the listed spreadsheets (one changes.list call per
// cycle once they are known).
func (s *Source) List(ctx context.Context) ([]source.Item, error) {
	ctx = withCounter(ctx, &s.calls)
	if s.state.Files == nil {
		s.state.Files = map[string]fileState{}
	}
	var items []source.Item
	for _, folder := range s.cfg.Folders {
		q := fmt.Sprintf("'%s' in parents and trashed = false and (mimeType = '%s' or mimeType = '%s' or mimeType = '%s' or mimeType = '%s')",
			folder, MimeSheet, MimeXLSX, MimeXLSM, MimeCSV)
		call := s.c.drive.Files.List().Q(q).PageSize(1000).SupportsAllDrives(true).IncludeItemsFromAllDrives(true).
			Fields(googleapi.Field("nextPageToken,files(" + fileFields + ")")).Context(ctx)
		err := call.Pages(ctx, func(fl *drive.FileList) error {
			for _, f := range fl.Files {
				fs := stateOf(f)
				s.kinds[f.Id] = f.MimeType
				items = append(items, item(fs, f.Id))
			}
			return nil
		})
		if err != nil {
			return nil, s.explain("folder "+folder, err)
		}
	}
	listed, err := s.listSpreadsheets(ctx)
	if err != nil {
		return nil, err
	}
	return append(items, listed...), nil
}

func (s *Source) listSpreadsheets(ctx context.Context) ([]source.Item, error) {
	if len(s.cfg.Spreadsheets) == 0 {
		return nil, nil
	}
	if s.state.Token == "" {
		tok, err := s.c.drive.Changes.GetStartPageToken().SupportsAllDrives(true).Context(ctx).Do()
		if err != nil {
			return nil, s.explain("drive changes", err)
		}
		s.state.Token = tok.StartPageToken
		s.state.Files = map[string]fileState{}
	} else {
		// What changed since the last cycle, in one call per page.
		want := map[string]bool{}
		for _, id := range s.cfg.Spreadsheets {
			want[id] = true
		}
		token := s.state.Token
		for token != "" {
			cl, err := s.c.drive.Changes.List(token).SupportsAllDrives(true).IncludeItemsFromAllDrives(true).PageSize(1000).
				Fields(googleapi.Field("nextPageToken,newStartPageToken,changes(fileId,removed,file(" + fileFields + "))")).Context(ctx).Do()
			if err != nil {
				return nil, s.explain("drive changes", err)
			}
			for _, ch := range cl.Changes {
				if !want[ch.FileId] {
					continue
				}
				if ch.Removed || ch.File == nil || ch.File.Trashed {
					s.state.Files[ch.FileId] = fileState{NotFound: true}
					continue
				}
				s.state.Files[ch.FileId] = stateOf(ch.File)
			}
			if cl.NewStartPageToken != "" {
				s.state.Token = cl.NewStartPageToken
			}
			token = cl.NextPageToken
		}
	}
	var items []source.Item
	for _, id := range s.cfg.Spreadsheets {
		fs, known := s.state.Files[id]
		if !known || fs.Problem != "" {
			f, err := s.c.drive.Files.Get(id).SupportsAllDrives(true).Fields(fileFields).Context(ctx).Do()
			switch {
			case err != nil:
				err = s.explain("spreadsheet "+id, err)
				if errors.Is(err, ErrNotFound) {
					fs = fileState{NotFound: true}
				} else {
					fs = fileState{Problem: err.Error(), Name: id, Version: "problem"}
				}
			case f.Trashed:
				fs = fileState{NotFound: true}
			default:
				fs = stateOf(f)
			}
			s.state.Files[id] = fs
		}
		if fs.NotFound {
			continue // the syncer reports it gone; its plan keeps its tasks
		}
		it := item(fs, id)
		if fs.Problem != "" {
			it.Err = errors.New(fs.Problem)
		}
		s.kinds[id] = fs.Mime
		items = append(items, it)
	}
	return items, nil
}

// Fetch reads a native spreadsheet with one spreadsheets.get request, and
// downloads an Excel or CSV file kept in Drive.
func (s *Source) Fetch(ctx context.Context, it source.Item) (source.Fetched, error) {
	ctx = withCounter(ctx, &s.calls)
	if s.kinds[it.Key] != MimeSheet {
		resp, err := s.c.drive.Files.Get(it.Key).SupportsAllDrives(true).Context(ctx).Download()
		if err != nil {
			return source.Fetched{}, s.explain("download "+it.Name, err)
		}
		defer resp.Body.Close()
		limit := s.cfg.MaxSize
		if limit <= 0 {
			limit = 256 << 20
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
		if err != nil {
			return source.Fetched{}, fmt.Errorf("download %s: %w", it.Name, err)
		}
		if int64(len(data)) > limit {
			return source.Fetched{}, fmt.Errorf("download %s: larger than %d bytes", it.Name, limit)
		}
		return source.Fetched{Data: data}, nil
	}
	ss, err := s.c.sheets.Spreadsheets.Get(it.Key).IncludeGridData(true).Fields(sheetFields).Context(ctx).Do()
	if err != nil {
		return source.Fetched{}, s.explain("spreadsheet "+it.Name, err)
	}
	ss.ServerResponse = googleapi.ServerResponse{}
	data, err := json.Marshal(ss)
	if err != nil {
		return source.Fetched{}, err
	}
	return source.Fetched{Data: data, Grid: ToGrid(ss)}, nil
}

// ToGrid turns a spreadsheets.get response into a grid: values with their
// types (dates and percentages from their number formats), merged ranges,
// hidden sheets, and a link per sheet that opens a cell.
func ToGrid(ss *sheets.Spreadsheet) *grid.Grid {
	g := &grid.Grid{}
	if ss.Properties != nil {
		g.File = ss.Properties.Title
	}
	for _, sh := range ss.Sheets {
		if sh.Properties == nil {
			continue
		}
		out := grid.Sheet{Name: sh.Properties.Title, Hidden: sh.Properties.Hidden,
			Link: fmt.Sprintf("%s#gid=%d&range=", SheetURL(ss.SpreadsheetId), sh.Properties.SheetId)}
		for _, m := range sh.Merges {
			out.Merges = append(out.Merges, grid.Merge{Top: int(m.StartRowIndex) + 1, Left: int(m.StartColumnIndex) + 1, Bottom: int(m.EndRowIndex), Right: int(m.EndColumnIndex)})
		}
		for _, data := range sh.Data {
			for r, rd := range data.RowData {
				row := int(data.StartRow) + r
				var cells []grid.Cell
				for c, v := range rd.Values {
					col := int(data.StartColumn) + c
					cell := toCell(v)
					if cell.Kind == grid.Empty {
						continue
					}
					for len(cells) < col {
						cells = append(cells, grid.Cell{})
					}
					cells = append(cells, cell)
				}
				for len(out.Rows) <= row {
					out.Rows = append(out.Rows, nil)
				}
				out.Rows[row] = cells
			}
		}
		for len(out.Rows) > 0 && out.Rows[len(out.Rows)-1] == nil {
			out.Rows = out.Rows[:len(out.Rows)-1]
		}
		g.Sheets = append(g.Sheets, out)
	}
	return g
}

func toCell(v *sheets.CellData) grid.Cell {
	if v == nil || v.EffectiveValue == nil {
		if v != nil && strings.TrimSpace(v.FormattedValue) != "" {
			return grid.Cell{Kind: grid.Text, Text: v.FormattedValue}
		}
		return grid.Cell{}
	}
	ev := v.EffectiveValue
	switch {
	case ev.NumberValue != nil:
		n := *ev.NumberValue
		text := v.FormattedValue
		if text == "" {
			text = fmt.Sprint(n)
		}
		kind := grid.Number
		if v.EffectiveFormat != nil && v.EffectiveFormat.NumberFormat != nil {
			switch v.EffectiveFormat.NumberFormat.Type {
			case "DATE", "DATE_TIME":
				kind = grid.Date
			}
		}
		return grid.Cell{Kind: kind, Text: text, Num: n}
	case ev.StringValue != nil:
		return grid.Cell{Kind: grid.Text, Text: *ev.StringValue}
	case ev.BoolValue != nil:
		return grid.Cell{Kind: grid.Bool, Text: strings.ToUpper(fmt.Sprint(*ev.BoolValue))}
	}
	return grid.Cell{Kind: grid.Text, Text: v.FormattedValue}
}
