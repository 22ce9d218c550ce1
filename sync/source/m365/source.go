package m365

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/source"
)

// Errors an m365 source reports, wrapped with what to fix.
var (
	ErrNotGranted = errors.New("not granted to udrul's app")
	ErrNotFound   = errors.New("not found")
	ErrThrottled  = errors.New("throttled by Microsoft Graph")
)

// Config is one m365 source: a SharePoint site's library (a Teams
// channel's files are the folder named after the channel in the team
// site's library), and/or sharing links to files or folders.
type Config struct {
	Name string
	// Tenant is the tenant (ID or domain) of the site; "" is the client's.
	Tenant string
	// Site is the site's URL: https://kommune.sharepoint.com/sites/Udrulning
	// (or a OneDrive: https://kommune-my.sharepoint.com/personal/user_kommune_dk).
	Site string
	// Library is the document library's name ("Dokumenter", "Delte
	// dokumenter", "Documents"); "" is the site's default library, or the
	// first part of each folder when it names a library.
	Library string
	// Folders are folder paths in the library; none is the whole library.
	Folders []string
	// Recursive also reads the folders' subfolders.
	Recursive bool
	// Links are sharing links to files or folders.
	Links []string
	// MaxSize bounds a downloaded file.
	MaxSize int64
	// ReadOpts are the grid readers' options (limits, language), as for
	// files; MaxSize applies when its own is not set.
	ReadOpts grid.Options
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Source is an m365 source.
type Source struct {
	c     *Client
	cfg   Config
	calls atomic.Int64
	state state
}

// state is kept in the store between cycles: where the configured places
// are (resolved once), and per drive the deltaLink and the tree of folders
// and plan files, tracked by ID as Graph asks (delta gives no paths).
type state struct {
	Resolved  string                 `json:"resolved,omitempty"` // the configuration the scopes were resolved for
	Site      string                 `json:"site,omitempty"`     // the site's ID
	Scopes    []scope                `json:"scopes,omitempty"`
	Drives    map[string]*driveState `json:"drives,omitempty"`
	LastDelta time.Time              `json:"last_delta"`
	Resyncs   int                    `json:"resyncs,omitempty"`
}

// scope is a configured folder or file, resolved to its drive and ID.
type scope struct {
	Drive string `json:"drive"`
	Item  string `json:"item"`
	File  bool   `json:"file,omitempty"`
	Label string `json:"label"` // as configured, for messages
	// Path is a configured folder's path in its library ("" for the
	// root): a folder renamed or moved away is no longer the one meant.
	Path   string `json:"path,omitempty"`
	ByPath bool   `json:"by_path,omitempty"`
}

type driveState struct {
	Delta string          `json:"delta"`
	Items map[string]node `json:"items"`
}

type node struct {
	Name    string `json:"n,omitempty"`
	Parent  string `json:"p,omitempty"`
	Folder  bool   `json:"f,omitempty"`
	Version string `json:"v,omitempty"`
	Size    int64  `json:"s,omitempty"`
	URL     string `json:"u,omitempty"`
}

// New returns an m365 source using the shared client.
func New(c *Client, cfg Config) *Source {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Source{c: c, cfg: cfg}
}

var _ interface {
	Name() string
	Kind() string
	Location() string
	List(context.Context) ([]source.Item, error)
	Fetch(context.Context, source.Item) (source.Fetched, error)
	SetState([]byte)
	State() []byte
	TakeCalls() int
} = (*Source)(nil)

// Name is the source's configured name.
func (s *Source) Name() string { return s.cfg.Name }

// Kind is "m365".
func (s *Source) Kind() string { return "m365" }

// Location names the site, library, folders and links read.
func (s *Source) Location() string {
	var parts []string
	if s.cfg.Site != "" {
		p := s.cfg.Site
		if s.cfg.Library != "" {
			p += " " + s.cfg.Library
		}
		if len(s.cfg.Folders) > 0 {
			p += ": " + strings.Join(s.cfg.Folders, ", ")
		}
		parts = append(parts, p)
	}
	if n := len(s.cfg.Links); n > 0 {
		parts = append(parts, s.c.msg("links", n))
	}
	return "m365: " + strings.Join(parts, "; ")
}

// SetState restores the state kept in the store.
func (s *Source) SetState(b []byte) {
	s.state = state{}
	json.Unmarshal(b, &s.state)
}

// State is what to keep in the store.
func (s *Source) State() []byte {
	b, _ := json.Marshal(s.state)
	return b
}

// TakeCalls returns the Graph requests made since the last call.
func (s *Source) TakeCalls() int { return int(s.calls.Swap(0)) }

// Summary describes a kept state for `udrul sources`: the last delta,
// drives and files tracked, in a language ("da" or "en").
func Summary(b []byte, loc *time.Location, lang string) string {
	var st state
	if json.Unmarshal(b, &st) != nil || st.LastDelta.IsZero() {
		return text(lang, "noDelta")
	}
	files := 0
	for _, d := range st.Drives {
		for _, n := range d.Items {
			if !n.Folder && n.Parent != "" {
				files++
			}
		}
	}
	out := text(lang, "summary", st.LastDelta.In(loc).Format("2006-01-02 15:04"), len(st.Drives), files)
	if st.Resyncs > 0 {
		out += text(lang, "resyncs", st.Resyncs)
	}
	return out
}

func (s *Source) fingerprint() string {
	b, _ := json.Marshal([]any{s.cfg.Tenant, s.cfg.Site, s.cfg.Library, s.cfg.Folders, s.cfg.Links})
	return string(b)
}

// List resolves the configured places (once), runs one delta query per
// drive (more when it pages), and returns the plan files in scope. Nothing
// is kept unless every drive's delta reached its last page.
func (s *Source) List(ctx context.Context) ([]source.Item, error) {
	ctx = withCounter(ctx, &s.calls)
	items, err := s.list(ctx, false)
	if errors.Is(err, errScopeMoved) {
		// A configured folder was deleted or moved: find it again by its
		// path (a folder put back has a new ID); if it is not there, the
		// resolution says so.
		items, err = s.list(ctx, true)
	}
	return items, err
}

var errScopeMoved = errors.New("a configured folder is no longer in its place")

func (s *Source) list(ctx context.Context, resolve bool) ([]source.Item, error) {
	next := s.state
	if resolve || next.Resolved != s.fingerprint() {
		site, scopes, err := s.resolve(ctx)
		if err != nil {
			return nil, err
		}
		next = state{Resolved: s.fingerprint(), Site: site, Scopes: scopes, Drives: map[string]*driveState{}, Resyncs: s.state.Resyncs}
		for _, sc := range scopes {
			if old := s.state.Drives[sc.Drive]; old != nil {
				next.Drives[sc.Drive] = old
			}
		}
	}
	drives := map[string]*driveState{}
	var ids []string
	for _, sc := range next.Scopes {
		if _, ok := drives[sc.Drive]; !ok {
			drives[sc.Drive] = nil
			ids = append(ids, sc.Drive)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		ds, resynced, err := s.delta(ctx, id, next.Drives[id])
		if err != nil {
			return nil, err
		}
		if resynced {
			next.Resyncs++
		}
		drives[id] = ds
	}
	next.Drives = drives
	next.LastDelta = s.cfg.Now()
	items, missing := s.inScope(next)
	if len(missing) > 0 {
		// A configured folder was deleted or moved: resolve again next
		// cycle, and say so now.
		return nil, fail(s.c.msg("moved", strings.Join(missing, ", ")), errScopeMoved)
	}
	s.state = next
	return items, nil
}

// inScope lists the plan files under the scopes.
func (s *Source) inScope(st state) ([]source.Item, []string) {
	var items []source.Item
	var missing []string
	seen := map[string]bool{}
	for _, sc := range st.Scopes {
		ds := st.Drives[sc.Drive]
		if ds == nil {
			continue
		}
		if _, ok := ds.Items[sc.Item]; !ok {
			if !sc.File {
				missing = append(missing, sc.Label)
			}
			continue // a shared file deleted: its plan is gone
		}
		if sc.ByPath && !strings.EqualFold(pathOf(ds, sc.Item), strings.Trim(sc.Path, "/")) {
			missing = append(missing, sc.Label)
			continue
		}
		for id, n := range ds.Items {
			if n.Folder || n.Parent == "" || seen[sc.Drive+"/"+id] || !isPlanFile(n.Name) {
				continue
			}
			in := false
			switch {
			case sc.File:
				in = id == sc.Item
			case s.cfg.Recursive:
				// Bounded: a malformed tree (a cycle) cannot hang the cycle.
				for p, depth := n.Parent, 0; p != "" && !in && depth < maxDepth; p, depth = ds.Items[p].Parent, depth+1 {
					in = p == sc.Item
					if _, ok := ds.Items[p]; !ok {
						break // an orphan: its folder is gone
					}
				}
			default:
				in = n.Parent == sc.Item
			}
			if !in {
				continue
			}
			seen[sc.Drive+"/"+id] = true
			it := source.Item{Key: sc.Drive + "/" + id, Name: n.Name, Version: n.Version, Size: n.Size, URL: n.URL}
			if s.cfg.MaxSize > 0 && n.Size > s.cfg.MaxSize {
				it.Err = fail(s.c.msg("overCap", n.Name, n.Size>>20, s.cfg.MaxSize>>20))
			}
			items = append(items, it)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].URL != items[j].URL {
			return items[i].URL < items[j].URL
		}
		return items[i].Key < items[j].Key
	})
	return items, missing
}

// maxDepth bounds walks up the tree: SharePoint paths are at most 400
// characters, far fewer folders deep.
const maxDepth = 400

// pathOf is a tracked item's path in its library, from the names of its
// folders.
func pathOf(ds *driveState, id string) string {
	var parts []string
	for n, ok := ds.Items[id]; ok && n.Parent != "" && len(parts) < maxDepth; n, ok = ds.Items[n.Parent] {
		parts = append([]string{n.Name}, parts...)
	}
	return strings.Join(parts, "/")
}

// isPlanFile: a plan's file type, not an Office lock file, not udrul's own
// report.
func isPlanFile(name string) bool {
	return source.PlanExts[strings.ToLower(path.Ext(name))] && !strings.HasPrefix(name, "~$") && !strings.HasPrefix(name, ".") &&
		!strings.HasPrefix(name, "udrul-rapport-")
}

// driveItem is the part of Graph's driveItem udrul reads.
type driveItem struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	ETag            string `json:"eTag"`
	CTag            string `json:"cTag"`
	Size            int64  `json:"size"`
	WebURL          string `json:"webUrl"`
	ParentReference struct {
		DriveID string `json:"driveId"`
		ID      string `json:"id"`
		Path    string `json:"path"`
	} `json:"parentReference"`
	File *struct {
		Hashes struct {
			QuickXorHash string `json:"quickXorHash"`
			SHA256Hash   string `json:"sha256Hash"`
		} `json:"hashes"`
	} `json:"file"`
	Folder  *struct{} `json:"folder"`
	Root    *struct{} `json:"root"`
	Deleted *struct{} `json:"deleted"`
}

