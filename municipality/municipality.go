// Package municipality names the 98 Danish municipalities and recognises
// them as people type them in file names, titles and cells: in any case,
// with ø written oe or o, æ written ae, å written aa or a (and the real
// "aa" of Aarhus or Aabenraa written å), hyphens, spaces and underscores
// alike, with or without "Kommune" and the genitive s. No spelling of one
// municipality is a spelling of another (tested over every pair), and a
// text that names two municipalities names none.
package municipality

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names are the 98 Danish municipalities, as they name themselves.
var Names = []string{
	"Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby", "Brønderslev",
	"Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg", "Fredericia",
	"Frederiksberg", "Frederikshavn", "Frederikssund", "Furesø", "Faaborg-Midtfyn", "Gentofte",
	"Gladsaxe", "Glostrup", "Greve", "Gribskov", "Guldborgsund", "Haderslev", "Halsnæs", "Hedensted",
	"Helsingør", "Herlev", "Herning", "Hillerød", "Hjørring", "Holbæk", "Holstebro", "Horsens",
	"Hvidovre", "Høje-Taastrup", "Hørsholm", "Ikast-Brande", "Ishøj", "Jammerbugt", "Kalundborg",
	"Kerteminde", "Kolding", "København", "Køge", "Langeland", "Lejre", "Lemvig", "Lolland",
	"Lyngby-Taarbæk", "Læsø", "Mariagerfjord", "Middelfart", "Morsø", "Norddjurs", "Nordfyns",
	"Nyborg", "Næstved", "Odder", "Odense", "Odsherred", "Randers", "Rebild", "Ringkøbing-Skjern",
	"Ringsted", "Roskilde", "Rudersdal", "Rødovre", "Samsø", "Silkeborg", "Skanderborg", "Skive",
	"Slagelse", "Solrød", "Sorø", "Stevns", "Struer", "Svendborg", "Syddjurs", "Sønderborg",
	"Thisted", "Tønder", "Tårnby", "Vallensbæk", "Varde", "Vejen", "Vejle", "Vesthimmerlands",
	"Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus",
}

// shortForms are other names in common use for a municipality.
var shortForms = map[string]string{
	"Nordfyn":        "Nordfyns",
	"Vesthimmerland": "Vesthimmerlands",
	"Copenhagen":     "København",
}

// Spellings returns every spelling of a municipality's name that is
// recognised, folded (lower case, one space between words): "hjørring",
// "hjoerring", "hjorring".
func Spellings(name string) []string {
	out := []string{""}
	folded := fold(name)
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		var alts []string
		switch {
		case r == 'ø':
			alts = []string{"ø", "oe", "o"}
		case r == 'æ':
			alts = []string{"æ", "ae"}
		case r == 'å':
			alts = []string{"å", "aa", "a"}
		case strings.HasPrefix(folded[i:], "aa"):
			// The real "aa" of Aarhus, Aabenraa, Taastrup: also written å.
			alts, size = []string{"aa", "å"}, 2
		default:
			alts = []string{folded[i : i+size]}
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+a)
			}
		}
		out = next
		i += size
	}
	sort.Strings(out)
	return out
}

// fold lower-cases s, reads ö and ä as ø and æ, and turns every run of
// hyphens, underscores and white space into one space.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case r == '-' || r == '_' || r == '\u2013' || unicode.IsSpace(r) || r == '\u00a0':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r == 'ö' || r == 'Ö':
			r = 'ø'
		case r == 'ä' || r == 'Ä':
			r = 'æ'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimSuffix(b.String(), " ")
}

// Match is a municipality found in a text.
type Match struct {
	Name string // the municipality's own name ("Hjørring")
	Text string // as written in the text ("Hjoerring")
}

// ErrUnknown says a name is not one of the 98 municipalities (nor an alias).
var ErrUnknown = errors.New("not one of the 98 municipalities")

// Matcher recognises municipalities, and the aliases it was given.
type Matcher struct {
	exact    map[string]string // folded spelling → name
	spelling []string          // every folded spelling, longest first
}

// Default recognises the 98 municipalities without aliases.
var Default = mustMatcher(nil)

func mustMatcher(aliases map[string]string) *Matcher {
	m, err := NewMatcher(aliases)
	if err != nil {
		panic(err)
	}
	return m
}

// NewMatcher returns a matcher of the 98 municipalities and the aliases
// (alias → municipality, "Kbh" → "København"). An alias must name one of the
// 98 and may not be a spelling of another municipality.
func NewMatcher(aliases map[string]string) (*Matcher, error) {
	m := &Matcher{exact: map[string]string{}}
	add := func(spelling, name string) error {
		if prev, ok := m.exact[spelling]; ok && prev != name {
			return fmt.Errorf("%q is a spelling of both %s and %s", spelling, prev, name)
		}
		m.exact[spelling] = name
		return nil
	}
	for _, n := range Names {
		for _, s := range Spellings(n) {
			if err := add(s, n); err != nil {
				return nil, err
			}
		}
	}
	for short, n := range shortForms {
		for _, s := range Spellings(short) {
			if err := add(s, n); err != nil {
				return nil, err
			}
		}
	}
	m.sortSpellings()
	keys := make([]string, 0, len(aliases))
	for a := range aliases {
		keys = append(keys, a)
	}
	sort.Strings(keys)
	for _, a := range keys {
		target, ok := m.lookup(aliases[a])
		if aliases[a] == "" || !ok {
			return nil, fmt.Errorf("alias %q: %q is %w", a, aliases[a], ErrUnknown)
		}
		fa := fold(a)
		if fa == "" {
			return nil, fmt.Errorf("alias %q is empty", a)
		}
		if err := add(fa, target); err != nil {
			return nil, fmt.Errorf("alias %q: %w", a, err)
		}
	}
	m.sortSpellings()
	return m, nil
}

