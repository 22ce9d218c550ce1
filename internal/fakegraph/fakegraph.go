// Package fakegraph is an in-process fake of the Microsoft identity
// platform's token endpoint and the Microsoft Graph endpoints udrul reads
// SharePoint, Teams and OneDrive files with: site and drive resolution,
// items by path, sharing links, delta queries (pages, deltaLink, deleted
// items, 410 resyncRequired) and content download through a redirect to a
// pre-authenticated URL. It answers in Graph's documented JSON shapes and
// error bodies ({"error":{"code":…,"message":…}}), serves TLS (the identity
// client insists on https), verifies client-assertion JWTs against the
// registered certificate and client secrets, counts calls and injects
// failures (429/503 with Retry-After).
package fakegraph

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Failure is an injected error response.
type Failure struct {
	Status     int
	Code       string // Graph error code; default by status
	RetryAfter string
}

// Server is the fake. Its URL serves both the identity platform (as
// authority host) and Graph (GraphURL).
type Server struct {
	*httptest.Server
	// PageSize is the number of items per delta page (default 200).
	PageSize int

	mu      sync.Mutex
	tenants map[string]*tenant
	sites   []*Site
	drives  map[string]*Drive
	tokens  map[string]string // access token → tenant
	calls   map[string]int
	fail    map[string][]*Failure // nil: answer normally
	shares  map[string]shareTarget
	seq     int64
	nextID  int
	// ForbidDownloadAuth: the pre-authenticated URL refuses requests that
	// carry a bearer token (as a leak check).
	downloads map[string]string // download token → drive/item
	// AuthOnDownload counts downloads that carried an Authorization header.
	AuthOnDownload int
}

type tenant struct {
	id, domain string
	apps       map[string]*app // client ID → app
}

type app struct {
	secret string
	certs  map[string]*x509.Certificate // x5t#S256 → cert
	roles  bool                         // an application permission is consented
}

// Site is a SharePoint site (or a OneDrive, which is a personal site).
type Site struct {
	ID, Host, Path, Name string
	tenant               string
	// Granted: the app may read the site (Sites.Selected granted, or
	// Files.Read.All consented).
	Granted bool
	drives  []*Drive
	s       *Server
}

// Drive is a document library.
type Drive struct {
	ID, Name, URLName string
	site              *Site
	items             map[string]*item
	rootID            string
	epoch             int // delta tokens of an older epoch answer 410
}

type item struct {
	id, name, parent string
	folder, deleted  bool
	content          []byte
	seq              int64
	version          int
}

type shareTarget struct{ drive, item string }

// New starts a fake on TLS.
func New() *Server {
	s := &Server{tenants: map[string]*tenant{}, drives: map[string]*Drive{}, tokens: map[string]string{}, calls: map[string]int{},
		fail: map[string][]*Failure{}, shares: map[string]shareTarget{}, downloads: map[string]string{}, PageSize: 200}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// AuthorityHost is the identity platform's host URL to give azidentity.
func (s *Server) AuthorityHost() string { return s.URL + "/" }

// GraphURL is the Graph v1.0 base URL.
func (s *Server) GraphURL() string { return s.URL + "/v1.0" }

// AddTenant registers a tenant by ID and domain (kommune.onmicrosoft.com).
func (s *Server) AddTenant(id, domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants[id] = &tenant{id: id, domain: domain, apps: map[string]*app{}}
}

// RegisterApp registers an app in a tenant with a client secret and/or a
// certificate; consented says an application permission was granted.
func (s *Server) RegisterApp(tenantID, clientID, secret string, cert *x509.Certificate, consented bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &app{secret: secret, certs: map[string]*x509.Certificate{}, roles: consented}
	if cert != nil {
		sum := sha256.Sum256(cert.Raw)
		a.certs[base64.StdEncoding.EncodeToString(sum[:])] = cert
	}
	s.tenants[tenantID].apps[clientID] = a
}

// AddSite adds a site at https://{host}/{path} in a tenant.
func (s *Server) AddSite(tenantID, host, sitePath, name string, granted bool) *Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	site := &Site{ID: fmt.Sprintf("%s,%08d-0000-0000-0000-000000000001,%08d-0000-0000-0000-000000000002", host, s.nextID, s.nextID),
		Host: host, Path: strings.Trim(sitePath, "/"), Name: name, tenant: tenantID, Granted: granted, s: s}
	s.sites = append(s.sites, site)
	return site
}