// version tells whether a file's content may have changed: its content
// hash when Graph gives it, else its cTag (content tag), else its eTag.
// (OneDrive for Business leaves cTag out of delta answers.)
func (it driveItem) version() string {
	switch {
	case it.File != nil && it.File.Hashes.QuickXorHash != "":
		return "qx:" + it.File.Hashes.QuickXorHash
	case it.File != nil && it.File.Hashes.SHA256Hash != "":
		return "sha256:" + it.File.Hashes.SHA256Hash
	case it.CTag != "":
		return "c:" + it.CTag
	}
	return "e:" + it.ETag
}

const deltaSelect = "?$select=id,name,eTag,cTag,size,webUrl,parentReference,file,folder,root,deleted"

// delta brings a drive's tree up to date: from the kept deltaLink, or by
// a full enumeration the first time and after 410 Gone (resyncRequired).
// Pages are collected first and applied only when the last has arrived.
func (s *Source) delta(ctx context.Context, driveID string, old *driveState) (*driveState, bool, error) {
	first := "/drives/" + url.PathEscape(driveID) + "/root/delta" + deltaSelect
	u, full, resynced := first, true, false
	if old != nil && old.Delta != "" {
		u, full = old.Delta, false
	}
	var changed []driveItem
	for {
		if err := s.c.sameHost(u); err != nil {
			return nil, false, err
		}
		var page struct {
			Value     []driveItem `json:"value"`
			NextLink  string      `json:"@odata.nextLink"`
			DeltaLink string      `json:"@odata.deltaLink"`
		}
		err := s.c.get(ctx, s.cfg.Tenant, "delta", u, &page)
		var aerr *APIError
		if errors.As(err, &aerr) && aerr.Status == http.StatusGone && !resynced {
			// The kept token is no longer valid: enumerate the whole drive
			// again and compare with what is known; nothing was applied.
			changed, full, resynced = nil, true, true
			u = first
			if aerr.Location != "" && s.c.sameHost(aerr.Location) == nil {
				u = aerr.Location
			}
			continue
		}
		if err != nil {
			return nil, false, s.explain(s.c.msg("delta", driveID), err)
		}
		for _, it := range page.Value {
			if it.File != nil && it.Deleted == nil && !isPlanFile(it.Name) {
				it = driveItem{ID: it.ID} // only its ID: dropped from the tree, if known
			}
			changed = append(changed, it)
		}
		switch {
		case page.NextLink != "":
			u = page.NextLink
			continue
		case page.DeltaLink == "":
			return nil, false, fail(s.c.msg("partial", s.c.msg("delta", driveID)))
		}
		var base *driveState
		if !full {
			base = old
		}
		return applyDelta(base, page.DeltaLink, changed), resynced, nil
	}
}

