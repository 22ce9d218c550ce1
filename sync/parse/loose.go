package parse

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/udrul/udrul/model"
)

// Loose is a date written the way Danish planners write deadlines: a week
// number ("uge 34", "34/2026", "2026-W34", "uge 34-36"), a part of a month
// ("primo oktober", "medio nov.", "ultimo marts 2027"), a month ("oktober
// 2026"), a quarter ("Q3 2026", "3. kvartal 2026"), or an exact day without
// a year ("15/8", "15. august"). Year is 0 when the text has none: the plan
// supplies it (see Parser.Parse).
type Loose struct {
	Text      string
	Precision model.Precision
	Year      int
	// Week: From and To are the first and last week (equal unless a range).
	// Part: From is the month and Part 1 (primo), 2 (medio) or 3 (ultimo).
	// Month: From is the month. Quarter: From is the quarter (1–4).
	// Exact day without a year: From is the month, Day the day.
	From, To int
	Part     int
	Day      int
}

// ErrBadLoose is returned by ParseLoose for text that has the shape of a
// loose date but names no real one ("uge 54", "Q5", "primo" alone).
var ErrBadLoose = errors.New("not a real week, month part, month or quarter")

// AmbiguousError is returned by ParseLoose for text that reads as more than
// one date ("uge 34-26": weeks 34 to 26, or week 34 of 2026?). It is
// refused, with what it could mean and how to write it.
type AmbiguousError struct {
	Text string
	// Kind says which ambiguity: ambWeekRange ("uge 34-26"), ambWeekDay
	// ("34/26"), ambWeekPair ("uge 34 26") or ambWeekSlash ("uge 20/26").
	Kind string
	Week int // the week written first
	YY   int // the two digits that may be a year
	Year int // the year written out ("5/2027": ambWeekMonth)
}

// The kinds of AmbiguousError.
const (
	ambWeekRange = "weekrange"
	ambWeekDay   = "weekday"
	ambWeekPair  = "weekpair"
	ambWeekSlash = "weekslash"
	ambWeekMonth = "weekmonth"
)

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%q can be read more than one way (%s)", e.Text, e.Kind)
}

// hint is the message's second half: what the text could mean, and how to
// write it so that it means one thing.
func (e *AmbiguousError) hint(lang Lang) string {
	y := 2000 + e.YY
	switch e.Kind {
	case ambWeekRange:
		return fmt.Sprintf(lang.word("amb_weekrange"), e.Week, e.YY, y)
	case ambWeekDay:
		return fmt.Sprintf(lang.word("amb_weekday"), e.Week, y, e.YY)
	case ambWeekSlash:
		return fmt.Sprintf(lang.word("amb_weekslash"), e.Week, e.YY, y)
	case ambWeekMonth:
		return fmt.Sprintf(lang.word("amb_weekmonth"), e.Week, e.Year, monthName(e.Week, lang))
	}
	return fmt.Sprintf(lang.word("amb_weekpair"), e.Week, e.YY, y)
}

var (
	// weekRe: "uge 34", "u34", ranges "uge 34-36", and a year written out
	// ("uge 34 2026", "uge 34, 2026", "uge 34/2026", "uge 34-2026") or in two
	// digits after a slash or an apostrophe ("uge 34/26", "u34 '26"; after a
	// slash only when they cannot be a later week: see ParseLoose).
	weekRe     = regexp.MustCompile(`^(?:uge|u|week|wk|w)\.?\s*(\d{1,2})(?:\s*-\s*(?:uge|u|week|wk|w)?\.?\s*(\d{1,2}))?(?:\s*[,/-]?\s*(\d{4})|\s*/\s*['’´]?(\d{2})|\s*,?\s*['’´](\d{2}))?$`)
	weekPairRe = regexp.MustCompile(`^(?:uge|u|week|wk|w)\.?\s*(\d{1,2})\s*[, ]\s*(\d{2})$`)
	weekYearRe = regexp.MustCompile(`^(\d{1,2})\s*/\s*(\d{4})$`)
	isoWeekRe  = regexp.MustCompile(`^(\d{4})-?w(\d{1,2})$`)
	partRe     = regexp.MustCompile(`^(primo|medio|ultimo)\.?(?:\s+(\p{L}+)\.?(?:\s*,?\s*(\d{4}|\d{2}))?)?$`)
	monthRe    = regexp.MustCompile(`^(\p{L}+)\.?(?:\s*,?\s*(\d{4}))?$`)
	quarterRe  = regexp.MustCompile(`^(?:q(\d)(?:\s*[-/]?\s*(\d{4}))?|(\d{4})\s*[-/]?\s*q(\d)|(\d)\.?\s*(?:kvartal|kvt)\.?(?:\s*,?\s*(\d{4}))?)$`)
	dayMonthRe = regexp.MustCompile(`^(\d{1,2})\s*[./-]\s*(\d{1,2})\.?$|^(\d{1,2})\.?\s*(\p{L}+)\.?$`)
	looseShape = regexp.MustCompile(`^(?:uge|u|week|wk|w)\b|^(?:primo|medio|ultimo)\b|^q\d|kvartal|^\d{4}-?w\d`)
)