// WebURL is the site's address.
func (site *Site) WebURL() string { return "https://" + site.Host + "/" + site.Path }

// Grant sets whether the app may read the site.
func (site *Site) Grant(granted bool) {
	site.s.mu.Lock()
	defer site.s.mu.Unlock()
	site.Granted = granted
}

// AddDrive adds a document library; urlName is its name in URLs
// ("Shared Documents" for the default library whatever its display name).
func (site *Site) AddDrive(name, urlName string) *Drive {
	s := site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	d := &Drive{ID: fmt.Sprintf("b!drive%04d", s.nextID), Name: name, URLName: urlName, site: site, items: map[string]*item{}}
	root := d.newItem("root", "", true)
	d.rootID = root.id
	site.drives = append(site.drives, d)
	s.drives[d.ID] = d
	return d
}

func (d *Drive) newItem(name, parent string, folder bool) *item {
	s := d.site.s
	s.nextID++
	s.seq++
	it := &item{id: fmt.Sprintf("01ITEM%06d", s.nextID), name: name, parent: parent, folder: folder, seq: s.seq}
	d.items[it.id] = it
	return it
}

// find returns the live item at a path ("" is the root).
func (d *Drive) find(p string) *item {
	cur := d.items[d.rootID]
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		if part == "" {
			continue
		}
		var next *item
		for _, it := range d.items {
			if !it.deleted && it.parent == cur.id && strings.EqualFold(it.name, part) {
				next = it
				break
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// mkdirs returns the folder at p, creating missing folders.
func (d *Drive) mkdirs(p string) *item {
	cur := d.items[d.rootID]
	for _, part := range strings.Split(strings.Trim(p, "/"), "/") {
		if part == "" || part == "." {
			continue
		}
		var next *item
		for _, it := range d.items {
			if !it.deleted && it.parent == cur.id && strings.EqualFold(it.name, part) {
				next = it
			}
		}
		if next == nil {
			next = d.newItem(part, cur.id, true)
		}
		cur = next
	}
	return cur
}

// Put writes a file at a path ("Planer/KY_Aarhus.xlsx"), creating folders;
// a new version gets a new cTag and eTag and shows in the delta. It returns
// the item's ID.
func (d *Drive) Put(p string, content []byte) string {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := d.find(p); it != nil && !it.folder {
		s.seq++
		it.seq, it.content = s.seq, content
		it.version++
		return it.id
	}
	dir, name := path.Split(strings.Trim(p, "/"))
	parent := d.mkdirs(dir)
	it := d.newItem(name, parent.id, false)
	it.content, it.version = content, 1
	return it.id
}

// Touch records a change that leaves the content as it was (a rename of
// nothing, a metadata edit): the eTag moves, the cTag does not.
func (d *Drive) Touch(p string) {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := d.find(p); it != nil {
		s.seq++
		it.seq = s.seq
	}
}

// Delete deletes the item at a path (a folder with what it holds).
func (d *Drive) Delete(p string) {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	it := d.find(p)
	if it == nil {
		return
	}
	var del func(it *item)
	del = func(it *item) {
		s.seq++
		it.deleted, it.seq = true, s.seq
		for _, c := range d.items {
			if c.parent == it.id && !c.deleted {
				del(c)
			}
		}
	}
	del(it)
}

// Move moves (and renames) the item at from to the path to. As in Graph,
// only the moved item shows in the delta, not what a moved folder holds.
func (d *Drive) Move(from, to string) {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	it := d.find(from)
	if it == nil {
		return
	}
	dir, name := path.Split(strings.Trim(to, "/"))
	parent := d.mkdirs(dir)
	s.seq++
	it.parent, it.name, it.seq = parent.id, name, s.seq
}

// ExpireDeltaTokens makes every delta token issued so far answer 410 Gone
// (resyncRequired), as Graph does when it can no longer tell the changes.
func (d *Drive) ExpireDeltaTokens() {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	d.epoch++
}

// Share makes a sharing link to the item at a path and returns its URL.
func (d *Drive) Share(p string) string {
	s := d.site.s
	s.mu.Lock()
	defer s.mu.Unlock()
	it := d.find(p)
	s.nextID++
	u := fmt.Sprintf("https://%s/:x:/s/%s/E%06dshare?e=abc", d.site.Host, path.Base(d.site.Path), s.nextID)
	s.shares[u] = shareTarget{drive: d.ID, item: it.id}
	return u
}

// WebURL is the address a person opens the item at a path with.
func (d *Drive) WebURL(p string) string {
	d.site.s.mu.Lock()
	defer d.site.s.mu.Unlock()
	return d.webURL(d.find(p))
}

func (d *Drive) pathOf(it *item) string {
	var parts []string
	for cur := it; cur != nil && cur.id != d.rootID; cur = d.items[cur.parent] {
		parts = append([]string{cur.name}, parts...)
	}
	return strings.Join(parts, "/")
}

func (d *Drive) webURL(it *item) string {
	u := d.site.WebURL() + "/" + url.PathEscape(d.URLName)
	if p := d.pathOf(it); p != "" {
		for _, part := range strings.Split(p, "/") {
			u += "/" + url.PathEscape(part)
		}
	}
	return u
}

// Fail makes the next n requests to an endpoint answer with f. Endpoints:
// "token", "site", "drives", "item", "share", "delta", "content",
// "download".
func (s *Server) Fail(endpoint string, n int, f Failure) { s.FailAfter(endpoint, 0, n, f) }

// FailAfter lets the next after requests to an endpoint through, then
// makes n answer with f (a delta that fails on a later page).
func (s *Server) FailAfter(endpoint string, after, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range after {
		s.fail[endpoint] = append(s.fail[endpoint], nil)
	}
	for range n {
		s.fail[endpoint] = append(s.fail[endpoint], &f)
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

// GraphCalls is the number of Graph requests in calls (token requests and
// downloads from the pre-authenticated URL excluded).
func GraphCalls(calls map[string]int) int {
	n := 0
	for k, v := range calls {
		if k != "token" && k != "openid" && k != "download" {
			n += v
		}
	}
	return n
}

// Certificate makes a self-signed certificate and its RSA key, as an
// admin uploads to an app registration, and returns the PEM file holding
// both (what udrul's client_certificate names) with the certificate.
func Certificate() ([]byte, *x509.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "udrul"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	out = append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: mustPKCS8(key)})...)
	return out, cert, nil
}

func mustPKCS8(key *rsa.PrivateKey) []byte {
	b, _ := x509.MarshalPKCS8PrivateKey(key)
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// graphError writes Graph's error body.
func graphError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"date": time.Now().UTC().Format(time.RFC3339), "request-id": "00000000-0000-0000-0000-000000000000"}}})
}

