// Package m365 reads plans kept in Microsoft 365 — SharePoint document
// libraries, the Files tab of Teams channels, OneDrive — through Microsoft
// Graph. An app registration signs in with a client certificate (or a
// secret) through azidentity; the few Graph endpoints udrul needs are
// called over net/http: site and library resolution once, then one delta
// query per drive and cycle, and a download of each file whose content
// changed. All m365 sources share one client: one client-side rate limit,
// a cap on requests in flight, and retries with backoff and jitter that
// honour Retry-After on 429 and 503.
package m365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/udrul/udrul/internal/retry"
	"golang.org/x/time/rate"
)

// GraphScope is the only scope udrul asks for: the app's consented
// application permissions on Microsoft Graph.
const GraphScope = "https://graph.microsoft.com/.default"

// Defaults of the endpoints.
const (
	DefaultGraphURL      = "https://graph.microsoft.com/v1.0"
	DefaultAuthorityHost = "https://login.microsoftonline.com/"
)

// Options configures the shared client.
type Options struct {
	// TenantID is the default tenant (a GUID or kommune.onmicrosoft.com);
	// a source may name another.
	TenantID string
	// ClientID is the app registration's application (client) ID.
	ClientID string
	// Certificate is a PEM (certificate and private key) or PKCS#12 file's
	// content, with its password if any; or Secret, a client secret.
	Certificate         []byte
	CertificatePassword string
	Secret              string
	// GraphURL and AuthorityHost replace Microsoft's (national clouds,
	// tests).
	GraphURL, AuthorityHost string
	// RequestsPerMinute is the client-side rate limit (default 300).
	RequestsPerMinute int
	// MaxConcurrent caps the Graph requests in flight (default 4).
	MaxConcurrent int
	// MaxRetries of one request after 429, 5xx or a timeout (default 6).
	MaxRetries int
	// BaseDelay and MaxDelay bound the exponential backoff (default 1 s
	// and 60 s); a longer Retry-After wins, up to five minutes.
	BaseDelay, MaxDelay time.Duration
	// Timeout of one request (default 120 s).
	Timeout time.Duration
	// Transport is the HTTP transport (default http.DefaultTransport);
	// tests give the fake's TLS client transport.
	Transport http.RoundTripper
	// Language of messages: "da" (default) or "en".
	Language string
	// OnCall, when set, is told of every request: the endpoint (site,
	// drives, item, share, delta, content, download) and the status code
	// ("error" when no answer came).
	OnCall func(endpoint, status string)
}

// Client is the connection to Microsoft Graph shared by all m365 sources.
type Client struct {
	o        Options
	graph    *http.Client // Graph requests: rate-limited, retried, no redirects
	download *http.Client // pre-authenticated URLs: no bearer token

	mu    sync.Mutex
	creds map[string]azcore.TokenCredential // by tenant
}

