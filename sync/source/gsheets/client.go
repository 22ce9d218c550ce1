// Package gsheets reads plans kept in Google Sheets (and Excel or CSV files
// kept in Google Drive) through the Google APIs: Drive tells what changed,
// so an unchanged spreadsheet costs no Sheets call; a changed one is read
// with one spreadsheets.get request with a narrow field mask. All Google
// sources share one client: one rate limit, and retries with truncated
// exponential backoff and jitter on Google's rate limits (Sheets' 429,
// Drive's 403 rateLimitExceeded/userRateLimitExceeded), 5xx and timeouts,
// honouring Retry-After.
package gsheets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/udrul/udrul/internal/retry"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/time/rate"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"
)

// Options configures the shared client.
type Options struct {
	// CredentialsFile is a service-account key file; "" means
	// $GOOGLE_APPLICATION_CREDENTIALS or Application Default Credentials.
	CredentialsFile string
	// Subject is the Google Workspace user the service account acts as
	// (domain-wide delegation); "" means the service account itself.
	Subject string
	// RequestsPerMinute is the client-side rate limit (default 50).
	RequestsPerMinute int
	// MaxRetries of one request after a rate limit, 5xx or a timeout
	// (default 6).
	MaxRetries int
	// BaseDelay and MaxDelay bound the exponential backoff (default 1 s
	// and 32 s, as Google asks).
	BaseDelay, MaxDelay time.Duration
	// Timeout of one attempt of one request, its body included (default
	// 180 s, the Sheets API's own limit). Retries and their waits are
	// bounded by the caller's context (the cycle), not by this.
	Timeout time.Duration
	// PageSize of Drive listings (default 1000, Drive's maximum).
	PageSize int64
	// DriveEndpoint and SheetsEndpoint replace Google's (tests, proxies):
	// "https://www.googleapis.com/drive/v3/" and "https://sheets.googleapis.com/".
	DriveEndpoint, SheetsEndpoint string
	// Transport is the HTTP transport under the retries (default
	// http.DefaultTransport).
	Transport http.RoundTripper
	// WithoutAuthentication is for tests against a fake server only.
	WithoutAuthentication bool
	// Language of messages: "da" (default) or "en".
	Language string
}

// Client is the connection to Google shared by all Google sources.
type Client struct {
	drive    *drive.Service
	sheets   *sheets.Service
	http     *http.Client // under both: rate limit, retries, tokens
	email    string       // the service account's e-mail, for "share with" messages
	subject  string       // the user acted as, with domain-wide delegation
	pageSize int64
	lang     string
}

// ReadOnlyScopes are the only scopes udrul asks for: drive.readonly covers
// Drive metadata, downloads and spreadsheets.get (its reference lists
// drive.readonly among the scopes it accepts).
var ReadOnlyScopes = []string{drive.DriveReadonlyScope}

// NewClient builds the shared client. The key file's content is never
// logged; only the service account's e-mail is kept.
func NewClient(ctx context.Context, o Options) (*Client, error) {
	if o.RequestsPerMinute <= 0 {
		o.RequestsPerMinute = 50
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 6
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 32 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 180 * time.Second
	}
	if o.PageSize <= 0 || o.PageSize > 1000 {
		o.PageSize = 1000
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	policy := retry.Policy{Retries: o.MaxRetries, BaseDelay: o.BaseDelay, MaxDelay: o.MaxDelay, Statuses: retryStatuses}
	rt := &retryTransport{
		base:    o.Transport,
		limiter: rate.NewLimiter(rate.Limit(float64(o.RequestsPerMinute)/60), 1),
		policy:  policy, timeout: o.Timeout,
	}
	c := &Client{subject: strings.TrimSpace(o.Subject), pageSize: o.PageSize, lang: o.Language}
	if !o.WithoutAuthentication {
		// Token requests are retried like API requests, outside the API
		// rate limit (the token endpoint has its own).
		tokenRT := &retryTransport{base: o.Transport, policy: policy, timeout: o.Timeout}
		tokenCtx := context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, &http.Client{Transport: tokenRT})
		params := google.CredentialsParams{Scopes: ReadOnlyScopes, Subject: c.subject}
		var makeCreds func() (*google.Credentials, error)
		path := o.CredentialsFile
		if path == "" {
			path = os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")
		}
		if path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, &sourceError{kind: err, msg: c.msg("credRead", path)}
			}
			c.email = serviceAccountEmail(data)
			makeCreds = func() (*google.Credentials, error) {
				creds, err := google.CredentialsFromJSONWithTypeAndParams(tokenCtx, data, google.ServiceAccount, params)
				if err != nil {
					return nil, &sourceError{kind: err, msg: c.msg("credNotKey", path)}
				}
				return creds, nil
			}
		} else {
			makeCreds = func() (*google.Credentials, error) {
				creds, err := google.FindDefaultCredentialsWithParams(tokenCtx, params)
				if err != nil {
					return nil, &sourceError{kind: err, msg: c.msg("credNone")}
				}
				return creds, nil
			}
		}
		creds, err := makeCreds()
		if err != nil {
			return nil, err
		}
		if c.email == "" {
			c.email = serviceAccountEmail(creds.JSON)
		}
		rt.tokens = &tokens{ts: creds.TokenSource, make: func() (oauth2.TokenSource, error) {
			creds, err := makeCreds()
			if err != nil {
				return nil, err
			}
			return creds.TokenSource, nil
		}, explain: c.explainToken}
	}
	httpClient := &http.Client{Transport: rt}
	c.http = httpClient
	opts := []option.ClientOption{option.WithHTTPClient(httpClient)}
	dopts, sopts := opts, opts
	if o.DriveEndpoint != "" {
		dopts = append(dopts, option.WithEndpoint(o.DriveEndpoint))
	}
	if o.SheetsEndpoint != "" {
		sopts = append(sopts, option.WithEndpoint(o.SheetsEndpoint))
	}
	var err error
	if c.drive, err = drive.NewService(ctx, dopts...); err != nil {
		return nil, fmt.Errorf("drive client: %w", err)
	}
	if c.sheets, err = sheets.NewService(ctx, sopts...); err != nil {
		return nil, fmt.Errorf("sheets client: %w", err)
	}
	return c, nil
}

