package parse

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
)

// CollapseSpace trims s and turns every run of white space (including
// no-break spaces and line breaks) into one space.
func CollapseSpace(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			if prevSpace || r != ' ' {
				clean = false
				break
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ErrNoDate is returned by ParseDate for text that is not a date.
var ErrNoDate = errors.New("not a date")

var months = map[string]time.Month{
	"jan": 1, "januar": 1, "january": 1,
	"feb": 2, "februar": 2, "february": 2,
	"mar": 3, "marts": 3, "march": 3, "mrt": 3,
	"apr": 4, "april": 4,
	"maj": 5, "may": 5,
	"jun": 6, "juni": 6, "june": 6,
	"jul": 7, "juli": 7, "july": 7,
	"aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9,
	"okt": 10, "oct": 10, "oktober": 10, "october": 10,
	"nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

// ParseDate reads a date written as text the ways Danish plans write them:
// ISO (2026-06-01, with or without a time), day first with - . / as
// separators (01-06-2026, 1.6.2026, 01/06/2026, 1/6-2026), with a month name
// (1. juni 2026, 1 jun 26, 1-jun-2026), two-digit years (01-06-26 is 2026),
// and a bare spreadsheet serial number (46174, up to the end of 2099: above
// is a date typed without separators, 100626). Day-first is assumed always.
func ParseDate(s string) (model.Date, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if s == "" {
		return model.Date{}, ErrNoDate
	}
	// A weekday in front ("man. 1. juni 2026", "Mon 01-06-2026") is dropped.
	if i := strings.IndexAny(s, " "); i > 0 && i <= 5 && isWeekday(s[:i]) {
		s = strings.TrimSpace(s[i+1:])
	}
	// Bare serial number.
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "-") {
		if d, ok := grid.SerialDate(f); ok && f >= 10000 && f < maxBareSerial {
			return d, nil
		}
		return model.Date{}, ErrNoDate
	}
	nums, words := splitDate(s)
	switch {
	case len(nums) == 3 && len(words) == 0:
		if len(nums[0].s) == 4 { // ISO: year first
			return makeDate(nums[0].n, nums[1].n, nums[2].n, 4)
		}
		if len(nums[2].s) != 2 && len(nums[2].s) != 4 {
			return model.Date{}, ErrNoDate
		}
		return makeDate(nums[2].n, nums[1].n, nums[0].n, len(nums[2].s))
	case len(nums) == 2 && len(words) == 1:
		m, ok := months[words[0]]
		if !ok {
			return model.Date{}, ErrNoDate
		}
		if len(nums[0].s) == 4 { // 2026 jun 01 is not a Danish form; refuse
			return model.Date{}, ErrNoDate
		}
		if len(nums[1].s) != 2 && len(nums[1].s) != 4 {
			return model.Date{}, ErrNoDate
		}
		return makeDate(nums[1].n, int(m), nums[0].n, len(nums[1].s))
	}
	return model.Date{}, ErrNoDate
}

// monthShortYear reports whether s is a date with a month name and a
// two-digit year ("1. jun 89", "1-jun-26"), as ParseDate reads it.
func monthShortYear(s string) bool {
	s = strings.TrimRight(s, " \u00a0")
	// Most dates here are ISO or have four digits at the end: told
	// without splitting them.
	n := len(s)
	if n < 4 || !isDigit(s[n-1]) || !isDigit(s[n-2]) || isDigit(s[n-3]) {
		return false
	}
	letter := false
	for i := 0; i < n && !letter; i++ {
		letter = s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z' || s[i] >= 0x80
	}
	if !letter { // 2026-06-01: no month name
		return false
	}
	nums, words := splitDate(strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " ")))
	return len(nums) == 2 && len(words) == 1 && len(nums[1].s) == 2
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

type num struct {
	s string
	n int
}

// splitDate splits s into runs of digits and runs of letters, dropping
// separators (- . / , space) and a trailing time ("T00:00:00", " 00:00").
func splitDate(s string) (nums []num, words []string) {
	var numBuf [3]num
	var wordBuf [1]string
	nums, words = numBuf[:0], wordBuf[:0]
	if i := strings.IndexAny(s, "T "); i >= 8 && strings.Contains(s[i:], ":") {
		s = s[:i]
	}
	if i := strings.Index(s, " kl"); i > 0 {
		s = s[:i]
	}
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j-i > 4 {
				return nil, []string{"?"}
			}
			n, _ := strconv.Atoi(s[i:j])
			if len(nums) == len(numBuf) {
				return nil, []string{"?"}
			}
			nums = append(nums, num{s[i:j], n})
			i = j
		case c == '-' || c == '.' || c == '/' || c == ',' || c == ' ':
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune("0123456789-./, ", rune(s[j])) {
				j++
			}
			w := strings.ToLower(s[i:j])
			if _, ok := months[w]; !ok {
				// Abbreviations with a trailing dot were split at the dot;
				// anything else is not a month.
				if len(w) < 3 {
					return nil, []string{w}
				}
				if m, ok := monthPrefix(w); ok {
					w = shortMonths[m]
				}
			}
			if len(words) == len(wordBuf) {
				return nil, []string{"?"}
			}
			words = append(words, w)
			i = j
		}
	}
	return nums, words
}

