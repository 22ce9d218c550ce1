package syncer

import "testing"

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*Kopi*", "KY_Aarhus - Kopi.xlsx", true},
		{"*kopi*", "KY_Aarhus - KOPI.xlsx", true},
		{"*(1)*", "KY_Aarhus (1).xlsx", true},
		{"*(1)*", "KY_Aarhus 1.xlsx", false},
		{"*_gammel*", "KY_Aarhus_gammel.xlsx", true},
		{"~$*", "~$KY_Aarhus.xlsx", true},
		{"~$*", "KY_~$Aarhus.xlsx", false},
		{"*backup*", "backup/KY_Aarhus.xlsx", true},
		{"*backup*", "KY_Aarhus.xlsx", false},
		{"KY_?rhus.xlsx", "KY_Århus.xlsx", true},
		{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"*Godkendt/*", "Godkendt/KY_Aarhus.xlsx", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.s, func(t *testing.T) {
			if got := MatchPattern(tt.pattern, tt.s); got != tt.want {
				t.Errorf("MatchPattern(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}

func TestRelPath(t *testing.T) {
	if got := relPath("/srv/backup-share/plans", "/srv/backup-share/plans/sub/KY.xlsx"); got != "sub/KY.xlsx" {
		t.Errorf("relPath = %q", got)
	}
	if got := relPath("/srv/*/plans", "/srv/a/plans/KY.xlsx"); got != "" {
		t.Errorf("relPath of a glob = %q, want only the name", got)
	}
}
