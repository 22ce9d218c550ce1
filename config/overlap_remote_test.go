package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConfig_OverlapWarnings_remote: Google sources naming one spreadsheet
// or Drive folder (however linked), and Microsoft 365 sources naming one
// sharing link, one folder of a site's library, or a folder inside
// another's recursive one, are warned of at the later source's entry,
// naming both sources and the other's line; different IDs, libraries,
// sites or folders, and sources of different kinds, are not.
func TestConfig_OverlapWarnings_remote(t *testing.T) {
	const (
		id    = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab"
		other = "1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210_-zz"
		site  = "https://kommune.sharepoint.com/sites/Udrulning"
		link  = "https://kommune.sharepoint.com/:x:/s/Udrulning/EaBcDeFgHiJ"
	)
	m365 := "m365: {tenant_id: kommune.onmicrosoft.com, client_id: abc, client_secret_env: X}\n"
	for _, tt := range []struct {
		name    string
		head    string
		sources []string // each a flow mapping
		want    []string // "key|line|words of the warning" in order
		english bool
	}{
		{"one spreadsheet, an ID and a link", "", []string{"{name: a, kind: gsheets, spreadsheets: [" + other + ", " + id + "]}",
			"{name: b, kind: gsheets, spreadsheets: [\"https://docs.google.com/spreadsheets/d/" + id + "/edit#gid=0\"]}"},
			[]string{`sources[1].spreadsheets[0]|4|kilden "b" læser samme regneark (` + id + `) som kilden "a" (linje 3): et regneark, som to kilder læser, opdateres ikke fra nogen af dem; fjern det fra den ene kilde`}, false},
		{"one drive folder", "", []string{"{name: a, kind: gsheets, folders: [\"https://drive.google.com/drive/folders/" + id + "\"]}",
			"{name: b, kind: gsheets, spreadsheets: [" + other + "]}", "{name: c, kind: gsheets, folders: [" + other + ", " + id + "]}"},
			[]string{`sources[2].folders[1]|5|the source "c" reads the same Drive folder (` + id + `) as the source "a" (line 3): a spreadsheet read by two sources is applied from neither; remove it from one of them`}, true},
		{"different spreadsheets", "", []string{"{name: a, kind: gsheets, spreadsheets: [" + id + "]}", "{name: b, kind: gsheets, spreadsheets: [" + other + "]}"}, nil, false},
		{"a spreadsheet and a folder of the same ID", "", []string{"{name: a, kind: gsheets, spreadsheets: [" + id + "]}", "{name: b, kind: gsheets, folders: [" + id + "]}"}, nil, false},
		{"one m365 folder", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Dokumenter, folders: [Planer/KY]}",
			"{name: b, kind: m365, site: \"" + strings.ToUpper(site) + "/\", library: dokumenter, folders: [/planer/ky/]}"},
			[]string{`sources[1].folders[0]|5|kilden "b" læser samme mappe (/planer/ky/) i samme bibliotek og site som kilden "a" (linje 4)`}, false},
		{"an m365 folder inside a recursive one", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", recursive: true}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Planer/KY]}"},
			[]string{`sources[1].folders[0]|5|the folder Planer/KY (source "b") lies in the folder the whole library (source "a", line 4), which reads its subfolders too`}, true},
		{"an m365 folder below one not read recursively", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Planer/KY]}"}, nil, false},
		{"the same folder of another library", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: A, folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", library: B, folders: [Planer]}"}, nil, false},
		{"the same folder of another site", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "2\", folders: [Planer]}"}, nil, false},
		{"a library named in one leads the other's folder", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Dokumenter, folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Dokumenter/Planer]}"},
			[]string{`sources[1].folders[0]|5|the source "b" (folder Dokumenter/Planer) and the source "a" (folder Planer, line 4) may read the same files: the source "b" names no library, so its folder "Dokumenter/Planer" is read in the library "Dokumenter" if the site has a library of that name; a file read by two sources is applied from neither; name the library the same way in both sources (library:)`}, true},
		{"the default library named in one, left out in the other", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", folders: [planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", library: Documents, folders: [Planer]}"},
			[]string{`sources[1].folders[0]|5|kilden "b" (mappen Planer) og kilden "a" (mappen planer, linje 4) kan læse de samme filer: kilden "a" har intet library og læser sitets standardbibliotek, som SharePoint kalder "Dokumenter"`}, false},
		{"a folder in the default library read recursively, named otherwise", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Delte dokumenter, recursive: true}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Planer/KY]}"},
			[]string{`sources[1].folders[0]|5|may read the same files: the source "b" names no library and reads the site's default library`}, true},
		{"another library named, the other without", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Projekter, folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Planer]}"}, nil, false},
		{"a folder led by another library's name", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Delte dokumenter, folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", folders: [Dokumenter/Planer]}"}, nil, false},
		{"the default library named twice otherwise", m365, []string{"{name: a, kind: m365, site: \"" + site + "\", library: Dokumenter, folders: [Planer]}",
			"{name: b, kind: m365, site: \"" + site + "\", library: Documents, folders: [Planer]}"}, nil, false},
		{"one sharing link", m365, []string{"{name: a, kind: m365, links: [\"" + link + "?e=AbC\"]}", "{name: b, kind: m365, links: [\"" + link + "X\", \"" + link + "\"]}"},
			[]string{`sources[1].links[1]|5|kilden "b" har samme delingslink som kilden "a" (linje 4)`}, false},
		{"links of other documents", m365, []string{"{name: a, kind: m365, links: [\"https://kommune.sharepoint.com/_layouts/15/Doc.aspx?sourcedoc=%7B1%7D\"]}",
			"{name: b, kind: m365, links: [\"https://kommune.sharepoint.com/_layouts/15/Doc.aspx?sourcedoc=%7B2%7D\"]}"}, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lang := "da"
			if tt.english {
				lang = "en"
			}
			file := "language: " + lang + "\n" + tt.head + "sources:\n  - " + strings.Join(tt.sources, "\n  - ") + "\n"
			overlapsAre(t, file, filepath.Join(t.TempDir(), "udrul.yaml"), nil, tt.want)
		})
	}
}

// TestGoogleID: the ID in each form of a Google link, none in a published
// copy's link or in what is no link.
func TestGoogleID(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1AbC_-9", "1AbC_-9"},
		{" https://docs.google.com/spreadsheets/d/1AbC_-9/edit#gid=0 ", "1AbC_-9"},
		{"https://drive.google.com/drive/folders/1AbC_-9?usp=sharing", "1AbC_-9"},
		{"https://drive.google.com/file/d/1AbC_-9/view", "1AbC_-9"},
		{"https://drive.google.com/open?id=1AbC_-9", "1AbC_-9"},
		{"https://docs.google.com/spreadsheets/d/e/2PACX-1v/pubhtml", ""},
		{"not a link", ""},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := GoogleID(tt.in); got != tt.want {
				t.Errorf("GoogleID(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
