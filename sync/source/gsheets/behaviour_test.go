package gsheets_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/internal/fakegoogle"
	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source/gsheets"
)

// TestSharedDrive: a spreadsheet in a shared drive changes in that drive's
// own change log, not in the account's: it is still seen.
func TestSharedDrive(t *testing.T) {
	e := newEnv(t, gsheets.Config{}, gsheets.Options{PageSize: 1})
	e.fake.SharedDrive("DRIVE1", "Kommuner", true)
	_, mine, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*mine)
	_, shared, _ := planSheet(t, 2, plangen.Blocks, "Vejle", "KY")
	shared.DriveID = "DRIVE1"
	e.fake.Put(*shared)
	// A folder in the shared drive, listed in the drive's corpus.
	e.fake.Folder("SDFOLDER", "Planer", "DRIVE1")
	_, inFolder, _ := planSheet(t, 3, plangen.SectionRows, "Skive", "SAPA")
	inFolder.DriveID, inFolder.Parents = "DRIVE1", []string{"SDFOLDER"}
	e.fake.Put(*inFolder)
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{mine.ID, shared.ID}, Folders: []string{"SDFOLDER"}})

	if r := e.cycle(); r.Read != 3 || !r.OK() {
		t.Fatalf("first cycle: %s %v", r.Summary(), r.Errors)
	}
	e.fake.Calls()
	if r := e.cycle(); r.Read != 0 || r.Unchanged != 3 {
		t.Errorf("unchanged: %s", r.Summary())
	}
	calls := e.fake.Calls()
	// One change log each: the account's and the shared drive's; the
	// folder checked and listed.
	if calls["drive.changes.list"] != 2 || calls["drive.files.get"] != 1 || calls["drive.files.list"] != 1 || calls["sheets.get"] != 0 {
		t.Errorf("unchanged calls = %v, want 2 changes.list (one per log), 1 folder check, 1 listing", calls)
	}
	_, changed, _ := planSheet(t, 42, plangen.Blocks, "Vejle", "KY")
	changed.DriveID = "DRIVE1"
	e.fake.Put(*changed)
	r := e.cycle()
	if r.Read != 1 || r.Changed == 0 && r.Added == 0 && r.Removed == 0 {
		t.Errorf("a change in the shared drive was not seen: %s", r.Summary())
	}
}

// TestFolderNotVisible: a folder that cannot be seen (Drive lists it as
// empty) fails the source; its plans keep their state, not gone.
func TestFolderNotVisible(t *testing.T) {
	const email = "udrul@p.iam.gserviceaccount.com"
	e := newEnvWithKey(t, email, gsheets.Options{})
	e.fake.Folder("F1", "Planer", "")
	_, f, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	f.Parents = []string{"F1"}
	e.fake.Put(*f)
	_, sheet, _ := planSheet(t, 2, plangen.Blocks, "Vejle", "KY")
	e.fake.Put(*sheet)
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F1"}})
	if r := e.cycle(); r.Read != 1 || !r.OK() {
		t.Fatalf("first cycle: %s %v", r.Summary(), r.Errors)
	}
	for _, tc := range []struct {
		name   string
		folder string
		want   string
		before func()
	}{
		{"unshared", "F1", "not found, or not shared with " + email, func() { e.fake.Folder("F1", "Planer", ""); e.fake.Share("F1", false) }},
		{"mistyped", "F1x", "folder F1x: not found, or not shared with " + email, func() {}},
		{"a spreadsheet, not a folder", sheet.ID, "is not a folder", func() {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.before()
			e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{tc.folder}})
			for range 2 { // every cycle
				r := e.cycle()
				if r.Err == nil || !strings.Contains(r.Err.Error(), tc.want) || r.Gone != 0 {
					t.Errorf("%s; want the source to fail with %q", r.Summary(), tc.want)
				}
			}
			p, _ := e.db.Plan(context.Background(), "Aarhus/KY")
			if p.State != store.PlanOK || p.Tasks == 0 {
				t.Errorf("plan = %+v, want it kept as it was", p)
			}
		})
	}
}