// aadError writes the identity platform's error body.
func aadError(w http.ResponseWriter, status int, code string, aadsts int, msg string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": fmt.Sprintf("AADSTS%d: %s", aadsts, msg),
		"error_codes": []int{aadsts}, "timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z")})
}

func (s *Server) endpoint(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/.well-known/openid-configuration"):
		return "openid"
	case strings.HasSuffix(p, "/oauth2/v2.0/token"):
		return "token"
	case strings.HasPrefix(p, "/download/"):
		return "download"
	case strings.HasPrefix(p, "/v1.0/shares/"):
		return "share"
	case strings.HasPrefix(p, "/v1.0/sites/") && strings.HasSuffix(p, "/drives"):
		return "drives"
	case strings.HasPrefix(p, "/v1.0/sites/"):
		return "site"
	case strings.HasPrefix(p, "/v1.0/drives/") && strings.Contains(p, "/root/delta"):
		return "delta"
	case strings.HasPrefix(p, "/v1.0/drives/") && strings.HasSuffix(p, "/content"):
		return "content"
	case strings.HasPrefix(p, "/v1.0/drives/"):
		return "item"
	}
	return "unknown"
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep := s.endpoint(r)
	s.calls[ep]++
	if q := s.fail[ep]; len(q) > 0 && q[0] == nil {
		s.fail[ep] = q[1:]
	} else if len(q) > 0 {
		f := q[0]
		s.fail[ep] = q[1:]
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		code := f.Code
		if code == "" {
			code = map[int]string{429: "TooManyRequests", 503: "serviceNotAvailable", 500: "generalException"}[f.Status]
		}
		graphError(w, f.Status, code, fmt.Sprintf("injected %d", f.Status))
		return
	}
	switch ep {
	case "openid":
		s.openID(w, r)
		return
	case "token":
		s.token(w, r)
		return
	case "download":
		s.download(w, r)
		return
	case "unknown":
		graphError(w, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+r.URL.Path+"'.")
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	tenantID, ok := s.tokens[tok]
	if !ok {
		graphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	switch ep {
	case "site":
		s.site(w, r, tenantID)
	case "drives":
		s.listDrives(w, r, tenantID)
	case "share":
		s.share(w, r, tenantID)
	case "item", "content", "delta":
		s.driveCall(w, r, ep, tenantID)
	}
}

func (s *Server) tenantOf(name string) *tenant {
	for _, t := range s.tenants {
		if strings.EqualFold(t.id, name) || strings.EqualFold(t.domain, name) {
			return t
		}
	}
	return nil
}

func (s *Server) openID(w http.ResponseWriter, r *http.Request) {
	name := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	t := s.tenantOf(name)
	if t == nil {
		aadError(w, http.StatusBadRequest, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", name))
		return
	}
	base := s.URL + "/" + name
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"issuer":                                s.URL + "/" + t.id + "/v2.0",
		"jwks_uri":                              s.URL + "/" + t.id + "/discovery/v2.0/keys",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"tenant_region_scope":                   "EU",
	})
}

