// Package gsheets reads plans kept in Google Sheets (and Excel or CSV files
// kept in Google Drive) through the Google APIs: Drive tells what changed,
// so an unchanged spreadsheet costs no Sheets call; a changed one is read
// with one spreadsheets.get request with a field mask. All Google sources
// share one client: one rate limit, retries with truncated exponential
// backoff and jitter on 429, 5xx and timeouts, honouring Retry-After.
package gsheets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

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
	// RequestsPerMinute is the client-side rate limit (default 50).
	RequestsPerMinute int
	// MaxRetries of one request after 429, 5xx or a timeout (default 6).
	MaxRetries int
	// BaseDelay and MaxDelay bound the exponential backoff (default 1 s
	// and 32 s, as Google asks).
	BaseDelay, MaxDelay time.Duration
	// Timeout of one request (default 180 s, the Sheets API's own limit).
	Timeout time.Duration
	// DriveEndpoint and SheetsEndpoint replace Google's (tests, proxies):
	// "https://www.googleapis.com/drive/v3/" and "https://sheets.googleapis.com/".
	DriveEndpoint, SheetsEndpoint string
	// Transport is the HTTP transport under the retries (default
	// http.DefaultTransport).
	Transport http.RoundTripper
	// WithoutAuthentication is for tests against a fake server only.
	WithoutAuthentication bool
}

// Client is the connection to Google shared by all Google sources.
type Client struct {
	drive  *drive.Service
	sheets *sheets.Service
	email  string // the service account's e-mail, for "share with" messages
}

// ReadOnlyScopes are the only scopes udrul asks for.
var ReadOnlyScopes = []string{drive.DriveReadonlyScope, sheets.SpreadsheetsReadonlyScope}

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
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	rt := &retryTransport{
		base:    o.Transport,
		limiter: rate.NewLimiter(rate.Limit(float64(o.RequestsPerMinute)/60), 1),
		retries: o.MaxRetries, baseDelay: o.BaseDelay, maxDelay: o.MaxDelay,
	}
	c := &Client{}
	httpClient := &http.Client{Transport: rt, Timeout: o.Timeout}
	if !o.WithoutAuthentication {
		var creds *google.Credentials
		var err error
		// Token requests go through the same limits and retries.
		tokenCtx := context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: rt, Timeout: o.Timeout})
		path := o.CredentialsFile
		if path == "" {
			path = os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")
		}
		if path != "" {
			data, rerr := os.ReadFile(path)
			if rerr != nil {
				return nil, fmt.Errorf("google credentials: %w", rerr)
			}
			c.email = serviceAccountEmail(data)
			creds, err = google.CredentialsFromJSONWithType(tokenCtx, data, google.ServiceAccount, ReadOnlyScopes...)
			if err != nil {
				return nil, fmt.Errorf("google credentials %s: not a service-account key: %w", path, err)
			}
		} else {
			creds, err = google.FindDefaultCredentials(tokenCtx, ReadOnlyScopes...)
			if err != nil {
				return nil, fmt.Errorf("google credentials: no key file configured and no Application Default Credentials: %w", err)
			}
			c.email = serviceAccountEmail(creds.JSON)
		}
		httpClient.Transport = &oauth2.Transport{Source: creds.TokenSource, Base: rt}
	}
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

func serviceAccountEmail(keyJSON []byte) string {
	var k struct {
		ClientEmail string `json:"client_email"`
	}
	json.Unmarshal(keyJSON, &k)
	return k.ClientEmail
}

// counterKey carries a source's call counter in a request's context.
type counterKey struct{}

// withCounter returns ctx counting the API requests made with it in n.
func withCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

// retryTransport rate-limits requests and retries those that failed for a
// reason that may pass: 429, 500, 502, 503, 504 and network timeouts.
type retryTransport struct {
	base                http.RoundTripper
	limiter             *rate.Limiter
	retries             int
	baseDelay, maxDelay time.Duration
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, err
		}
		if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		resp, err := t.base.RoundTrip(r)
		if !retryable(resp, err) || attempt >= t.retries {
			return resp, err
		}
		delay := t.backoff(attempt, resp)
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
	}
}

func retryable(resp *http.Response, err error) bool {
	if err != nil {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, io.ErrUnexpectedEOF)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is Google's truncated exponential backoff with jitter, or the
// server's Retry-After when it says more.
func (t *retryTransport) backoff(attempt int, resp *http.Response) time.Duration {
	d := min(t.baseDelay<<attempt, t.maxDelay)
	d += time.Duration(rand.Int64N(int64(t.baseDelay)))
	if resp != nil {
		if s := resp.Header.Get("Retry-After"); s != "" {
			// Honoured up to five minutes; a longer wait ends the cycle
			// sooner as failed, and the next cycle tries again.
			if secs, err := strconv.Atoi(s); err == nil && time.Duration(secs)*time.Second > d {
				d = min(time.Duration(secs)*time.Second, 5*time.Minute)
			} else if at, err := http.ParseTime(s); err == nil && time.Until(at) > d {
				d = min(time.Until(at), 5*time.Minute)
			}
		}
	}
	return d
}
