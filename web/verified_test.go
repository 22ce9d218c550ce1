package web

import (
	"strings"
	"testing"
)

// TestOIDC_verifiedAddress: an address grants access by itself (a
// municipality by its domain, a coordinator by address) only when the
// provider vouches for it, whichever claim it comes from; membership of a
// coordinators' group needs no verified address.
func TestOIDC_verifiedAddress(t *testing.T) {
	tests := []struct {
		name     string
		claim    string
		trust    bool // EmailClaimVerified
		email    string
		groups   []string
		claims   map[string]any
		want     int    // status of the login
		wantPage string // what the logged-in user sees ("" with a refusal)
	}{
		{"email verified", "", false, "pl@aarhus.dk", nil, nil, 200, "Aarhus"},
		{"email_verified false", "", false, "pl@aarhus.dk", nil, map[string]any{"email_verified": false}, 403, ""},
		{"email_verified as a string", "", false, "pl@aarhus.dk", nil, map[string]any{"email_verified": "true"}, 200, "Aarhus"},
		{"email without a word on verification", "", false, "pl@aarhus.dk", nil, map[string]any{"email_verified": nil}, 403, ""},
		{"Entra ID email with xms_edov true", "", false, "pl@aarhus.dk", nil, map[string]any{"email_verified": nil, "xms_edov": true}, 200, "Aarhus"},
		{"Entra ID email with xms_edov false", "", false, "pl@aarhus.dk", nil, map[string]any{"email_verified": nil, "xms_edov": false}, 403, ""},
		{"xms_edov false overrides email_verified", "", false, "pl@aarhus.dk", nil, map[string]any{"xms_edov": "0"}, 403, ""},
		{"unverified coordinator address", "", false, "koordinator@kombit.dk", nil, map[string]any{"email_verified": nil}, 403, ""},
		{"unverified address in a coordinators' group", "", false, "x@gmail.com", []string{"udrul-koordinatorer"}, map[string]any{"email_verified": false}, 200, "Vejle"},
		{"preferred_username alone", "preferred_username", false, "x@gmail.com", nil,
			map[string]any{"preferred_username": "pl@aarhus.dk", "xms_edov": true}, 403, ""},
		{"preferred_username equal to a verified email", "preferred_username", false, "pl@aarhus.dk", nil,
			map[string]any{"preferred_username": "PL@aarhus.dk"}, 200, "Aarhus"},
		{"preferred_username claiming to be trusted", "preferred_username", true, "x@gmail.com", nil,
			map[string]any{"preferred_username": "pl@aarhus.dk"}, 403, ""},
		{"upn without email_claim_verified", "upn", false, "x@gmail.com", nil,
			map[string]any{"upn": "pl@aarhus.dk"}, 403, ""},
		{"upn with email_claim_verified", "upn", true, "", nil,
			map[string]any{"upn": "pl@aarhus.dk", "email": nil, "email_verified": nil}, 200, "Aarhus"},
		{"upn whose own address the provider calls unverified", "upn", true, "pl@aarhus.dk", nil,
			map[string]any{"upn": "pl@aarhus.dk", "email_verified": false}, 403, ""},
		{"email_claim_verified does not cover email", "", true, "pl@aarhus.dk", nil, map[string]any{"email_verified": nil}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp := newFakeIdP(t)
			ts, o := oidcServer(t, idp, nil)
			o.EmailClaim, o.EmailClaimVerified = tt.claim, tt.trust
			idp.email, idp.groups, idp.claims = tt.email, tt.groups, tt.claims
			c := jarClient(t)
			code, body := fetch(t, c, ts.URL+"/auth/login")
			if code != tt.want {
				t.Fatalf("login: %d, want %d: %s", code, tt.want, body)
			}
			if tt.want != 200 {
				if code, _ := fetch(t, c, ts.URL+"/api/overview"); code != 401 {
					t.Errorf("after a refused login the API answers %d, want 401", code)
				}
				return
			}
			if !strings.Contains(body, tt.wantPage) {
				t.Errorf("the overview lacks %q", tt.wantPage)
			}
		})
	}
}

func TestClaimBool(t *testing.T) {
	tests := []struct {
		in          any
		value, said bool
	}{
		{true, true, true}, {false, false, true}, {"true", true, true}, {"False", false, true}, {"1", true, true}, {"0", false, true},
		{1.0, true, true}, {0.0, false, true}, {2.0, true, false}, {"yes", false, false}, {nil, false, false}, {[]any{true}, false, false},
	}
	for _, tt := range tests {
		if v, s := claimBool(tt.in); v != tt.value || s != tt.said {
			t.Errorf("claimBool(%#v) = %v, %v; want %v, %v", tt.in, v, s, tt.value, tt.said)
		}
	}
}