var shortMonths = [...]string{"", "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

// monthPrefix accepts a longer abbreviation of a month name ("sept",
// "janu"): a prefix of at least three letters of exactly one month's names.
func monthPrefix(w string) (time.Month, bool) {
	var found time.Month
	for k, m := range months {
		if strings.HasPrefix(k, w) {
			if found != 0 && found != m {
				return 0, false
			}
			found = m
		}
	}
	return found, found != 0
}

var weekdays = map[string]bool{
	"man": true, "tir": true, "ons": true, "tor": true, "fre": true, "lør": true, "søn": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"mandag": true, "tirsdag": true, "onsdag": true, "torsdag": true, "fredag": true,
}

func isWeekday(s string) bool {
	return weekdays[strings.ToLower(strings.TrimRight(s, ".,"))]
}

func makeDate(y, m, d, yearDigits int) (model.Date, error) {
	if yearDigits == 2 {
		if y < 70 {
			y += 2000
		} else {
			y += 1900
		}
	}
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return model.Date{}, ErrNoDate
	}
	date := model.NewDate(y, time.Month(m), d)
	if date.Day != d { // 31-02 rolled over into March
		return model.Date{}, ErrNoDate
	}
	return date, nil
}

// statusWords maps the normalised spellings of statuses seen in real sheets.
var statusWords = map[string]model.Status{
	"": model.NotStarted, "ikke startet": model.NotStarted, "ikke påbegyndt": model.NotStarted,
	"ikke begyndt": model.NotStarted, "planlagt": model.NotStarted, "not started": model.NotStarted,
	"to do": model.NotStarted, "todo": model.NotStarted, "ikke igangsat": model.NotStarted,

	"i gang": model.InProgress, "igang": model.InProgress, "påbegyndt": model.InProgress,
	"startet": model.InProgress, "delvist": model.InProgress, "forsinket": model.InProgress,
	"in progress": model.InProgress, "started": model.InProgress, "igangsat": model.InProgress,

	"færdig": model.Done, "afsluttet": model.Done, "udført": model.Done, "gennemført": model.Done,
	"lukket": model.Done, "ok": model.Done, "done": model.Done, "completed": model.Done,
	"finished": model.Done, "complete": model.Done,

	"annulleret": model.Cancelled, "aflyst": model.Cancelled, "udgået": model.Cancelled,
	"bortfaldet": model.Cancelled, "ikke relevant": model.Cancelled, "cancelled": model.Cancelled,
	"canceled": model.Cancelled, "n/a": model.Cancelled, "na": model.Cancelled,
	"ej relevant": model.Cancelled, "ikke aktuel": model.Cancelled, "not relevant": model.Cancelled,
	"dropped": model.Cancelled,

	"leveret": model.Done, "godkendt": model.Done, "✓": model.Done, "✔": model.Done, "✔️": model.Done,
	"☑": model.Done, "✅": model.Done, "delivered": model.Done, "approved": model.Done,

	"udskudt": model.OnHold, "på hold": model.OnHold, "pa hold": model.OnHold, "paa hold": model.OnHold,
	"afventer": model.OnHold, "afventende": model.OnHold, "i bero": model.OnHold, "sat i bero": model.OnHold,
	"on hold": model.OnHold, "postponed": model.OnHold, "waiting": model.OnHold, "deferred": model.OnHold,
}

// yesWords and noWords are the answers of a done column ("Færdig?").
var (
	yesWords = map[string]bool{"ja": true, "j": true, "yes": true, "y": true, "x": true, "1": true, "true": true, "sand": true,
		"✓": true, "✔": true, "✔️": true, "☑": true, "✅": true, "færdig": true, "udført": true, "done": true}
	noWords = map[string]bool{"": true, "nej": true, "n": true, "no": true, "0": true, "false": true, "falsk": true, "-": true}
)

// DoneAnswer reads a done column's cell: yes (done), no (not said), or ok
// false for anything else.
func DoneAnswer(c grid.Cell) (yes, ok bool) {
	switch c.Kind {
	case grid.Empty:
		return false, true
	case grid.Bool:
		return c.Text == "1" || strings.EqualFold(c.Text, "true"), true
	case grid.Number:
		return c.Num == 1, c.Num == 0 || c.Num == 1
	}
	k := NormalizeKey(c.Text)
	switch {
	case yesWords[k]:
		return true, true
	case noWords[k]:
		return false, true
	}
	return false, false
}