// applyDelta applies a delta's items, in order (the last occurrence of an
// item wins), to a copy of the old tree (nil: a full enumeration).
func applyDelta(old *driveState, deltaLink string, changed []driveItem) *driveState {
	ds := &driveState{Delta: deltaLink, Items: map[string]node{}}
	if old != nil {
		for k, v := range old.Items {
			ds.Items[k] = v
		}
	}
	for _, it := range changed {
		switch {
		case it.ID == "":
		case it.Deleted != nil:
			delete(ds.Items, it.ID)
		case it.Root != nil:
			ds.Items[it.ID] = node{Name: "/", Folder: true, URL: it.WebURL}
		case it.Folder != nil:
			ds.Items[it.ID] = node{Name: it.Name, Parent: it.ParentReference.ID, Folder: true, URL: it.WebURL}
		case it.File != nil && isPlanFile(it.Name):
			// The name is part of the version: a renamed file is read
			// again, as its name may carry the plan's identity.
			ds.Items[it.ID] = node{Name: it.Name, Parent: it.ParentReference.ID, Version: it.Name + "|" + it.version(), Size: it.Size, URL: it.WebURL}
		default:
			delete(ds.Items, it.ID) // renamed to another file type, or not a file
		}
	}
	// The root has no parent; a non-root item never has an empty one.
	for id, n := range ds.Items {
		if n.Parent == "" && n.Name != "/" {
			delete(ds.Items, id)
		}
	}
	return ds
}

