package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// GoogleID is the ID in a Google Sheets or Drive link
// (…/spreadsheets/d/ID/edit, …/drive/folders/ID, …/file/d/ID/view,
// …/open?id=ID) or a bare ID; "" for a published copy's link
// (…/spreadsheets/d/e/…, which names no spreadsheet) or what is no link.
func GoogleID(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case googlePublishedRe.MatchString(s):
		return ""
	case googlePathIDRe.MatchString(s):
		return googlePathIDRe.FindStringSubmatch(s)[1]
	case googleQueryIDRe.MatchString(s):
		return googleQueryIDRe.FindStringSubmatch(s)[1]
	case googleBareIDRe.MatchString(s):
		return s
	}
	return ""
}

var (
	googlePathIDRe    = regexp.MustCompile(`/(?:spreadsheets/d|folders|file/d)/([a-zA-Z0-9_-]+)`)
	googleQueryIDRe   = regexp.MustCompile(`[?&](?:id|key)=([a-zA-Z0-9_-]+)`)
	googlePublishedRe = regexp.MustCompile(`/spreadsheets/d/e/`)
	googleBareIDRe    = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

// remoteOverlapWarnings warns of Google and Microsoft 365 sources that
// read the same spreadsheets, files or folders, as OverlapWarnings does of
// files sources: two gsheets sources naming one spreadsheet or one Drive
// folder (by its ID, however linked); two m365 sources naming one sharing
// link, or one folder of one site's library, or a folder inside another's
// that reads its subfolders. The warning is at the later source's entry,
// naming the earlier source and its line. (A spreadsheet inside another
// source's folder, or a link to a folder another reads, is known only by
// asking Google or Microsoft: the sync says so.)
func (c *Config) remoteOverlapWarnings(add adder) {
	for j, sb := range c.Sources {
		for i, sa := range c.Sources[:j] {
			if sa.Kind != sb.Kind {
				continue
			}
			switch sb.Kind {
			case KindGSheets:
				c.googleOverlap(add, i, j)
			case KindM365:
				c.m365Overlap(add, i, j)
			}
		}
	}
}

// googleOverlap warns of the spreadsheets and folders source j names that
// source i names too.
func (c *Config) googleOverlap(add adder, i, j int) {
	sa, sb := c.Sources[i], c.Sources[j]
	for _, list := range []struct {
		field      string
		a, b       []string
		da, en, it string
	}{
		{"spreadsheets", sa.Spreadsheets, sb.Spreadsheets, "regneark", "spreadsheet", "det"},
		{"folders", sa.Folders, sb.Folders, "Drive-mappe", "Drive folder", "den"},
	} {
		for k, link := range list.b {
			id := GoogleID(link)
			if id == "" {
				continue
			}
			for l, other := range list.a {
				if GoogleID(other) != id {
					continue
				}
				line := c.lines.line(fmt.Sprintf("$.sources[%d].%s[%d]", i, list.field, l))
				add(fmt.Sprintf("sources[%d].%s[%d]", j, list.field, k),
					"kilden %q læser samme %s (%s) som kilden %q (linje %d): et regneark, som to kilder læser, opdateres ikke fra nogen af dem; fjern %s fra den ene kilde",
					"the source %q reads the same %s (%s) as the source %q (line %d): a spreadsheet read by two sources is applied from neither; remove it from one of them",
					sb.Name, pick(c.ProblemsEnglish(), list.da, list.en), id, sa.Name, line, list.it)
				break
			}
		}
	}
}

// m365Place is a folder of a SharePoint library as a source may read it,
// compared as SharePoint does (without case). A source without a library
// reads a folder in the site's default library, unless the folder's first
// part names a library of the site: then that library's folder (the m365
// source looks the names up); so such a folder has two readings.
type m365Place struct {
	site, library, folder string // library: "" the site's default; folder: "" is the library's top
	k                     int    // the folder's index in the source's folders
	viaHead               bool   // the first part of the path taken as the library
}

// defaultLibraries are the names a site's default library goes by: its
// address (…/Shared Documents) and its name as SharePoint shows it in
// Danish, English and Teams sites.
var defaultLibraries = map[string]bool{"shared documents": true, "dokumenter": true, "documents": true, "delte dokumenter": true}

// m365Places are the readings of the folders of a library an m365 source
// reads.
func m365Places(s *Source) []m365Place {
	if s.Site == "" {
		return nil
	}
	site := strings.ToLower(strings.TrimRight(strings.TrimSpace(s.Site), "/"))
	if u, err := url.Parse(site); err == nil {
		u.RawQuery, u.Fragment = "", ""
		site = strings.TrimRight(u.String(), "/")
	}
	lib := strings.ToLower(strings.TrimSpace(s.Library))
	folders := s.Folders
	if len(folders) == 0 {
		folders = []string{""}
	}
	var out []m365Place
	for k, f := range folders {
		folder := strings.ToLower(strings.Trim(strings.TrimSpace(f), "/"))
		out = append(out, m365Place{site: site, library: lib, folder: folder, k: k})
		if lib == "" && folder != "" {
			head, rest, _ := strings.Cut(folder, "/")
			out = append(out, m365Place{site: site, library: head, folder: rest, k: k, viaHead: true})
		}
	}
	return out
}

// sameLibrary says whether two readings are of one library: surely (the
// same name, or both the default), or maybe (the default and a name the
// default library goes by).
func sameLibrary(a, b m365Place) (same, sure bool) {
	switch {
	case a.library == b.library:
		return true, true
	case a.library == "" && defaultLibraries[b.library], b.library == "" && defaultLibraries[a.library]:
		return true, false
	}
	return false, false
}

// m365Overlap warns of the folders and links source j names that source i
// reads too: surely (the same library, named alike), or maybe (one names
// the library another leaves to the default, or leads its folder's path
// with it), saying why.
func (c *Config) m365Overlap(add adder, i, j int) {
	sa, sb := &c.Sources[i], &c.Sources[j]
	en := c.ProblemsEnglish()
	pa, pb := m365Places(sa), m365Places(sb)
	where := func(p m365Place, s *Source) string {
		if len(s.Folders) == 0 {
			return pick(en, "hele biblioteket", "the whole library")
		}
		return s.Folders[p.k]
	}
	// why says how a reading that is not sure comes about.
	why := func(p m365Place, s *Source, other m365Place) string {
		switch {
		case p.viaHead:
			head, _, _ := strings.Cut(strings.Trim(strings.TrimSpace(s.Folders[p.k]), "/"), "/")
			return fmt.Sprintf(pick(en, "kilden %q har intet library, så mappen %q læses i biblioteket %q, hvis sitet har et bibliotek med det navn",
				"the source %q names no library, so its folder %q is read in the library %q if the site has a library of that name"),
				s.Name, s.Folders[p.k], head)
		case p.library == "" && other.library != "":
			return fmt.Sprintf(pick(en, "kilden %q har intet library og læser sitets standardbibliotek, som SharePoint kalder \"Dokumenter\" (\"Documents\" på engelsk, \"Delte dokumenter\" i Teams)",
				"the source %q names no library and reads the site's default library, which SharePoint names \"Dokumenter\" (\"Documents\" in English, \"Delte dokumenter\" in Teams)"), s.Name)
		}
		return ""
	}
	warned := map[int]bool{}
	for _, sure := range []bool{true, false} {
		for _, b := range pb {
			if warned[b.k] {
				continue
			}
			key := fmt.Sprintf("sources[%d].folders[%d]", j, b.k)
			if len(sb.Folders) == 0 {
				key = fmt.Sprintf("sources[%d].site", j)
			}
			for _, a := range pa {
				same, libSure := sameLibrary(a, b)
				if a.site != b.site || !same || (libSure && !a.viaHead && !b.viaHead) != sure {
					continue
				}
				at := fmt.Sprintf("$.sources[%d].folders[%d]", i, a.k)
				if len(sa.Folders) == 0 {
					at = fmt.Sprintf("$.sources[%d].site", i)
				}
				line := c.lines.line(at)
				inside := sa.Recursive && below(a.folder, b.folder) || sb.Recursive && below(b.folder, a.folder)
				switch {
				case a.folder != b.folder && !inside:
					continue
				case !sure:
					var reasons []string
					for _, r := range []string{why(a, sa, b), why(b, sb, a)} {
						if r != "" {
							reasons = append(reasons, r)
						}
					}
					add(key, "kilden %[1]q (mappen %[2]s) og kilden %[3]q (mappen %[4]s, linje %[5]d) kan læse de samme filer: %[6]s; en fil, som to kilder læser, opdateres ikke fra nogen af dem; skriv biblioteket ens i begge kilder (library:), eller fjern mappen fra den ene",
						"the source %[1]q (folder %[2]s) and the source %[3]q (folder %[4]s, line %[5]d) may read the same files: %[6]s; a file read by two sources is applied from neither; name the library the same way in both sources (library:), or remove the folder from one of them",
						sb.Name, where(b, sb), sa.Name, where(a, sa), line, strings.Join(reasons, "; "))
				case a.folder == b.folder:
					add(key, "kilden %q læser samme mappe (%s) i samme bibliotek og site som kilden %q (linje %d): en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern mappen fra den ene kilde",
						"the source %q reads the same folder (%s) of the same library and site as the source %q (line %d): a file read by two sources is applied from neither; remove the folder from one of them",
						sb.Name, where(b, sb), sa.Name, line)
				case sa.Recursive && below(a.folder, b.folder):
					add(key, "mappen %[2]s (kilden %[1]q) ligger i mappen %[4]s (kilden %[3]q, linje %[5]d), som også læser sine undermapper: begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene, eller ret mapperne, så ingen mappe læses af begge",
						"the folder %[2]s (source %[1]q) lies in the folder %[4]s (source %[3]q, line %[5]d), which reads its subfolders too: both read the same files, and a file read by two sources is applied from neither; remove one, or change the folders so that no folder is read by both",
						sb.Name, where(b, sb), sa.Name, where(a, sa), line)
				default:
					add(key, "mappen %[2]s (kilden %[1]q), som også læser sine undermapper, rummer mappen %[4]s (kilden %[3]q, linje %[5]d): begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene, eller ret mapperne, så ingen mappe læses af begge",
						"the folder %[2]s (source %[1]q), which reads its subfolders too, holds the folder %[4]s (source %[3]q, line %[5]d): both read the same files, and a file read by two sources is applied from neither; remove one, or change the folders so that no folder is read by both",
						sb.Name, where(b, sb), sa.Name, where(a, sa), line)
				}
				warned[b.k] = true
				break
			}
		}
	}
	for k, link := range sb.Links {
		for l, other := range sa.Links {
			if sameLink(link, other) {
				add(fmt.Sprintf("sources[%d].links[%d]", j, k),
					"kilden %q har samme delingslink som kilden %q (linje %d): en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern linket fra den ene kilde",
					"the source %q has the same sharing link as the source %q (line %d): a file read by two sources is applied from neither; remove the link from one of them",
					sb.Name, sa.Name, c.lines.line(fmt.Sprintf("$.sources[%d].links[%d]", i, l)))
				break
			}
		}
	}
}

// below reports whether folder lies below dir in a library ("" is its
// top).
func below(dir, folder string) bool {
	if dir == "" {
		return folder != ""
	}
	return strings.HasPrefix(folder, dir+"/")
}

// sameLink reports whether two sharing links are one: the same address,
// the host without case, the parameters that only say how to open it
// (e=, web=, as a copied link may carry) aside.
func sameLink(a, b string) bool {
	ua, erra := url.Parse(strings.TrimSpace(a))
	ub, errb := url.Parse(strings.TrimSpace(b))
	if erra != nil || errb != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	query := func(u *url.URL) string {
		q := u.Query()
		q.Del("e")
		q.Del("web")
		return q.Encode()
	}
	return strings.EqualFold(ua.Host, ub.Host) && strings.TrimRight(ua.Path, "/") == strings.TrimRight(ub.Path, "/") && query(ua) == query(ub)
}

// pick is da or en.
func pick(english bool, da, en string) string {
	if english {
		return en
	}
	return da
}