func (m *Matcher) sortSpellings() {
	m.spelling = m.spelling[:0]
	for s := range m.exact {
		m.spelling = append(m.spelling, s)
	}
	sort.Slice(m.spelling, func(i, j int) bool {
		if len(m.spelling[i]) != len(m.spelling[j]) {
			return len(m.spelling[i]) > len(m.spelling[j])
		}
		return m.spelling[i] < m.spelling[j]
	})
}

// lookup returns the municipality a whole text spells, ignoring a
// "Kommune" around it and a genitive s.
func (m *Matcher) lookup(s string) (string, bool) {
	f := fold(s)
	f = strings.TrimSpace(strings.TrimSuffix(f, " kommune"))
	f = strings.TrimSpace(strings.TrimPrefix(f, "kommune "))
	if n, ok := m.exact[f]; ok {
		return n, true
	}
	for _, suffix := range []string{"s", "'s", "'", "’s"} {
		if n, ok := m.exact[strings.TrimSuffix(f, suffix)]; ok && strings.HasSuffix(f, suffix) {
			return n, true
		}
	}
	return "", false
}

// Canonical returns the municipality that s names as a whole ("Hoeje
// Taastrup", "københavns kommune", an alias), or ErrUnknown.
func (m *Matcher) Canonical(s string) (string, error) {
	if n, ok := m.lookup(s); ok {
		return n, nil
	}
	return "", fmt.Errorf("%q is %w", strings.TrimSpace(s), ErrUnknown)
}

// Canonical returns the municipality s names, without aliases.
func Canonical(s string) (string, error) { return Default.Canonical(s) }

// Find returns the one municipality named as a whole word in text
// ("kp-Hjoerring-rollout.xlsx" → Hjørring). Where spellings overlap the
// longest wins. It reports false when the text names none, or names two
// different municipalities (then others lists them).
func (m *Matcher) Find(text string) (match Match, others []string, ok bool) {
	all := m.FindAll(text)
	if len(all) == 0 {
		return Match{}, nil, false
	}
	names := []string{all[0].Name}
	for _, a := range all[1:] {
		if a.Name != names[0] && !contains(names, a.Name) {
			names = append(names, a.Name)
		}
	}
	if len(names) > 1 {
		return Match{}, names, false
	}
	return all[0], nil, true
}

// Find finds a municipality in text without aliases.
func Find(text string) (Match, []string, bool) { return Default.Find(text) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FindAll returns the municipalities named as whole words in text, in the
// order they occur; of overlapping spellings the longest is kept.
func (m *Matcher) FindAll(text string) []Match {
	ft := newFolded(text)
	type hit struct{ start, end int }
	var hits []hit
	var found []Match
	taken := func(s, e int) bool {
		for _, h := range hits {
			if s < h.end && h.start < e {
				return true
			}
		}
		return false
	}
	for _, sp := range m.spelling { // longest first
		for i := 0; ; {
			j := strings.Index(ft.s[i:], sp)
			if j < 0 {
				break
			}
			s, e := i+j, i+j+len(sp)
			i = s + 1
			if wordChar(ft.s, s, true) {
				continue
			}
			end := e
			if !wordChar(ft.s, e, false) {
				// whole word
			} else if rest := ft.s[e:]; strings.HasPrefix(rest, "s") && !wordChar(ft.s, e+1, false) {
				end = e + 1 // genitive: Københavns
			} else {
				continue
			}
			if taken(s, end) {
				continue
			}
			hits = append(hits, hit{s, end})
			found = append(found, Match{Name: m.exact[sp], Text: ft.original(s, end)})
		}
	}
	// In text order.
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return hits[idx[a]].start < hits[idx[b]].start })
	out := make([]Match, len(idx))
	for i, k := range idx {
		out[i] = found[k]
	}
	return out
}

// wordChar reports whether the rune before (before=true) or at byte i of s
// is a letter, that is, whether i is inside a word (digits end a word:
// "Aarhus2026").
func wordChar(s string, i int, before bool) bool {
	var r rune
	if before {
		if i == 0 {
			return false
		}
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		if i >= len(s) {
			return false
		}
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r)
}

// folded is a text folded for matching, remembering where each byte came
// from in the original.
type folded struct {
	s     string
	orig  string
	start []int // for each byte of s, the start of its rune in orig
	end   []int // and its end
}

func newFolded(text string) folded {
	f := folded{orig: text}
	var b strings.Builder
	space := true
	emit := func(str string, s, e int) {
		b.WriteString(str)
		for range len(str) {
			f.start = append(f.start, s)
			f.end = append(f.end, e)
		}
	}
	size := 0
	for i := 0; i < len(text); i += size {
		var r rune
		r, size = utf8.DecodeRuneInString(text[i:])
		e := i + size
		switch {
		case r == '-' || r == '_' || r == '\u2013' || unicode.IsSpace(r) || r == '\u00a0':
			if !space {
				emit(" ", i, e)
			}
			space = true
			continue
		case r == 'ö' || r == 'Ö':
			r = 'ø'
		case r == 'ä' || r == 'Ä':
			r = 'æ'
		default:
			r = unicode.ToLower(r)
		}
		emit(string(r), i, e)
		space = false
	}
	f.s = b.String()
	return f
}

// original returns the original text of folded bytes [s, e).
func (f folded) original(s, e int) string {
	if s >= e {
		return ""
	}
	return f.orig[f.start[s]:f.end[e-1]]
}