// ServiceAccount is the e-mail plans must be shared with ("" if unknown).
func (c *Client) ServiceAccount() string { return c.email }

// Account is whom Google sees: the delegated user, or the service account.
// Change tokens belong to it.
func (c *Client) Account() string {
	if c.subject != "" {
		return c.subject
	}
	return c.email
}

func serviceAccountEmail(keyJSON []byte) string {
	var k struct {
		ClientEmail string `json:"client_email"`
	}
	json.Unmarshal(keyJSON, &k)
	return k.ClientEmail
}

// ErrCredentials says Google refused to issue a token.
var ErrCredentials = errors.New("google refused udrul's credentials")

// explainToken turns a token endpoint's refusal into what to do.
func (c *Client) explainToken(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("google token: %w", err)
	}
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" {
		// x/oauth2/jwt leaves the body unparsed.
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		json.Unmarshal(re.Body, &body)
		code, desc = body.Error, body.Description
	}
	switch {
	case code == "unauthorized_client" && c.subject != "":
		return c.fail(ErrCredentials, "delegation", c.subject, drive.DriveReadonlyScope)
	case code == "invalid_grant" && strings.Contains(strings.ToLower(desc), "user") && c.subject != "":
		return c.fail(ErrCredentials, "noSuchSubject", c.subject)
	case code == "invalid_grant":
		return c.fail(ErrCredentials, "invalidGrant", desc, c.email)
	}
	return c.fail(ErrCredentials, "credentials", code, desc)
}

// tokens hands out access tokens, one per attempt, so that a token that
// expires during a long backoff is refreshed; reset forgets the cached one
// after a 401.
type tokens struct {
	mu      sync.Mutex
	ts      oauth2.TokenSource
	make    func() (oauth2.TokenSource, error)
	explain func(error) error
}

func (t *tokens) token() (*oauth2.Token, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ts == nil {
		ts, err := t.make()
		if err != nil {
			return nil, err
		}
		t.ts = ts
	}
	tok, err := t.ts.Token()
	if err != nil {
		return nil, t.explain(err)
	}
	return tok, nil
}

func (t *tokens) reset() {
	t.mu.Lock()
	t.ts = nil
	t.mu.Unlock()
}

// counterKey carries a source's call counter in a request's context.
type counterKey struct{}

// withCounter returns ctx counting the API requests made with it in n.
func withCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

// maxBytesKey carries the largest response body a request may have.
type maxBytesKey struct{}

func withMaxBytes(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, maxBytesKey{}, n)
}

// TooLargeError says a response body was larger than allowed.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than %d MiB", e.Limit>>20)
}

// TimeoutError says one attempt got no (complete) answer in time.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("google did not answer within %s", e.After)
}

// Timeout marks it as a timeout for net.Error users.
func (e *TimeoutError) Timeout() bool { return true }

// retryTransport rate-limits requests, authorises each attempt with a
// fresh-enough token, times out each attempt, and retries those that failed
// for a reason that may pass: Google's rate limits (429; Drive's 403 with
// reason rateLimitExceeded or userRateLimitExceeded, see
// developers.google.com/drive/api/guides/limits and handle-errors), 500,
// 502, 503, 504, timeouts, and a 401 once with a new token.
type retryTransport struct {
	base    http.RoundTripper
	limiter *rate.Limiter // nil: none
	tokens  *tokens       // nil: no authentication
	policy  retry.Policy
	timeout time.Duration
}