// TestRateLimits: Drive's 403 rate limits and Sheets' 429 are retried;
// other 403s are not, and say what to do.
func TestRateLimits(t *testing.T) {
	e := newEnv(t, gsheets.Config{Folders: []string{"F"}}, gsheets.Options{})
	e.fake.Folder("F", "Planer", "")
	_, f, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	f.Parents = []string{"F"}
	e.fake.Put(*f)
	e.fake.Fail("drive.files.list", 1, fakegoogle.Failure{Status: 403, Reason: "userRateLimitExceeded"})
	e.fake.Fail("drive.files.get", 1, fakegoogle.Failure{Status: 403, Reason: "rateLimitExceeded"})
	e.fake.Fail("sheets.get", 2, fakegoogle.Failure{Status: 429})
	if r := e.cycle(); !r.OK() || r.Read != 1 {
		t.Errorf("rate limits not retried: %s %v", r.Summary(), r.Errors)
	}
	if calls := e.fake.Calls(); calls["drive.files.list"] != 2 || calls["drive.files.get"] != 2 || calls["sheets.get"] != 3 {
		t.Errorf("calls = %v, want each rate-limited call retried", calls)
	}
}

// TestErrors: what a user reads for each kind of refusal.
func TestErrors(t *testing.T) {
	const email = "udrul@p.iam.gserviceaccount.com"
	for _, tc := range []struct {
		name     string
		endpoint string
		fail     fakegoogle.Failure
		file     func(*fakegoogle.File)
		sentinel error
		want     []string
	}{
		{name: "Drive API not enabled", endpoint: "drive.files.get", fail: fakegoogle.Failure{Status: 403, Reason: "accessNotConfigured"}, sentinel: gsheets.ErrAPIDisabled,
			want: []string{"Google Drive API is not enabled in Google Cloud project 123456789012", "https://console.developers.google.com/apis/api/drive.googleapis.com/overview?project=123456789012"}},
		{name: "Sheets API not enabled", endpoint: "sheets.get", fail: fakegoogle.Failure{Status: 403, Reason: "SERVICE_DISABLED"}, sentinel: gsheets.ErrAPIDisabled,
			want: []string{"Google Sheets API is not enabled"}},
		{name: "scope", endpoint: "drive.files.get", fail: fakegoogle.Failure{Status: 403, Reason: "insufficientPermissions"}, sentinel: gsheets.ErrScope,
			want: []string{"https://www.googleapis.com/auth/drive.readonly", "domain-wide delegation"}},
		{name: "Sheets: not shared", endpoint: "sheets.get", fail: fakegoogle.Failure{Status: 403}, sentinel: gsheets.ErrNotShared,
			want: []string{"share it with " + email}},
		{name: "download restricted, seen in capabilities", file: func(f *fakegoogle.File) { f.NoDownload = true }, sentinel: gsheets.ErrNoDownload,
			want: []string{"does not let viewers download"}},
		{name: "download refused", endpoint: "drive.files.download", fail: fakegoogle.Failure{Status: 403, Reason: "cannotDownloadFile"}, sentinel: gsheets.ErrNoDownload,
			want: []string{"does not let viewers download"}},
		{name: "rate limit past the retries", endpoint: "sheets.get", fail: fakegoogle.Failure{Status: 429}, sentinel: gsheets.ErrRateLimited,
			want: []string{"requests_per_minute"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWithKey(t, email, gsheets.Options{MaxRetries: 2})
			_, f, xlsx := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
			if tc.name == "download refused" || tc.file != nil {
				*f = fakegoogle.File{ID: "x1", Name: "KY_Aarhus.xlsx", MimeType: gsheets.MimeXLSX, Content: xlsx}
			}
			if tc.file != nil {
				tc.file(f)
			}
			e.fake.Put(*f)
			e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{f.ID}})
			if tc.endpoint != "" {
				e.fake.Fail(tc.endpoint, 10, tc.fail)
			}
			items, err := e.src.List(context.Background())
			if err == nil && len(items) == 1 && items[0].Err != nil {
				err = items[0].Err
			}
			if err == nil && len(items) == 1 {
				_, err = e.src.Fetch(context.Background(), items[0])
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.sentinel) && !strings.Contains(err.Error(), tc.sentinel.Error()) {
				t.Errorf("error %v is not %v", err, tc.sentinel)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			if tc.name == "download restricted, seen in capabilities" && e.fake.Calls()["drive.files.download"] != 0 {
				t.Error("downloaded a file whose capabilities say it cannot be")
			}
		})
	}
}