// resolve finds the site, its libraries, the folders and the shared items.
func (s *Source) resolve(ctx context.Context) (string, []scope, error) {
	var scopes []scope
	siteID := ""
	if s.cfg.Site != "" {
		su, err := url.Parse(s.cfg.Site)
		if err != nil || su.Host == "" {
			return "", nil, fail(s.c.msg("siteURL", s.cfg.Site))
		}
		sitePath := strings.Trim(su.Path, "/")
		p := "/sites/" + su.Host
		if sitePath != "" {
			p += ":/" + escapePath(sitePath)
		}
		var site struct {
			ID     string `json:"id"`
			WebURL string `json:"webUrl"`
		}
		if err := s.c.get(ctx, s.cfg.Tenant, "site", p, &site); err != nil {
			return "", nil, s.explain(s.c.msg("site", s.cfg.Site), err)
		}
		siteID = site.ID
		var drives struct {
			Value []struct {
				ID     string `json:"id"`
				Name   string `json:"name"`
				WebURL string `json:"webUrl"`
			} `json:"value"`
		}
		if err := s.c.get(ctx, s.cfg.Tenant, "drives", "/sites/"+url.PathEscape(site.ID)+"/drives", &drives); err != nil {
			return "", nil, s.explainSite(s.c.msg("libraries", s.cfg.Site), site.ID, err)
		}
		var names []string
		find := func(name string) string {
			for _, d := range drives.Value {
				last := d.WebURL[strings.LastIndexByte(d.WebURL, '/')+1:]
				last, _ = url.PathUnescape(last)
				if strings.EqualFold(d.Name, name) || strings.EqualFold(last, name) {
					return d.ID
				}
			}
			return ""
		}
		for _, d := range drives.Value {
			names = append(names, d.Name)
		}
		defaultLib := ""
		if s.cfg.Library != "" {
			if defaultLib = find(s.cfg.Library); defaultLib == "" {
				return "", nil, fail(s.c.msg("noLibrary", s.cfg.Library, s.cfg.Site, strings.Join(names, ", ")), ErrNotFound)
			}
		} else if defaultLib = find("Shared Documents"); defaultLib == "" && len(drives.Value) == 1 {
			defaultLib = drives.Value[0].ID
		}
		folders := s.cfg.Folders
		if len(folders) == 0 {
			folders = []string{""}
		}
		for _, f := range folders {
			drive, rel := defaultLib, strings.Trim(f, "/")
			if s.cfg.Library == "" {
				// "Delte dokumenter/Planer": the first part may be the library.
				head, rest, _ := strings.Cut(rel, "/")
				if id := find(head); id != "" && head != "" {
					drive, rel = id, rest
				}
			}
			if drive == "" {
				return "", nil, fail(s.c.msg("noDefaultLib", s.cfg.Site, strings.Join(names, ", ")), ErrNotFound)
			}
			p := "/drives/" + url.PathEscape(drive) + "/root"
			if rel != "" {
				p += ":/" + escapePath(rel)
			}
			var it driveItem
			label := strings.TrimSpace(s.cfg.Library + " " + f)
			if label == "" {
				label = s.c.msg("theLibrary")
			}
			if err := s.c.get(ctx, s.cfg.Tenant, "item", p, &it); err != nil {
				return "", nil, s.explainSite(s.c.msg("folderIn", label, s.cfg.Site), site.ID, err)
			}
			if it.Folder == nil && it.Root == nil {
				return "", nil, fail(s.c.msg("isAFile", label, s.cfg.Site))
			}
			scopes = append(scopes, scope{Drive: drive, Item: it.ID, Label: s.c.msg("folder", label), Path: rel, ByPath: true})
		}
	}
	for _, link := range s.cfg.Links {
		var it driveItem
		enc := "u!" + base64.RawURLEncoding.EncodeToString([]byte(strings.TrimSpace(link)))
		if err := s.c.get(ctx, s.cfg.Tenant, "share", "/shares/"+enc+"/driveItem", &it); err != nil {
			return "", nil, s.explain(s.c.msg("link", link), err)
		}
		if it.Folder == nil && it.File == nil {
			return "", nil, fail(s.c.msg("neither", link))
		}
		scopes = append(scopes, scope{Drive: it.ParentReference.DriveID, Item: it.ID, File: it.File != nil, Label: s.c.msg("link", link)})
	}
	return siteID, scopes, nil
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}