// token is the client-credentials grant: a client secret, or a client
// assertion (a JWT signed with the certificate's key, PS256 with its
// x5t#S256 thumbprint, or RS256 with x5t) whose audience is this endpoint.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	name := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	t := s.tenantOf(name)
	if t == nil {
		aadError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found.", name))
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		aadError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
		return
	}
	if scope := r.PostForm.Get("scope"); !strings.Contains(scope, "https://graph.microsoft.com/.default") {
		aadError(w, http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.", scope))
		return
	}
	clientID := r.PostForm.Get("client_id")
	a := t.apps[clientID]
	if a == nil {
		aadError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.", clientID, t.domain))
		return
	}
	switch {
	case r.PostForm.Get("client_secret") != "":
		if a.secret == "" || r.PostForm.Get("client_secret") != a.secret {
			aadError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"+clientID+"'.")
			return
		}
	case r.PostForm.Get("client_assertion") != "":
		if r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			aadError(w, http.StatusBadRequest, "invalid_request", 50027, "Invalid client_assertion_type.")
			return
		}
		aud := s.URL + "/" + name + "/oauth2/v2.0/token"
		if err := verifyAssertion(r.PostForm.Get("client_assertion"), a, clientID, aud); err != nil {
			aadError(w, http.StatusUnauthorized, "invalid_client", 700027, "Client assertion failed signature validation: "+err.Error())
			return
		}
	default:
		aadError(w, http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	if !a.roles {
		// The token is issued without roles; Graph refuses it (below).
		tok := "noroles-" + randomString()
		s.tokens[tok] = "noroles:" + t.id
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
		return
	}
	tok := randomString()
	s.tokens[tok] = t.id
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}

func randomString() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// verifyAssertion checks a client-assertion JWT: its signature by a
// registered certificate, audience, issuer, subject and lifetime.
func verifyAssertion(jwt string, a *app, clientID, aud string) error {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWT")
	}
	var hdr map[string]any
	var claims struct {
		Aud, Iss, Sub string
		Exp, Nbf      json.Number
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &hdr) != nil || json.Unmarshal(cb, &claims) != nil {
		return fmt.Errorf("malformed JWT")
	}
	var cert *x509.Certificate
	alg, _ := hdr["alg"].(string)
	switch alg {
	case "PS256":
		tp, _ := hdr["x5t#S256"].(string)
		cert = a.certs[tp]
	case "RS256":
		tp, _ := hdr["x5t"].(string)
		for _, c := range a.certs {
			sum := sha1.Sum(c.Raw)
			if base64.StdEncoding.EncodeToString(sum[:]) == tp || base64.RawURLEncoding.EncodeToString(sum[:]) == tp {
				cert = c
			}
		}
	default:
		return fmt.Errorf("algorithm %q not accepted", alg)
	}
	if cert == nil {
		return fmt.Errorf("no certificate with this thumbprint is registered for the app")
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("not an RSA certificate")
	}
	h := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if alg == "PS256" {
		if err := rsa.VerifyPSS(pub, crypto.SHA256, h[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}); err != nil {
			return fmt.Errorf("signature: %v", err)
		}
	} else if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
		return fmt.Errorf("signature: %v", err)
	}
	now := time.Now().Unix()
	exp, _ := claims.Exp.Int64()
	nbf, _ := claims.Nbf.Int64()
	switch {
	case claims.Aud != aud:
		return fmt.Errorf("audience %q is not the token endpoint %q", claims.Aud, aud)
	case claims.Iss != clientID || claims.Sub != clientID:
		return fmt.Errorf("issuer and subject must be the client ID")
	case exp < now || nbf > now+300:
		return fmt.Errorf("the assertion is expired or not yet valid")
	}
	return nil
}