// healthWords are traffic lights as owners write them.
var healthWords = map[string]string{
	"grøn": model.HealthGreen, "gron": model.HealthGreen, "groen": model.HealthGreen, "green": model.HealthGreen,
	"gul": model.HealthAmber, "amber": model.HealthAmber, "yellow": model.HealthAmber, "orange": model.HealthAmber,
	"rød": model.HealthRed, "rod": model.HealthRed, "roed": model.HealthRed, "red": model.HealthRed,
	"🟢": model.HealthGreen, "🟡": model.HealthAmber, "🟠": model.HealthAmber, "🔴": model.HealthRed,
}

// Health returns the traffic light a text names ("Grøn", "Amber", "rød"),
// or "" when it names none.
func Health(s string) string {
	return healthWords[NormalizeKey(s)]
}

// FillHealth returns the traffic light a cell's fill colour shows: a
// saturated green, yellow/amber or red. Pale, grey, blue and other colours
// are not traffic lights ("").
func FillHealth(c grid.Cell) string {
	rgb, ok := c.FillRGB()
	if !ok {
		return ""
	}
	r, g, b := float64(rgb>>16&0xff)/255, float64(rgb>>8&0xff)/255, float64(rgb&0xff)/255
	hi, lo := max(r, g, b), min(r, g, b)
	if hi < 0.35 || hi-lo < 0.3 {
		return "" // dark, grey or pale
	}
	var hue float64
	switch hi {
	case r:
		hue = 60 * (g - b) / (hi - lo)
	case g:
		hue = 60*(b-r)/(hi-lo) + 120
	default:
		hue = 60*(r-g)/(hi-lo) + 240
	}
	if hue < 0 {
		hue += 360
	}
	switch {
	case hue < 20 || hue >= 340:
		return model.HealthRed
	case hue < 70:
		return model.HealthAmber
	case hue >= 75 && hue < 165:
		return model.HealthGreen
	}
	return ""
}

// NormalizeKey lower-cases s, collapses its white space and drops trailing
// punctuation, the form in which statuses and parties are compared.
func NormalizeKey(s string) string {
	s = strings.ToLower(CollapseSpace(s))
	s = strings.TrimRight(s, ".:;!*")
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "i-gang", "i gang")
	s = strings.ReplaceAll(s, "-", " ")
	return CollapseSpace(s)
}

// StatusMapper maps status text to canonical statuses, with the built-in
// spellings and any added by configuration.
type StatusMapper struct {
	extra map[string]model.Status
}

// NewStatusMapper returns a mapper that knows the built-in spellings and
// extra (spelling → status), which take precedence.
func NewStatusMapper(extra map[string]model.Status) *StatusMapper {
	m := &StatusMapper{extra: map[string]model.Status{}}
	for k, v := range extra {
		m.extra[NormalizeKey(k)] = v
	}
	return m
}

// Text maps status text. ok is false when the text is not a known spelling
// (the status is then Unknown).
func (m *StatusMapper) Text(s string) (model.Status, bool) {
	key := NormalizeKey(s)
	if st, ok := m.extra[key]; ok {
		return st, true
	}
	if st, ok := statusWords[key]; ok {
		return st, true
	}
	if negativeFigure(s) {
		// "-10%": NormalizeKey turns the minus into a space, which would
		// read it as 10%.
		return model.Unknown, false
	}
	if p, ok := percent(key); ok {
		return percentStatus(p)
	}
	// A progress figure typed as text: "0,5", "75".
	if f, err := strconv.ParseFloat(strings.ReplaceAll(key, ",", "."), 64); err == nil {
		return m.Number(f)
	}
	// "Afsluttet (100%)", "Færdig ✔": the words before a parenthesis or
	// after trailing symbols.
	// A remark or a symbol that doubts or denies the word ("Færdig?",
	// "færdig (næsten)", "Udført ✗") leaves the status unknown: reading
	// the word alone would call done what its owner does not.
	if i := strings.IndexAny(key, "(["); i > 0 {
		if doubtful(key[i:]) {
			return model.Unknown, false
		}
		return m.Text(key[:i])
	}
	if trimmed := strings.TrimRightFunc(key, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '%' }); trimmed != key && trimmed != "" {
		if doubtful(key[len(trimmed):]) {
			return model.Unknown, false
		}
		return m.Text(trimmed)
	}
	return model.Unknown, false
}

// doubtWords in a status's remark say the status is not (yet) what its word
// says: "færdig (næsten)", "Afsluttet (ikke godkendt)".
var doubtWords = map[string]bool{
	"næsten": true, "naesten": true, "ikke": true, "ej": true, "delvis": true, "delvist": true,
	"mangler": true, "snart": true, "måske": true, "maske": true,
	"almost": true, "nearly": true, "not": true, "partly": true, "partially": true,
	"pending": true, "maybe": true,
}

