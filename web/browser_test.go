package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium, or skips the test where it is absent
// (.ci/run installs it). Console errors, exceptions and failed requests
// are collected into problems.
func browser(t *testing.T) (context.Context, *[]string) {
	t.Helper()
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if found, err := exec.LookPath(p); err == nil {
			path = found
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium); .ci/run installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel3)
	problems := &[]string{}
	var mu sync.Mutex
	add := func(s string) {
		mu.Lock()
		*problems = append(*problems, s)
		mu.Unlock()
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				add("console error")
			}
		case *cdplog.EventEntryAdded: // CSP violations and the like
			if e.Entry.Level == cdplog.EntryLevelError {
				add("log: " + e.Entry.Text)
			}
		case *runtime.EventExceptionThrown:
			add("exception: " + e.ExceptionDetails.Text)
		case *network.EventLoadingFailed:
			add("failed request: " + e.ErrorText)
		case *network.EventResponseReceived:
			if e.Response.Status >= 400 {
				add(fmt.Sprintf("HTTP %d for %s", e.Response.Status, e.Response.URL))
			}
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil { // network, runtime and log events are on
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx, problems
}

// shot saves a screenshot when UDRUL_SCREENSHOTS names a folder, to look at.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("UDRUL_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// TestBrowser_pages loads every page in headless Chromium: no console
// errors or failed requests; the matrix is coloured; a click on a task
// opens its history; a filter changes the rows; the CSV link downloads
// the same rows.
func TestBrowser_pages(t *testing.T) {
	ctx, problems := browser(t)
	for _, english := range []bool{false, true} {
		ts := newServer(t, fixture(), nil, english)
		lang := map[bool]string{false: "da", true: "en"}[english]
		for _, path := range []string{"/", "/plan/Aarhus/KY", "/plan/Vejle/KY", "/list/data", "/list/overdue", "/list/slipped", "/sources"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible("main")); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			shot(t, ctx, lang+strings.ReplaceAll(path, "/", "_"))
		}
		// The red cell of Aarhus/KY is red on screen.
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("td.cell.red")); err != nil {
			t.Fatal(err)
		}
		bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('td.cell.red')).backgroundColor`))
		if err != nil {
			t.Fatal(err)
		}
		if bg != "rgb(255, 199, 206)" {
			t.Errorf("red cell background %q", bg)
		}
		// Click through: the cell opens the plan, the task opens its page.
		if err := chromedp.Do(ctx, chromedp.Click(`td.cell.red a`), chromedp.WaitVisible(`tr.step`),
			chromedp.Click(`a[href="/task/11"]`), chromedp.WaitVisible(`a[href="/plan/Aarhus/KY"]`)); err != nil {
			t.Fatal(err)
		}
		heading, err := chromedp.Run(ctx, chromedp.Text(`h1`))
		if err != nil {
			t.Fatal(err)
		}
		if heading != "Datavask i kommunen" {
			t.Errorf("task page heading %q", heading)
		}
		// Filter the slipped list to Aarhus: no rows; to Vejle: one.
		countRows := chromedp.Evaluate[int](`document.querySelectorAll('main table tr').length - 1`)
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/list/slipped"),
			chromedp.SetValue(`select[name=municipality]`, "Aarhus"), chromedp.Submit(`form.filters`),
			chromedp.WaitReady(`option[selected]`)); err != nil {
			t.Fatal(err)
		}
		rows, err := chromedp.Run(ctx, countRows)
		if err != nil {
			t.Fatal(err)
		}
		if rows != 0 {
			t.Errorf("filtered to Aarhus: %d rows", rows)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/list/slipped?municipality=Vejle"), chromedp.WaitVisible(`p.muted`)); err != nil {
			t.Fatal(err)
		}
		if rows, err = chromedp.Run(ctx, countRows); err != nil {
			t.Fatal(err)
		}
		csvHref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a.button').getAttribute('href')`))
		if err != nil {
			t.Fatal(err)
		}
		if rows != 1 || csvHref != "/api/list/slipped?format=csv&municipality=Vejle" {
			t.Errorf("filtered to Vejle: %d rows, CSV link %q", rows, csvHref)
		}
		_, _, body := get(t, ts, csvHref, nil)
		if n := strings.Count(strings.TrimSpace(body), "\n"); n != rows {
			t.Errorf("CSV has %d rows, the page %d", n, rows)
		}
	}
	if len(*problems) > 0 {
		t.Errorf("browser problems: %q", *problems)
	}
}