// sameHost refuses a link (nextLink, deltaLink, Location) to another host
// than Graph's: the bearer token goes only to Graph.
func (c *Client) sameHost(u string) error {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return nil
	}
	a, err1 := url.Parse(u)
	b, err2 := url.Parse(c.o.GraphURL)
	if err1 != nil || err2 != nil || !strings.EqualFold(a.Host, b.Host) || a.Scheme != b.Scheme {
		return fail(c.msg("otherHost", u, c.o.GraphURL))
	}
	return nil
}

// explainSite is explain with the site's ID, for the grant an admin runs.
func (s *Source) explainSite(what, siteID string, err error) error {
	var aerr *APIError
	if errors.As(err, &aerr) && aerr.Status == http.StatusForbidden && !strings.Contains(aerr.Message, "scp or roles claim") {
		return fail(s.c.msg("notGranted", what, s.grantHint(siteID)), ErrNotGranted, err)
	}
	return s.explain(what, err)
}

// grantHint is what an admin runs to grant the app a site under
// Sites.Selected.
func (s *Source) grantHint(siteID string) string {
	site := s.cfg.Site
	if site == "" {
		site = "<site URL>"
	}
	id := siteID
	find := ""
	if id == "" {
		id = "{site-id}"
		if su, err := url.Parse(site); err == nil && su.Host != "" {
			find = s.c.msg("findSiteID", su.Host, strings.Trim(su.Path, "/"))
		}
	}
	return s.c.msg("grant", s.c.o.ClientID, id, find, site)
}