// retryStatuses are the statuses Google asks to retry with backoff (a 403
// is retried only for a rate limit, by its reason).
var retryStatuses = []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
	http.StatusServiceUnavailable, http.StatusGatewayTimeout}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	reauthorised := false
	return t.policy.Do(ctx, func(attempt int) (*http.Response, bool, error) {
		if t.limiter != nil {
			if err := t.limiter.Wait(ctx); err != nil {
				return nil, false, err
			}
		}
		if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		actx, cancel := context.WithTimeout(ctx, t.timeout)
		r := req.Clone(actx)
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				cancel()
				return nil, false, err
			}
			r.Body = body
		}
		if t.tokens != nil {
			tok, err := t.tokens.token()
			if err != nil {
				cancel()
				return nil, false, err
			}
			tok.SetAuthHeader(r)
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			if ctx.Err() != nil {
				cancel()
				return nil, false, ctx.Err()
			}
			if actx.Err() != nil {
				err = &TimeoutError{After: t.timeout}
			}
			cancel()
			return nil, transient(err), err
		}
		retry := false
		switch {
		case resp.StatusCode == http.StatusUnauthorized && t.tokens != nil && !reauthorised:
			// The token was revoked or expired early: one more try with
			// a new one.
			reauthorised = true
			t.tokens.reset()
			retry = true
		case resp.StatusCode == http.StatusForbidden:
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			retry = rateLimited(body)
		default:
			retry = t.policy.RetryableStatus(resp.StatusCode)
		}
		// The body is read within the attempt's timeout; closing it (the
		// caller, or the retry loop before the next attempt) ends the
		// attempt.
		limit, _ := ctx.Value(maxBytesKey{}).(int64)
		resp.Body = &attemptBody{rc: resp.Body, ctx: actx, cancel: cancel, limit: limit, timeout: t.timeout}
		return resp, retry, nil
	})
}

// attemptBody is a response body read within its attempt's timeout and
// under the caller's size cap; closing it ends the attempt.
type attemptBody struct {
	rc      io.ReadCloser
	ctx     context.Context
	cancel  context.CancelFunc
	limit   int64
	read    int64
	timeout time.Duration
}

func (b *attemptBody) Read(p []byte) (int, error) {
	if b.limit > 0 && b.read > b.limit {
		return 0, &TooLargeError{Limit: b.limit}
	}
	n, err := b.rc.Read(p)
	b.read += int64(n)
	if b.limit > 0 && b.read > b.limit {
		// Nothing past the cap is handed on: a decoder reading as it
		// goes stops at the cap, as one reading the whole does.
		return n - int(b.read-b.limit), &TooLargeError{Limit: b.limit}
	}
	if err != nil && err != io.EOF && b.ctx.Err() == context.DeadlineExceeded {
		err = &TimeoutError{After: b.timeout}
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

func transient(err error) bool {
	var te *TimeoutError
	var ne net.Error
	return errors.As(err, &te) || errors.As(err, &ne) && ne.Timeout() || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET)
}

// googleError is Google's JSON error body: the v1 "errors" list with
// reasons (Drive) and the newer "status" and "details" with an ErrorInfo
// (Sheets, and Drive for some errors). See
// developers.google.com/drive/api/guides/handle-errors and
// cloud.google.com/apis/design/errors.
type googleError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Errors  []struct {
			Reason string `json:"reason"`
			Domain string `json:"domain"`
		} `json:"errors"`
		Details []struct {
			Type     string            `json:"@type"`
			Reason   string            `json:"reason"`
			Domain   string            `json:"domain"`
			Metadata map[string]string `json:"metadata"`
		} `json:"details"`
	} `json:"error"`
}

// reasons lists the reasons of an error body: the v1 reasons, then the
// ErrorInfo reasons, then the status.
func reasons(body []byte) []string {
	var ge googleError
	if json.Unmarshal(body, &ge) != nil {
		return nil
	}
	var out []string
	for _, e := range ge.Error.Errors {
		out = append(out, e.Reason)
	}
	for _, d := range ge.Error.Details {
		if strings.HasSuffix(d.Type, "google.rpc.ErrorInfo") {
			out = append(out, d.Reason)
		}
	}
	if ge.Error.Status != "" {
		out = append(out, ge.Error.Status)
	}
	return out
}

// rateLimited reports whether a 403 body is one of Drive's rate limits:
// reasons userRateLimitExceeded and rateLimitExceeded (domain
// usageLimits), or an ErrorInfo RATE_LIMIT_EXCEEDED.
func rateLimited(body []byte) bool {
	for _, r := range reasons(body) {
		switch r {
		case "userRateLimitExceeded", "rateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED":
			return true
		}
	}
	return false
}