// access checks the token's tenant against the site's: a token of another
// tenant, or without roles, or a site not granted, is refused.
func (s *Server) access(w http.ResponseWriter, tenantID string, site *Site) bool {
	if strings.HasPrefix(tenantID, "noroles:") {
		graphError(w, http.StatusForbidden, "AccessDenied", "Either scp or roles claim need to be present in the token.")
		return false
	}
	if site.tenant != tenantID || !site.Granted {
		graphError(w, http.StatusForbidden, "accessDenied", "Access denied")
		return false
	}
	return true
}

func (s *Server) site(w http.ResponseWriter, r *http.Request, tenantID string) {
	// /v1.0/sites/{hostname}:/{server-relative-path} or /v1.0/sites/{id}
	rest := strings.TrimPrefix(r.URL.Path, "/v1.0/sites/")
	var found *Site
	if host, p, ok := strings.Cut(rest, ":"); ok {
		p = strings.Trim(strings.TrimSuffix(strings.TrimPrefix(p, "/"), ":"), "/")
		for _, st := range s.sites {
			if strings.EqualFold(st.Host, host) && strings.EqualFold(st.Path, p) {
				found = st
			}
		}
	} else {
		for _, st := range s.sites {
			if st.ID == rest || strings.EqualFold(st.Host, rest) && st.Path == "" {
				found = st // by ID, or the root site by host name
			}
		}
	}
	if found == nil {
		graphError(w, http.StatusNotFound, "itemNotFound", "Requested site could not be found")
		return
	}
	if !s.access(w, tenantID, found) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": found.ID, "name": path.Base(found.Path), "displayName": found.Name, "webUrl": found.WebURL(),
		"siteCollection": map[string]any{"hostname": found.Host}})
}