// ParseLoose reads a loose date. It returns ErrNoDate when the text is not
// written as one, ErrBadLoose when it is but names no real date ("uge
// 54", "Q5", "primo" without a month, "31/2"), and an *AmbiguousError when
// it names more than one ("uge 34-26", "34/26", "uge 34 26").
func ParseLoose(s string) (Loose, error) {
	text := CollapseSpace(s)
	l := strings.ToLower(text)
	out := Loose{Text: text}
	bad := func() (Loose, error) { return Loose{}, ErrBadLoose }
	year := func(s string) int {
		if s == "" {
			return 0
		}
		y, _ := strconv.Atoi(s)
		if len(s) == 2 {
			y += 2000
		}
		return y
	}
	switch {
	case weekRe.MatchString(l):
		m := weekRe.FindStringSubmatch(l)
		out.Precision, out.Year = model.Week, year(m[3]+m[4]+m[5])
		out.From, _ = strconv.Atoi(m[1])
		out.To = out.From
		if m[2] != "" {
			out.To, _ = strconv.Atoi(m[2])
		}
		// "uge 20/26": week 20 of 2026, or weeks 20 to 26 ("uge 25/26" is
		// how a planner writes two weeks)? Two digits after a slash are a
		// year only when they cannot be a later week.
		if m[4] != "" && m[2] == "" && atoi(m[4]) > out.From {
			return Loose{}, &AmbiguousError{Text: text, Kind: ambWeekSlash, Week: out.From, YY: atoi(m[4])}
		}
		// "uge 34-26" without a year: weeks 34 to 26 over a new year (44
		// weeks), or week 34 of 2026? A range over a new year longer than
		// half a year is not a plan's range: the text is refused.
		if out.Year == 0 && out.To < out.From && 52-out.From+out.To > 26 {
			return Loose{}, &AmbiguousError{Text: text, Kind: ambWeekRange, Week: out.From, YY: out.To}
		}
	case weekPairRe.MatchString(l):
		m := weekPairRe.FindStringSubmatch(l)
		return Loose{}, &AmbiguousError{Text: text, Kind: ambWeekPair, Week: atoi(m[1]), YY: atoi(m[2])}
	case weekYearRe.MatchString(l):
		m := weekYearRe.FindStringSubmatch(l)
		out.Precision, out.Year = model.Week, year(m[2])
		out.From, _ = strconv.Atoi(m[1])
		out.To = out.From
		if out.From >= 1 && out.From <= 12 && m[1][0] == '0' {
			// "05/2027": week 5 of 2027, or May 2027, written as a month
			// and a year are (MM/YYYY)? Planners write a week without the
			// zero (5/2027, 34/2026).
			return Loose{}, &AmbiguousError{Text: text, Kind: ambWeekMonth, Week: out.From, Year: out.Year}
		}
	case isoWeekRe.MatchString(l):
		m := isoWeekRe.FindStringSubmatch(l)
		out.Precision, out.Year = model.Week, year(m[1])
		out.From, _ = strconv.Atoi(m[2])
		out.To = out.From
	case partRe.MatchString(l):
		m := partRe.FindStringSubmatch(l)
		mon, ok := monthWord(m[2])
		if !ok {
			return bad()
		}
		out.Precision, out.From, out.Year = model.Part, int(mon), year(m[3])
		out.Part = map[string]int{"primo": 1, "medio": 2, "ultimo": 3}[m[1]]
	case quarterRe.MatchString(l):
		m := quarterRe.FindStringSubmatch(l)
		out.Precision = model.Quarter
		switch {
		case m[1] != "":
			out.From, out.Year = atoi(m[1]), year(m[2])
		case m[4] != "":
			out.From, out.Year = atoi(m[4]), year(m[3])
		default:
			out.From, out.Year = atoi(m[5]), year(m[6])
		}
		if out.From < 1 || out.From > 4 {
			return bad()
		}
	case monthRe.MatchString(l):
		m := monthRe.FindStringSubmatch(l)
		mon, ok := monthWord(m[1])
		if !ok {
			if looseShape.MatchString(l) {
				return bad()
			}
			return Loose{}, ErrNoDate
		}
		out.Precision, out.From, out.Year = model.Month, int(mon), year(m[2])
	case dayMonthRe.MatchString(l):
		m := dayMonthRe.FindStringSubmatch(l)
		if m[1] != "" {
			out.Day, out.From = atoi(m[1]), atoi(m[2])
		} else {
			mon, ok := monthWord(m[4])
			if !ok {
				return Loose{}, ErrNoDate
			}
			out.Day, out.From = atoi(m[3]), int(mon)
		}
		out.Precision = model.Exact
		if m[1] != "" && out.From >= 20 && out.Day >= 1 && out.Day <= 53 && len(m[2]) == 2 {
			// "34/26": not a day and a month (no month 26); week 34 of
			// 2026, perhaps.
			return Loose{}, &AmbiguousError{Text: text, Kind: ambWeekDay, Week: out.Day, YY: out.From}
		}
		if out.From < 1 || out.From > 12 || out.Day < 1 || out.Day > daysIn(2024, time.Month(out.From)) {
			return bad()
		}
		return out, nil
	default:
		if looseShape.MatchString(l) {
			return bad()
		}
		return Loose{}, ErrNoDate
	}
	if out.Precision == model.Week && (out.From < 1 || out.From > 53 || out.To < 1 || out.To > 53) {
		return bad()
	}
	if out.Year != 0 && (out.Year < 1950 || out.Year > 2199) {
		return bad()
	}
	if out.Year != 0 {
		if _, _, ok := out.Span(out.Year); !ok {
			return bad()
		}
	}
	return out, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// monthWord returns the month a word names: written out, abbreviated
// ("okt", "sept") or a longer prefix of exactly one month.
func monthWord(w string) (time.Month, bool) {
	w = strings.TrimSuffix(strings.ToLower(w), ".")
	if m, ok := months[w]; ok {
		return m, true
	}
	if len([]rune(w)) < 3 {
		return 0, false
	}
	return monthPrefix(w)
}

// Span returns the first and last day the loose date covers, with year
// standing in for a year the text left out: a week runs Monday to Friday
// (ISO 8601 weeks; a range "uge 50-2" ends in the next year), primo is days
// 1–10, medio 11–20, ultimo 21 to the month's last day, a month and a
// quarter their first to last day. ok is false when the date does not exist
// in that year (week 53 of a year with 52 weeks, 29/2 of a common year).
func (l Loose) Span(year int) (first, last model.Date, ok bool) {
	if l.Year != 0 {
		year = l.Year
	}
	switch l.Precision {
	case model.Week:
		endYear := year
		if l.To < l.From {
			endYear++
		}
		if l.From > isoWeeks(year) || l.To > isoWeeks(endYear) {
			return first, last, false
		}
		return weekMonday(year, l.From), weekMonday(endYear, l.To).AddDays(4), true
	case model.Part:
		m := time.Month(l.From)
		switch l.Part {
		case 1:
			return model.NewDate(year, m, 1), model.NewDate(year, m, 10), true
		case 2:
			return model.NewDate(year, m, 11), model.NewDate(year, m, 20), true
		case 3:
			return model.NewDate(year, m, 21), model.NewDate(year, m, daysIn(year, m)), true
		}
	case model.Month:
		m := time.Month(l.From)
		return model.NewDate(year, m, 1), model.NewDate(year, m, daysIn(year, m)), true
	case model.Quarter:
		m := time.Month(3*l.From - 2)
		return model.NewDate(year, m, 1), model.NewDate(year, m+2, daysIn(year, m+2)), true
	case model.Exact:
		if l.Day > daysIn(year, time.Month(l.From)) {
			return first, last, false
		}
		d := model.NewDate(year, time.Month(l.From), l.Day)
		return d, d, true
	}
	return first, last, false
}

// Written is how the loose date is kept beside the day it stands for.
func (l Loose) Written() model.Written {
	return model.Written{Text: l.Text, Precision: l.Precision, YearAssumed: l.Year == 0}
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// weekMonday returns the Monday of ISO week w of year.
func weekMonday(year, w int) model.Date {
	jan4 := model.NewDate(year, time.January, 4)
	back := (int(jan4.Weekday()) + 6) % 7
	return jan4.AddDays(-back + 7*(w-1))
}

// isoWeeks returns the number of ISO weeks in year (52 or 53).
func isoWeeks(year int) int {
	_, w := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}