// NewClient checks the credentials' configuration and builds the client;
// no request is made until a source syncs.
func NewClient(o Options) (*Client, error) {
	if o.ClientID == "" {
		return nil, fail(text(o.Language, "noClientID"))
	}
	if len(o.Certificate) == 0 && o.Secret == "" {
		return nil, fail(text(o.Language, "noCredential"))
	}
	if len(o.Certificate) > 0 {
		if _, _, err := azidentity.ParseCertificates(o.Certificate, []byte(o.CertificatePassword)); err != nil {
			return nil, fail(text(o.Language, "badCertFile"), err)
		}
	}
	if o.GraphURL == "" {
		o.GraphURL = DefaultGraphURL
	}
	o.GraphURL = strings.TrimRight(o.GraphURL, "/")
	if o.RequestsPerMinute <= 0 {
		o.RequestsPerMinute = 300
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 6
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 60 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 120 * time.Second
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	policy := retry.Policy{Retries: o.MaxRetries, BaseDelay: o.BaseDelay, MaxDelay: o.MaxDelay, Statuses: retryStatuses}
	rt := &retryTransport{base: o.Transport, limiter: rate.NewLimiter(rate.Limit(float64(o.RequestsPerMinute)/60), 1),
		sem: make(chan struct{}, o.MaxConcurrent), policy: policy, onCall: o.OnCall}
	c := &Client{o: o, creds: map[string]azcore.TokenCredential{},
		graph: &http.Client{Transport: rt, Timeout: o.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		download: &http.Client{Transport: &retryTransport{base: o.Transport, limiter: rate.NewLimiter(rate.Inf, 1), sem: make(chan struct{}, o.MaxConcurrent),
			policy: policy, onCall: o.OnCall}, Timeout: o.Timeout,
			// A redirect from the download URL goes on without a token.
			CheckRedirect: func(r *http.Request, via []*http.Request) error { r.Header.Del("Authorization"); return nil }},
	}
	return c, nil
}

// ClientID is the app's client ID, for messages.
func (c *Client) ClientID() string { return c.o.ClientID }

// credential returns the tenant's credential, made once.
func (c *Client) credential(tenant string) (azcore.TokenCredential, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cr := c.creds[tenant]; cr != nil {
		return cr, nil
	}
	copts := azcore.ClientOptions{}
	if c.o.AuthorityHost != "" {
		copts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: c.o.AuthorityHost, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
	}
	if c.o.Transport != http.DefaultTransport {
		copts.Transport = &http.Client{Transport: c.o.Transport, Timeout: c.o.Timeout}
	}
	copts.Retry = policy.RetryOptions{MaxRetries: 3}
	// Instance discovery asks Microsoft's public cloud whether the host is
	// an authority: not for a configured host (national cloud, test).
	noDiscovery := c.o.AuthorityHost != ""
	var cr azcore.TokenCredential
	var err error
	if len(c.o.Certificate) > 0 {
		certs, key, perr := azidentity.ParseCertificates(c.o.Certificate, []byte(c.o.CertificatePassword))
		if perr != nil {
			return nil, perr
		}
		cr, err = azidentity.NewClientCertificateCredential(tenant, c.o.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: noDiscovery})
	} else {
		cr, err = azidentity.NewClientSecretCredential(tenant, c.o.ClientID, c.o.Secret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: noDiscovery})
	}
	if err != nil {
		return nil, fail(c.msg("credential", tenant), err)
	}
	c.creds[tenant] = cr
	return cr, nil
}

// token returns an access token for Graph in the tenant (cached by
// azidentity until shortly before it expires).
func (c *Client) token(ctx context.Context, tenant string) (string, error) {
	if tenant == "" {
		tenant = c.o.TenantID
	}
	cr, err := c.credential(tenant)
	if err != nil {
		return "", err
	}
	tok, err := cr.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{GraphScope}})
	if err != nil {
		return "", c.explainSignIn(tenant, err)
	}
	return tok.Token, nil
}

// errUnreadable is an answer that is not the JSON Graph documents.
var errUnreadable = errors.New("unreadable answer")

var aadstsRe = regexp.MustCompile(`AADSTS(\d+)`)

// ErrSignIn is a refused sign-in; the message says what to fix.
var ErrSignIn = errors.New("sign-in to Microsoft Entra ID refused")

// explainSignIn turns an identity-platform error into what to fix, in
// the client's language. The platform's own sentence (AADSTS code and
// description) is quoted, as an admin searches for it; the rest of the
// library's error is kept for errors.As but not shown.
func (c *Client) explainSignIn(tenant string, err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	code := ""
	if m := aadstsRe.FindStringSubmatch(err.Error()); m != nil {
		code = m[1]
	}
	var why string
	switch code {
	case "90002", "900023", "90013":
		why = c.msg("noTenant", tenant)
	case "700016":
		why = c.msg("unknownApp", c.o.ClientID, tenant)
	case "7000215", "7000222":
		why = c.msg("badSecret")
	case "700027", "700024", "50027":
		why = c.msg("badCert")
	case "65001", "500011", "7000112":
		why = c.msg("noPermission")
	case "":
		var ne net.Error
		if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
			host := c.o.AuthorityHost
			if host == "" {
				host = DefaultAuthorityHost
			}
			why = c.msg("unreachable", strings.TrimSuffix(host, "/"))
		} else {
			why = c.msg("refused")
		}
	default:
		why = c.msg("refused")
	}
	msg := c.msg("signIn", tenant, c.o.ClientID, why)
	if d := strings.TrimSpace(aadDescRe.FindString(err.Error())); d != "" {
		msg += c.msg("entraSaid", d)
	}
	return fail(msg, ErrSignIn, err)
}