func (s *Server) listDrives(w http.ResponseWriter, r *http.Request, tenantID string) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1.0/sites/"), "/drives")
	for _, st := range s.sites {
		if st.ID != id {
			continue
		}
		if !s.access(w, tenantID, st) {
			return
		}
		var out []map[string]any
		for _, d := range st.drives {
			out = append(out, map[string]any{"id": d.ID, "name": d.Name, "driveType": "documentLibrary", "webUrl": st.WebURL() + "/" + url.PathEscape(d.URLName)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"value": out})
		return
	}
	graphError(w, http.StatusNotFound, "itemNotFound", "Requested site could not be found")
}

func (s *Server) share(w http.ResponseWriter, r *http.Request, tenantID string) {
	rest := strings.TrimPrefix(r.URL.Path, "/v1.0/shares/")
	enc, ok := strings.CutSuffix(rest, "/driveItem")
	if !ok || !strings.HasPrefix(enc, "u!") {
		graphError(w, http.StatusBadRequest, "invalidRequest", "Invalid shares identifier.")
		return
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(enc, "u!"))
	if err != nil {
		graphError(w, http.StatusBadRequest, "invalidRequest", "Invalid shares identifier.")
		return
	}
	t, ok := s.shares[string(raw)]
	d := s.drives[t.drive]
	if !ok || d == nil || d.items[t.item] == nil || d.items[t.item].deleted {
		graphError(w, http.StatusNotFound, "itemNotFound", "The sharing link no longer exists, or you do not have permission to access it.")
		return
	}
	if !s.access(w, tenantID, d.site) {
		return
	}
	writeJSON(w, http.StatusOK, d.itemJSON(d.items[t.item], false))
}

func (d *Drive) itemJSON(it *item, delta bool) map[string]any {
	m := map[string]any{"id": it.id, "name": it.name, "eTag": fmt.Sprintf("\"{%s},%d\"", it.id, it.seq)}
	if it.id == d.rootID {
		m["root"] = map[string]any{}
	}
	ref := map[string]any{"driveId": d.ID, "driveType": "documentLibrary"}
	if it.parent != "" {
		ref["id"] = it.parent
		if !delta {
			// Outside delta Graph gives the parent's path; delta does not.
			ref["path"] = "/drives/" + d.ID + "/root:" + strings.TrimSuffix("/"+d.pathOf(d.items[it.parent]), "/")
		}
	}
	m["parentReference"] = ref
	if it.deleted {
		m["deleted"] = map[string]any{"state": "deleted"}
		delete(m, "name") // OneDrive for Business omits the name of deleted items
		return m
	}
	m["webUrl"] = d.webURL(it)
	if it.folder {
		n := 0
		for _, c := range d.items {
			if c.parent == it.id && !c.deleted {
				n++
			}
		}
		m["folder"] = map[string]any{"childCount": n}
		m["size"] = 0
		return m
	}
	sum := sha256.Sum256(it.content)
	m["size"] = len(it.content)
	m["file"] = map[string]any{"mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"hashes": map[string]any{"quickXorHash": base64.StdEncoding.EncodeToString(sum[:20])}}
	if !delta {
		// OneDrive for Business omits cTag in delta results.
		m["cTag"] = fmt.Sprintf("\"c:{%s},%d\"", it.id, it.version)
	}
	return m
}

func (s *Server) driveCall(w http.ResponseWriter, r *http.Request, ep, tenantID string) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/v1.0/drives/")
	driveID, rest, _ := strings.Cut(rest, "/")
	driveID, _ = url.PathUnescape(driveID)
	d := s.drives[driveID]
	if d == nil {
		graphError(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
		return
	}
	if !s.access(w, tenantID, d.site) {
		return
	}
	switch ep {
	case "delta":
		s.delta(w, r, d)
	case "content":
		id, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(rest, "items/"), "/content"))
		it := d.items[id]
		if it == nil || it.deleted || it.folder {
			graphError(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
			return
		}
		tok := randomString()
		s.downloads[tok] = d.ID + "/" + it.id
		w.Header().Set("Location", s.URL+"/download/"+tok)
		w.WriteHeader(http.StatusFound)
	default:
		var it *item
		switch {
		case rest == "root":
			it = d.items[d.rootID]
		case strings.HasPrefix(rest, "root:"):
			p, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(rest, "root:"), ":"))
			it = d.find(p)
		case strings.HasPrefix(rest, "items/"):
			id, _ := url.PathUnescape(strings.TrimPrefix(rest, "items/"))
			it = d.items[id]
			if it != nil && it.deleted {
				it = nil
			}
		}
		if it == nil {
			graphError(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
			return
		}
		writeJSON(w, http.StatusOK, d.itemJSON(it, false))
	}
}

