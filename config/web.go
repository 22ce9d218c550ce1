package config

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// validateWeb checks the web view's access settings.
func (c *Config) validateWeb(add func(key, format string, args ...any)) {
	a := c.HTTP.Auth
	for i, p := range a.TrustedProxies {
		if _, err := ParseProxy(p); err != nil {
			add("http.auth.trusted_proxies["+strconv.Itoa(i)+"]", "%q is not an address or network (such as 10.0.0.5 or 10.0.0.0/24)", p)
		}
	}
	if (a.ProxyHeader == "") != (len(a.TrustedProxies) == 0) {
		add("http.auth", "proxy_header and trusted_proxies go together: name the header the proxy sets and the proxy's addresses")
	}
	for d := range a.MunicipalityDomains {
		if strings.Contains(d, "@") && !strings.HasPrefix(d, "@") || !strings.Contains(d, ".") {
			add("http.auth.municipality_domains."+d, "%q is not an e-mail domain (such as aarhus.dk)", d)
		}
	}
	if u := c.HTTP.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		add("http.public_url", "%q is not a web address (such as https://udrul.kommune.dk)", u)
	}
}

// ParseProxy reads a trusted proxy: an address or a network.
func ParseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ListenIsLoopback reports whether the HTTP listener is reachable from this
// machine only.
func (h HTTP) ListenIsLoopback() bool {
	host, _, err := net.SplitHostPort(h.Listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