// aadDescRe is the identity platform's own sentence, without the JSON
// and trace around it.
var aadDescRe = regexp.MustCompile(`AADSTS\d+: [^"\r\n]{0,300}`)

// APIError is an error answer from Graph.
type APIError struct {
	Status     int
	Code       string // Graph's error code: accessDenied, itemNotFound, resyncRequired, ...
	InnerCode  string
	Message    string
	Location   string // 410: where to start over
	RetryAfter string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("graph %d %s: %s", e.Status, e.Code, e.Message)
}

// counterKey carries a source's call counter in a request's context.
type counterKey struct{}

func withCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

// endpointKey names the endpoint of a request, for metrics.
type endpointKey struct{}

func withEndpoint(ctx context.Context, ep string) context.Context {
	return context.WithValue(ctx, endpointKey{}, ep)
}

// get requests a Graph URL (absolute, or a path under the Graph URL) and
// decodes a 2xx JSON answer into out. Any other answer is an *APIError.
func (c *Client) get(ctx context.Context, tenant, endpoint, u string, out any) error {
	resp, err := c.do(ctx, tenant, endpoint, u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return apiError(resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(out); err != nil {
		return fmt.Errorf("graph %s: %w: %w", endpoint, errUnreadable, err)
	}
	return nil
}

// do sends a GET with the bearer token; redirects are not followed.
func (c *Client) do(ctx context.Context, tenant, endpoint, u string) (*http.Response, error) {
	tok, err := c.token(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		u = c.o.GraphURL + u
	}
	req, err := http.NewRequestWithContext(withEndpoint(ctx, endpoint), http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := c.graph.Do(req)
	if err != nil {
		return nil, fmt.Errorf("graph %s: %w", endpoint, err)
	}
	return resp, nil
}

func apiError(resp *http.Response) error {
	var body struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				Code string `json:"code"`
			} `json:"innerError"`
		} `json:"error"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	json.Unmarshal(data, &body)
	e := &APIError{Status: resp.StatusCode, Code: body.Error.Code, InnerCode: body.Error.InnerError.Code, Message: body.Error.Message,
		Location: resp.Header.Get("Location"), RetryAfter: resp.Header.Get("Retry-After")}
	if e.Code == "" {
		e.Code = http.StatusText(resp.StatusCode)
		e.Message = strings.TrimSpace(string(data))
	}
	return e
}

// retryTransport rate-limits requests, caps those in flight, and retries
// those that failed for a reason that may pass: 429, 500, 502, 503, 504
// and network timeouts.
type retryTransport struct {
	base    http.RoundTripper
	limiter *rate.Limiter
	sem     chan struct{}
	policy  retry.Policy
	onCall  func(endpoint, status string)
}

// retryStatuses are the statuses Graph's throttling guidance and its 5xx
// answers ask to retry (a 429 or 503 with Retry-After honoured).
var retryStatuses = []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
	http.StatusServiceUnavailable, http.StatusGatewayTimeout}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	ep, _ := ctx.Value(endpointKey{}).(string)
	return t.policy.Do(ctx, func(int) (*http.Response, bool, error) {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, false, err
		}
		if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		select {
		case t.sem <- struct{}{}:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		resp, err := t.base.RoundTrip(req)
		<-t.sem
		if t.onCall != nil {
			status := "error"
			if resp != nil {
				status = strconv.Itoa(resp.StatusCode)
			}
			t.onCall(ep, status)
		}
		return resp, t.retryable(resp, err), err
	})
}

func (t *retryTransport) retryable(resp *http.Response, err error) bool {
	if err != nil {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, io.ErrUnexpectedEOF)
	}
	return t.policy.RetryableStatus(resp.StatusCode)
}