// TestBrowser_waves loads the Bølger page in both languages: no console
// errors or failed requests, a timeline per solution, a bar per
// municipality.
func TestBrowser_waves(t *testing.T) {
	ctx, problems := browser(t)
	for _, english := range []bool{false, true} {
		ts := newServer(t, wavesFixture(), nil, english)
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/waves"), chromedp.WaitVisible("svg.timeline")); err != nil {
			t.Fatal(err)
		}
		shot(t, ctx, map[bool]string{false: "da", true: "en"}[english]+"_waves")
		// The overview with its weekly chart, under the same CSP.
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("svg polyline")); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/waves"), chromedp.WaitVisible("svg.timeline")); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll('svg.timeline').length, document.querySelectorAll('svg.bar').length,
			document.querySelectorAll('svg.timeline circle').length, Math.round(document.querySelector('svg.timeline').getBoundingClientRect().width)]`))
		if err != nil {
			t.Fatal(err)
		}
		// Two solutions; three plans, each with tasks; KY wave 1's two
		// milestones; the timeline as wide as its frame allows.
		if len(got) != 4 || got[0] != 2 || got[1] != 3 || got[2] != 2 || got[3] < 600 {
			t.Errorf("timelines, bars, milestones, width: %v, want [2 3 2 >=600]", got)
		}
	}
	if len(*problems) > 0 {
		t.Errorf("browser problems: %q", *problems)
	}
}

// TestBrowser_oidcLogin logs a municipal user in through the fake OpenID
// Connect provider in Chromium: the plan asked for opens after the login,
// the session cookie is HttpOnly (no script sees it), and another
// municipality's plan is refused.
func TestBrowser_oidcLogin(t *testing.T) {
	ctx, _ := browser(t)
	idp := newFakeIdP(t)
	idp.email = "pl@aarhus.dk"
	ts, _ := oidcServer(t, idp, nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/plan/Aarhus/KY"), chromedp.WaitVisible("tr.step")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[location.pathname, document.querySelector('h1').textContent, document.querySelector('.who').textContent, document.cookie]`))
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "/plan/Aarhus/KY" || !strings.HasPrefix(got[1], "Aarhus · KY") || !strings.Contains(got[2], "pl@aarhus.dk") || got[3] != "" {
		t.Errorf("after login: path, heading, user, script-visible cookies = %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/plan/Vejle/KY"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text("body"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Adgang nægtet") {
		t.Errorf("another municipality's plan: %q", body)
	}
}

// TestBrowser_problemsSeen checks the problem collector itself: a page
// that answers 404 is noticed.
func TestBrowser_problemsSeen(t *testing.T) {
	ctx, problems := browser(t)
	ts := newServer(t, fixture(), nil, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/plan/Odense/KY")); err != nil {
		t.Fatal(err)
	}
	// The collector sees a failed page: the test above would fail on one.
	deadline := time.Now().Add(5 * time.Second)
	for len(*problems) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(*problems) == 0 {
		t.Error("a 404 page was not noticed")
	}
}

// TestBrowser_logout logs a user in through the fake provider, clicks the
// header's log-out button in Chromium (a POST the browser marks
// same-origin, which the cross-site check lets through) and sees the
// logged-out page; the session's cookie, taken before, is refused
// afterwards: the session ended on the server, not only in the browser.
func TestBrowser_logout(t *testing.T) {
	ctx, problems := browser(t)
	idp := newFakeIdP(t)
	idp.email = "pl@aarhus.dk"
	ts, _ := oidcServer(t, idp, nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("form.logout button")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "da_logged_in")
	var cookie string
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{ts.URL}})
		for _, c := range res.Cookies {
			if c.Name == sessionCookie {
				cookie = c.Value
			}
		}
		return err
	})); err != nil || cookie == "" {
		t.Fatalf("session cookie: %q, %v", cookie, err)
	}
	if code := withCookie(t, ts.URL, "/api/overview", cookie); code != 200 {
		t.Fatalf("the browser's session before logging out: %d", code)
	}
	if err := chromedp.Do(ctx, chromedp.Click("form.logout button"), chromedp.WaitVisible("main.auth")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Du er logget ud") {
		t.Errorf("after clicking log out: %q", text)
	}
	shot(t, ctx, "da_logged_out")
	if code := withCookie(t, ts.URL, "/api/overview", cookie); code != 401 {
		t.Errorf("the browser's session cookie after logging out: %d, want 401", code)
	}
	if len(*problems) > 0 {
		t.Errorf("browser problems: %q", *problems)
	}
}