// explain turns an error of a Graph request into what to fix, in the
// client's language; the error behind it is kept for errors.Is/As and logs.
func (s *Source) explain(what string, err error) error {
	var aerr *APIError
	if !errors.As(err, &aerr) {
		switch {
		case errors.Is(err, context.Canceled):
			return fmt.Errorf("%s: %w", what, err)
		case isSourceError(err):
			return fail(what+": "+err.Error(), err)
		case errors.Is(err, errUnreadable):
			return fail(s.c.msg("unreadable", what), err)
		}
		return fail(s.c.msg("noAnswer", what), err)
	}
	tenant := s.cfg.Tenant
	if tenant == "" {
		tenant = s.c.o.TenantID
	}
	noRoles := strings.Contains(aerr.Message, "scp or roles claim")
	switch {
	case aerr.Status == http.StatusUnauthorized || noRoles:
		return fail(s.c.msg("noConsent", what, tenant, aerr.Message), ErrNotGranted, err)
	case aerr.Status == http.StatusForbidden:
		return fail(s.c.msg("notGranted", what, s.grantHint(s.state.Site)), ErrNotGranted, err)
	case aerr.Status == http.StatusNotFound:
		return fail(s.c.msg("notFound", what), ErrNotFound, err)
	case aerr.Status == http.StatusTooManyRequests || aerr.Status == http.StatusServiceUnavailable:
		return fail(s.c.msg("throttled", what, aerr.Status, aerr.RetryAfter), ErrThrottled, err)
	}
	return fail(s.c.msg("status", what, aerr.Status, aerr.Code), err)
}

// Fetch downloads a file: Graph answers the content request with a
// redirect to a pre-authenticated URL, fetched without the bearer token.
func (s *Source) Fetch(ctx context.Context, it source.Item) (source.Fetched, error) {
	ctx = withCounter(ctx, &s.calls)
	driveID, itemID, ok := strings.Cut(it.Key, "/")
	if !ok {
		return source.Fetched{}, fail(s.c.msg("badKey", it.Name, it.Key))
	}
	limit := s.cfg.MaxSize
	if limit <= 0 {
		limit = grid.DefaultMaxSize
	}
	if it.Size > limit {
		return source.Fetched{}, fail(s.c.msg("overLimit", it.Name, it.Size, limit))
	}
	resp, err := s.c.do(ctx, s.cfg.Tenant, "content", "/drives/"+url.PathEscape(driveID)+"/items/"+url.PathEscape(itemID)+"/content")
	if err != nil {
		return source.Fetched{}, s.explain(s.c.msg("download", it.Name), err)
	}
	body := resp.Body
	switch resp.StatusCode {
	case http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusMovedPermanently:
		loc := resp.Header.Get("Location")
		resp.Body.Close()
		if loc == "" {
			return source.Fetched{}, fail(s.c.msg("noLocation", it.Name))
		}
		req, err := http.NewRequestWithContext(withEndpoint(ctx, "download"), http.MethodGet, loc, nil)
		if err != nil {
			return source.Fetched{}, fail(s.c.msg("noLocation", it.Name), err)
		}
		dl, err := s.c.download.Do(req)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return source.Fetched{}, fmt.Errorf("download %s: %w", it.Name, err)
			}
			return source.Fetched{}, fail(s.c.msg("dlFailed", it.Name), err)
		}
		if dl.StatusCode != http.StatusOK {
			dl.Body.Close()
			return source.Fetched{}, fail(s.c.msg("dlStatus", it.Name, dl.Status))
		}
		body = dl.Body
	case http.StatusOK:
	default:
		err := apiError(resp)
		resp.Body.Close()
		return source.Fetched{}, s.explain(s.c.msg("download", it.Name), err)
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return source.Fetched{}, fmt.Errorf("download %s: %w", it.Name, err)
		}
		return source.Fetched{}, fail(s.c.msg("dlFailed", it.Name), err)
	}
	if int64(len(data)) > limit {
		return source.Fetched{}, fail(s.c.msg("larger", it.Name, limit))
	}
	// Read here, to give each sheet a link that opens Excel for the web
	// near the cell (Excel opens the sheet; the cell is approximate, so
	// reports write sheet and cell beside the link).
	opts := s.cfg.ReadOpts
	if opts.MaxSize <= 0 {
		opts.MaxSize = limit
	}
	g, err := grid.ReadBytes(it.Name, data, opts)
	if err != nil {
		return source.Fetched{}, err
	}
	if it.URL != "" {
		for i := range g.Sheets {
			g.Sheets[i].Link = CellLink(it.URL, g.Sheets[i].Name, "")
		}
	}
	return source.Fetched{Data: data, Grid: g}, nil
}

// CellLink is a link that opens a file of a SharePoint library in Excel
// for the web at a sheet's cell; with cell "" it ends where the cell goes.
func CellLink(webURL, sheet, cell string) string {
	sep := "?"
	if strings.Contains(webURL, "?") {
		sep = "&"
	}
	return webURL + sep + "web=1&activeCell=" + url.QueryEscape("'"+strings.ReplaceAll(sheet, "'", "''")+"'!") + cell
}