// TestTimeouts: each attempt has its own timeout, so a slow answer is
// retried and a Retry-After longer than the timeout is honoured.
func TestTimeouts(t *testing.T) {
	e := newEnv(t, gsheets.Config{Folders: []string{"F"}}, gsheets.Options{Timeout: 300 * time.Millisecond})
	e.fake.Folder("F", "Planer", "")
	e.fake.Fail("drive.files.list", 1, fakegoogle.Failure{Delay: 3 * time.Second})
	if r := e.cycle(); !r.OK() {
		t.Errorf("a slow attempt was not retried: %s", r.Summary())
	}
	e.fake.Fail("drive.files.list", 1, fakegoogle.Failure{Status: 429, RetryAfter: "1"})
	start := time.Now()
	if r := e.cycle(); !r.OK() {
		t.Errorf("Retry-After beyond the attempt timeout: %s", r.Summary())
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("took %v: Retry-After 1 s not honoured", d)
	}
	t.Run("the cycle's context bounds the whole", func(t *testing.T) {
		e.fake.Fail("drive.files.list", 1, fakegoogle.Failure{Status: 429, RetryAfter: "60"})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := e.src.List(ctx)
		if err == nil || time.Since(start) > 10*time.Second {
			t.Errorf("List = %v after %v, want the context's end", err, time.Since(start))
		}
		e.fake.Fail("drive.files.list", 0, fakegoogle.Failure{})
	})
}

// TestTokens: a revoked token gets one retry with a new one; a token that
// expires during a backoff is refreshed before the retry.
func TestTokens(t *testing.T) {
	e := newEnvWithKey(t, "udrul@p.iam.gserviceaccount.com", gsheets.Options{})
	e.fake.Folder("F", "Planer", "")
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F"}})
	if r := e.cycle(); !r.OK() {
		t.Fatalf("%s", r.Summary())
	}
	e.fake.Calls()
	e.fake.RevokeTokens()
	if r := e.cycle(); !r.OK() {
		t.Errorf("401 not retried with a new token: %s", r.Summary())
	}
	if calls := e.fake.Calls(); calls["token"] != 1 {
		t.Errorf("token calls = %d, want 1", calls["token"])
	}
	t.Run("expiry during backoff", func(t *testing.T) {
		// x/oauth2 treats a token as expired 10 s early: 11 s lives 1 s.
		e.fake.TokenLifetime = 11 * time.Second
		e.fake.RevokeTokens()
		e.cycle() // gets a short-lived token
		e.fake.Calls()
		e.fake.Fail("drive.files.list", 1, fakegoogle.Failure{Status: 429, RetryAfter: "2"})
		if r := e.cycle(); !r.OK() {
			t.Errorf("%s", r.Summary())
		}
		if calls := e.fake.Calls(); calls["token"] != 1 {
			t.Errorf("token calls = %d, want 1: the retry after the backoff needs a fresh token", calls["token"])
		}
	})
}

// TestDelegation: with google.subject the service account acts as that
// user, asking only for drive.readonly; a client ID not allowed to says
// what to set up.
func TestDelegation(t *testing.T) {
	const subject = "planlaegger@kommune.dk"
	e := newEnvWithKey(t, "udrul@p.iam.gserviceaccount.com", gsheets.Options{Subject: subject})
	e.fake.Folder("F", "Planer", "")
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F"}})
	r := e.cycle()
	if r.Err == nil || !strings.Contains(r.Err.Error(), "domain-wide delegation") || !strings.Contains(r.Err.Error(), "drive.readonly") {
		t.Errorf("not allowed: %s", r.Summary())
	}
	e.fake.Subjects = []string{subject}
	if r := e.cycle(); !r.OK() {
		t.Errorf("allowed: %s", r.Summary())
	}
	claims := e.fake.Claims()
	if claims["sub"] != subject || claims["scope"] != "https://www.googleapis.com/auth/drive.readonly" {
		t.Errorf("claims = %v, want sub %s and scope drive.readonly only", claims, subject)
	}
	// Not shared with the subject: the message names the subject.
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{"nope"}})
	items, err := e.src.List(context.Background())
	if err != nil || len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "not shared with "+subject) {
		t.Errorf("items %+v, %v", items, err)
	}
}