// download serves the pre-authenticated URL: no bearer token is needed,
// and one sent is counted as a leak.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" {
		s.AuthOnDownload++
	}
	ref, ok := s.downloads[strings.TrimPrefix(r.URL.Path, "/download/")]
	driveID, itemID, _ := strings.Cut(ref, "/")
	if !ok || s.drives[driveID] == nil || s.drives[driveID].items[itemID] == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(s.drives[driveID].items[itemID].content)
}

// delta answers GET /drives/{id}/root/delta: with no token the whole
// drive (parents before children), with a token what changed after it,
// in pages of PageSize; a token older than the drive's minimum answers
// 410 Gone with resyncRequired and a Location that starts over.
func (s *Server) delta(w http.ResponseWriter, r *http.Request, d *Drive) {
	q := r.URL.Query()
	since, skip, upto, epoch := int64(0), 0, int64(0), d.epoch
	full := true
	if tok := q.Get("token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		parts := strings.Split(string(raw), ":")
		if err != nil || len(parts) != 5 {
			graphError(w, http.StatusBadRequest, "invalidRequest", "Invalid delta token.")
			return
		}
		full = parts[0] == "f"
		since, _ = strconv.ParseInt(parts[1], 10, 64)
		skip, _ = strconv.Atoi(parts[2])
		upto, _ = strconv.ParseInt(parts[3], 10, 64)
		epoch, _ = strconv.Atoi(parts[4])
		if !full && epoch != d.epoch {
			w.Header().Set("Location", s.GraphURL()+"/drives/"+d.ID+"/root/delta")
			writeJSON(w, http.StatusGone, map[string]any{"error": map[string]any{"code": "resyncRequired",
				"message":    "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
				"innerError": map[string]any{"code": "resyncChangesApplyDifferences"}}})
			return
		}
	}
	if skip == 0 {
		upto = s.seq // the state this enumeration reports
	}
	var items []*item
	for _, it := range d.items {
		switch {
		case full && !it.deleted:
			items = append(items, it) // one changed while paging shows in its latest state
		case !full && it.seq > since && it.seq <= upto:
			items = append(items, it)
		}
	}
	depth := func(it *item) int {
		n := 0
		for cur := it; cur.parent != ""; cur = d.items[cur.parent] {
			n++
		}
		return n
	}
	sort.Slice(items, func(i, j int) bool {
		if di, dj := depth(items[i]), depth(items[j]); di != dj {
			return di < dj
		}
		return items[i].id < items[j].id
	})
	page := s.PageSize
	if page <= 0 {
		page = 200
	}
	end := min(skip+page, len(items))
	if skip > len(items) {
		skip = len(items)
	}
	var value []map[string]any
	for _, it := range items[skip:end] {
		value = append(value, d.itemJSON(it, true))
	}
	if value == nil {
		value = []map[string]any{}
	}
	out := map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(driveItem)", "value": value}
	mode := "d"
	if full {
		mode = "f"
	}
	link := func(tok string) string { return s.GraphURL() + "/drives/" + d.ID + "/root/delta?token=" + tok }
	if end < len(items) {
		out["@odata.nextLink"] = link(base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d:%d:%d:%d", mode, since, end, upto, epoch)))
	} else {
		out["@odata.deltaLink"] = link(base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "d:%d:0:0:%d", upto, d.epoch)))
	}
	writeJSON(w, http.StatusOK, out)
}