// doubtful reports whether a status's remark or trailing symbols (lower
// case) doubt or deny it: a question mark, a cross, or a doubt word.
func doubtful(remark string) bool {
	if strings.ContainsAny(remark, "?¿✗✘❌❎❓❔⁇⁈⁉×") {
		return true
	}
	for _, w := range strings.FieldsFunc(remark, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if doubtWords[w] {
			return true
		}
	}
	return false
}

// negativeFigure reports whether s is a negative figure ("-10%", "-0,5"),
// which no progress is.
func negativeFigure(s string) bool {
	t := strings.TrimSpace(CollapseSpace(s))
	for _, minus := range []string{"-", "−", "–"} {
		if rest, ok := strings.CutPrefix(t, minus); ok {
			rest = strings.TrimSpace(rest)
			return rest != "" && rest[0] >= '0' && rest[0] <= '9'
		}
	}
	return false
}

// Number maps a numeric status cell: a fraction (0.5, as a cell formatted as
// a percentage holds it) or, above 1, a whole percentage (50). A fraction a
// formula left a hair off 1 or 0 (0.9999999999999999, shown as 100 %) is 1
// or 0; a number between 1 and 2 that is no whole number (1.1: 110 % as a
// fraction, or 1.1 %?) is not known.
func (m *StatusMapper) Number(f float64) (model.Status, bool) {
	const hair = 1e-9
	switch {
	case math.Abs(f-1) < hair:
		f = 1
	case math.Abs(f) < hair:
		f = 0
	case math.Abs(f-100) < hair*100:
		f = 100
	}
	if f >= 0 && f <= 1 {
		return percentStatus(f * 100)
	}
	if f < 2 && f != math.Trunc(f) {
		return model.Unknown, false
	}
	return percentStatus(f)
}

func percent(s string) (float64, bool) {
	t, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, false
	}
	t = strings.ReplaceAll(strings.TrimSpace(t), ",", ".")
	f, err := strconv.ParseFloat(t, 64)
	return f, err == nil
}

func percentStatus(p float64) (model.Status, bool) {
	switch {
	case p < 0 || p > 100:
		return model.Unknown, false
	case p == 0:
		return model.NotStarted, true
	case p >= 100:
		return model.Done, true
	}
	return model.InProgress, true
}

// Party returns the canonical spelling of the parties every plan names
// (Kommune, Leverandør, KOMBIT) in any spelling, and other text as written
// with its white space collapsed.
func Party(s string) string {
	switch s {
	case model.PartyMunicipality, model.PartySupplier, model.PartyKOMBIT, "":
		return s
	}
	s = CollapseSpace(s)
	switch strings.TrimRight(strings.ToLower(s), ".") {
	case "kommune", "kommunen", "kommunens", "kom", "komm", "municipality", "the municipality":
		return model.PartyMunicipality
	case "leverandør", "leverandøren", "leverandørens", "leverandor", "leverandoer", "leverandøer",
		"lev", "supplier", "the supplier", "vendor":
		return model.PartySupplier
	case "kombit", "kombit a/s":
		return model.PartyKOMBIT
	}
	return s
}

// Compact lower-cases s and keeps only its letters and digits: the form in
// which column names of other sheets (criteria, wave tables) are compared.
func Compact(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// msPerDay is the milliseconds of a day, the precision to which a
// spreadsheet shows a serial.
const msPerDay = 86400000

// maxBareSerial is the serial of 2100-01-01: a bare number from it on is no
// plan's date.
const maxBareSerial = 73051

// CellDate reads a date cell, a spreadsheet serial number or a date written
// as text (ParseDate). Dates before 1950 or after 2199 are refused: in a
// plan they are typing errors. A bare number (no date format) is a serial
// only up to 2099 (73050): above it is a date typed without separators
// ("100626", 10 June 2026 as ddmmyy, is the serial of 2 July 2175).
func CellDate(c grid.Cell) (model.Date, bool) {
	var d model.Date
	var ok bool
	switch c.Kind {
	case grid.Empty:
		return d, false
	case grid.Date, grid.Number:
		// To the millisecond, as spreadsheets show a serial: a formula's
		// 46174.99999999999 is shown as 2 June, not 1 June.
		d, ok = grid.SerialDate(math.Round(c.Num*msPerDay) / msPerDay)
		ok = ok && c.Num >= 10000 && (c.Kind == grid.Date || c.Num < maxBareSerial)
	default:
		var err error
		d, err = ParseDate(c.Text)
		ok = err == nil
	}
	return d, ok && d.Year >= 1950 && d.Year <= 2199
}
