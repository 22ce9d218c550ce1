package fakegoogle

import (
	"encoding/json"
	"testing"
)

func TestMask_apply(t *testing.T) {
	doc := `{"kind":"k","nextPageToken":"n","files":[{"id":"1","name":"a","capabilities":{"canDownload":true,"canEdit":false},"shortcutDetails":{"targetId":"t","targetMimeType":"m"}}],
		"sheets":[{"properties":{"sheetId":1,"title":"T","index":0},"data":[{"startRow":0,"rowData":[{"values":[{"formattedValue":"x","effectiveFormat":{"numberFormat":{"type":"DATE","pattern":"d"},"backgroundColor":{"red":1}}}]}]}]}]}`
	tests := []struct {
		name, mask, want string
	}{
		{"top level", "kind,nextPageToken", `{"kind":"k","nextPageToken":"n"}`},
		{"sub-selection in an array", "files(id,capabilities/canDownload)", `{"files":[{"capabilities":{"canDownload":true},"id":"1"}]}`},
		{"nested paths", "files/shortcutDetails(targetId)", `{"files":[{"shortcutDetails":{"targetId":"t"}}]}`},
		{"deep path", "sheets(properties/title,data/rowData/values/effectiveFormat/numberFormat/type)",
			`{"sheets":[{"data":[{"rowData":[{"values":[{"effectiveFormat":{"numberFormat":{"type":"DATE"}}}]}]}],"properties":{"title":"T"}}]}`},
		{"whole field wins", "files,files(id)", `{"files":[{"capabilities":{"canDownload":true,"canEdit":false},"id":"1","name":"a","shortcutDetails":{"targetId":"t","targetMimeType":"m"}}]}`},
		{"absent field", "nope", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseMask(tt.mask)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			json.Unmarshal([]byte(doc), &v)
			b, _ := json.Marshal(m.apply(v))
			if got := string(b); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"a(b", "a,,b", "a/", "(a)"} {
		if _, err := parseMask(bad); err == nil {
			t.Errorf("parseMask(%q) accepted", bad)
		}
	}
}