// TestRejectedToken: a change token Google refuses is re-baselined, and
// changes after it are seen.
func TestRejectedToken(t *testing.T) {
	e := newEnv(t, gsheets.Config{}, gsheets.Options{})
	_, f, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*f)
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{f.ID}})
	e.cycle()
	e.fake.ForgetChangeTokens()
	if r := e.cycle(); !r.OK() || r.Read != 0 {
		t.Errorf("after a refused token: %s", r.Summary())
	}
	_, changed, _ := planSheet(t, 9, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*changed)
	if r := e.cycle(); !r.OK() || r.Read != 1 {
		t.Errorf("a change after the new baseline: %s", r.Summary())
	}
}

// TestShortcut: a shortcut in a folder to a spreadsheet elsewhere is
// followed, and the target's changes are seen.
func TestShortcut(t *testing.T) {
	e := newEnv(t, gsheets.Config{}, gsheets.Options{})
	e.fake.Folder("F", "Planer", "")
	_, target, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*target)
	e.fake.Put(fakegoogle.File{ID: "short1", Name: "Genvej til Aarhus", MimeType: fakegoogle.MimeShortcut, Target: target.ID, Parents: []string{"F"}})
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F"}})
	if r := e.cycle(); !r.OK() || r.Read != 1 {
		t.Fatalf("%s %v", r.Summary(), r.Errors)
	}
	_, changed, _ := planSheet(t, 5, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*changed)
	if r := e.cycle(); !r.OK() || r.Read != 1 {
		t.Errorf("change of the target: %s", r.Summary())
	}
}

// recorder keeps the answers to spreadsheets.get requests and the ranges
// they asked for.
type recorder struct {
	mu      sync.Mutex
	answers []string
	ranges  [][]string
	bytes   int64
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !strings.Contains(req.URL.Path, "/spreadsheets/") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.answers = append(r.answers, string(body))
	r.ranges = append(r.ranges, req.URL.Query()["ranges"])
	r.bytes += int64(len(body))
	r.mu.Unlock()
	return resp, nil
}

// TestFetch_fieldMask: spreadsheets.get asks for what udrul reads and
// nothing else (the fake holds everything Google returns without a mask).
func TestFetch_fieldMask(t *testing.T) {
	rec := &recorder{}
	e := newEnv(t, gsheets.Config{}, gsheets.Options{Transport: rec})
	_, f, _ := planSheet(t, 1, plangen.Blocks, "Aarhus", "KY")
	e.fake.Put(*f)
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{f.ID}})
	items, err := e.src.List(context.Background())
	if err != nil || len(items) != 1 {
		t.Fatal(items, err)
	}
	if _, err := e.src.Fetch(context.Background(), items[0]); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rec.answers, "\n")
	if len(rec.answers) != 1 || len(rec.ranges[0]) != 0 {
		t.Errorf("%d spreadsheets.get with ranges %q, want one without ranges", len(rec.answers), rec.ranges)
	}
	for _, absent := range []string{"userEnteredValue", "textFormat", "pattern", "backgroundColor", "padding", "locale", "gridProperties"} {
		if strings.Contains(got, absent) {
			t.Errorf("the answer holds %q: the field mask is too wide", absent)
		}
	}
	for _, present := range []string{`"type":"DATE"`, "formattedValue", "effectiveValue", `"sheetId"`} {
		if !strings.Contains(got, present) {
			t.Errorf("the answer lacks %q", present)
		}
	}
	t.Run("size cap", func(t *testing.T) {
		src := gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{f.ID}, MaxSize: 1 << 10})
		items, _ := src.List(context.Background())
		_, err := src.Fetch(context.Background(), items[0])
		var tl *gsheets.TooLargeError
		if !errors.As(err, &tl) || !strings.Contains(err.Error(), "max_file_size_mib") {
			t.Errorf("err = %v, want a clear too-large error", err)
		}
	})
}

