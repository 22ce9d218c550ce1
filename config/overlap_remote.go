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

// m365Place is a folder of a SharePoint library as a source names it,
// compared as SharePoint does (without case).
type m365Place struct {
	site, library, folder string // folder: "" is the library's top
}

// m365Places are the folders of a library an m365 source reads.
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
	for _, f := range folders {
		out = append(out, m365Place{site, lib, strings.ToLower(strings.Trim(strings.TrimSpace(f), "/"))})
	}
	return out
}

// m365Overlap warns of the folders and links source j names that source i
// reads too.
func (c *Config) m365Overlap(add adder, i, j int) {
	sa, sb := &c.Sources[i], &c.Sources[j]
	en := c.ProblemsEnglish()
	pa, pb := m365Places(sa), m365Places(sb)
	for k, b := range pb {
		key := fmt.Sprintf("sources[%d].folders[%d]", j, k)
		if len(sb.Folders) == 0 {
			key = fmt.Sprintf("sources[%d].site", j)
		}
		for l, a := range pa {
			if a.site != b.site || a.library != b.library {
				continue
			}
			at := fmt.Sprintf("$.sources[%d].folders[%d]", i, l)
			if len(sa.Folders) == 0 {
				at = fmt.Sprintf("$.sources[%d].site", i)
			}
			line := c.lines.line(at)
			where := func(p m365Place, s *Source, k int) string {
				if p.folder == "" {
					return pick(en, "hele biblioteket", "the whole library")
				}
				return s.Folders[k]
			}
			switch {
			case a.folder == b.folder:
				add(key, "kilden %q læser samme mappe (%s) i samme bibliotek og site som kilden %q (linje %d): en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern mappen fra den ene kilde",
					"the source %q reads the same folder (%s) of the same library and site as the source %q (line %d): a file read by two sources is applied from neither; remove the folder from one of them",
					sb.Name, where(b, sb, k), sa.Name, line)
			case sa.Recursive && below(a.folder, b.folder):
				add(key, "mappen %[2]s (kilden %[1]q) ligger i mappen %[4]s (kilden %[3]q, linje %[5]d), som også læser sine undermapper: begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene, eller ret mapperne, så ingen mappe læses af begge",
					"the folder %[2]s (source %[1]q) lies in the folder %[4]s (source %[3]q, line %[5]d), which reads its subfolders too: both read the same files, and a file read by two sources is applied from neither; remove one, or change the folders so that no folder is read by both",
					sb.Name, where(b, sb, k), sa.Name, where(a, sa, l), line)
			case sb.Recursive && below(b.folder, a.folder):
				add(key, "mappen %[2]s (kilden %[1]q), som også læser sine undermapper, rummer mappen %[4]s (kilden %[3]q, linje %[5]d): begge læser de samme filer, og en fil, som to kilder læser, opdateres ikke fra nogen af dem; fjern den ene, eller ret mapperne, så ingen mappe læses af begge",
					"the folder %[2]s (source %[1]q), which reads its subfolders too, holds the folder %[4]s (source %[3]q, line %[5]d): both read the same files, and a file read by two sources is applied from neither; remove one, or change the folders so that no folder is read by both",
					sb.Name, where(b, sb, k), sa.Name, where(a, sa, l), line)
			default:
				continue
			}
			break
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
