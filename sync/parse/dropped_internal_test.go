package parse

import (
	"strings"
	"testing"
)

// FuzzCancelWord: any title is read without a panic, and a cancel word
// found is one written in the title.
func FuzzCancelWord(f *testing.F) {
	for _, s := range []string{"SLETTET – Konverter data", "Konverter data (udgået 12/3)", "Test –\u00a0udgået", "(", "Æ–", "ikke relevant", "x [aflyst", "AFLYST", "", "\xc3", "udg\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		w, ok := cancelWord(title)
		if ok && (w == "" || !strings.Contains(title, w)) {
			t.Fatalf("cancelWord(%q) = %q, not in the title", title, w)
		}
		if !ok && w != "" {
			t.Fatalf("cancelWord(%q) = %q, false", title, w)
		}
	})
}

// TestCancelWord_separators: a last word after a separator written with a
// no-break space or an en dash without spaces is found, as with spaces.
func TestCancelWord_separators(t *testing.T) {
	for _, tt := range []struct {
		title, want string
	}{
		{"Konverter data –\u00a0udgået", "udgået"},
		{"Konverter data:\u00a0AFLYST", "AFLYST"},
		{"Konverter data –udgået", "udgået"},
		{"Konverter data-udgået", ""},
	} {
		t.Run(tt.title, func(t *testing.T) {
			if got, _ := cancelWord(tt.title); got != tt.want {
				t.Errorf("cancelWord(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}