// TestFetch_timelineFills: a Gantt timeline's bars drawn by colour alone
// come through as fills; only its week columns' colours are asked for.
func TestFetch_timelineFills(t *testing.T) {
	e := newEnv(t, gsheets.Config{}, gsheets.Options{})
	const red, green = 0xFF0000, 0x00B050
	sh := grid.Sheet{Name: "Tidsplan"}
	header := []grid.Cell{{Kind: grid.Text, Text: "Opgave"}, {Kind: grid.Text, Text: "Ansvarlig"}}
	for w := 34; w <= 41; w++ {
		header = append(header, grid.Cell{Kind: grid.Number, Num: float64(w), Text: strconv.Itoa(w)})
	}
	sh.Rows = append(sh.Rows, []grid.Cell{{Kind: grid.Text, Text: "Kommune: Aarhus"}}, header)
	bar := []grid.Cell{{Kind: grid.Text, Text: "Konvertering"}, {Kind: grid.Text, Text: "Kommune"}, {}, {Fill: red | grid.FillSet}, {Fill: red | grid.FillSet}, {}, {Fill: green | grid.FillSet}}
	sh.Rows = append(sh.Rows, bar)
	plain := grid.Sheet{Name: "Noter", Rows: [][]grid.Cell{{{Kind: grid.Text, Text: "Noter"}}, {{Kind: grid.Text, Text: "x", Fill: 0x123456 | grid.FillSet}}}}
	ss := fakegoogle.Spreadsheet(&grid.Grid{Sheets: []grid.Sheet{sh, plain}})
	e.fake.Put(fakegoogle.File{ID: "gantt1", Name: "KY Aarhus tidsplan", MimeType: gsheets.MimeSheet, Sheet: ss})
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{"gantt1"}})
	items, err := e.src.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Calls()
	got, err := e.src.Fetch(context.Background(), items[0])
	if err != nil {
		t.Fatal(err)
	}
	if calls := e.fake.Calls(); calls["sheets.get"] != 2 {
		t.Errorf("sheets.get calls = %d, want 2 (values, then the week columns' colours)", calls["sheets.get"])
	}
	g := got.Grid
	for col, want := range map[int]uint32{2: 0, 3: red | grid.FillSet, 4: red | grid.FillSet, 5: 0, 6: green | grid.FillSet} {
		if c := g.Sheets[0].Cell(3, col+1); c.Fill != want {
			t.Errorf("row 3 column %d fill = %#x, want %#x", col+1, c.Fill, want)
		}
	}
	if c := g.Sheets[0].Cell(3, 1); c.Fill != 0 || c.Text != "Konvertering" {
		t.Errorf("task cell = %+v: colours are asked for the week columns only", c)
	}
	if c := g.Sheets[1].Cell(2, 1); c.Fill != 0 {
		t.Errorf("a sheet that is no timeline got fills: %+v", c)
	}
	t.Run("no timeline, no second request", func(t *testing.T) {
		_, f, _ := planSheet(t, 1, plangen.Blocks, "Vejle", "KY")
		e.fake.Put(*f)
		src := gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{f.ID}})
		items, err := src.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		e.fake.Calls()
		if _, err := src.Fetch(context.Background(), items[0]); err != nil {
			t.Fatal(err)
		}
		if n := e.fake.Calls()["sheets.get"]; n != 1 {
			t.Errorf("sheets.get calls = %d, want 1", n)
		}
	})
}

// TestErrors_danish: messages are Danish unless English is asked for.
func TestErrors_danish(t *testing.T) {
	const email = "udrul@p.iam.gserviceaccount.com"
	e := newEnvWithKey(t, email, gsheets.Options{Language: "da"})
	e.fake.Folder("F", "Planer", "")
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Folders: []string{"F2"}, Spreadsheets: []string{"S1"}})
	_, err := e.src.List(context.Background())
	want := "mappe F2: findes ikke, eller er ikke delt med " + email + ": tjek ID'et eller linket, og del det med " + email + " (Læser)"
	if err == nil || err.Error() != want || !errors.Is(err, gsheets.ErrNotFound) {
		t.Errorf("err = %v, want %q", err, want)
	}
	e.src = gsheets.New(e.client, gsheets.Config{Name: "google", Spreadsheets: []string{"https://docs.google.com/spreadsheets/d/e/2PACX-1v/pubhtml"}})
	if _, err := e.src.List(context.Background()); err == nil || !strings.Contains(err.Error(), "publiceret kopi") || !errors.Is(err, gsheets.ErrBadLink) {
		t.Errorf("err = %v, want a Danish message about a published copy", err)
	}
}
