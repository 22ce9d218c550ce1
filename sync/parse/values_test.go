package parse

import (
	"errors"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) model.Date { return model.NewDate(y, m, day) }
	tests := []struct {
		name, in string
		want     model.Date
	}{
		{"iso", "2026-06-01", d(2026, 6, 1)},
		{"iso with time", "2026-06-01T00:00:00", d(2026, 6, 1)},
		{"iso with space time", "2026-06-01 00:00:00", d(2026, 6, 1)},
		{"dd-mm-yyyy", "01-06-2026", d(2026, 6, 1)},
		{"d-m-yyyy", "1-6-2026", d(2026, 6, 1)},
		{"d.m.yyyy", "1.6.2026", d(2026, 6, 1)},
		{"dd.mm.yyyy", "22.08.2026", d(2026, 8, 22)},
		{"dd/mm/yyyy day first", "01/06/2026", d(2026, 6, 1)},
		{"dd/mm/yyyy unambiguous", "13/06/2026", d(2026, 6, 13)},
		{"d/m-yyyy", "1/6-2026", d(2026, 6, 1)},
		{"d/m-yyyy two digits", "29/8-2026", d(2026, 8, 29)},
		{"danish month", "1. juni 2026", d(2026, 6, 1)},
		{"danish month no dot", "24 september 2026", d(2026, 9, 24)},
		{"danish month capital", "3. December 2026", d(2026, 12, 3)},
		{"danish abbreviation", "5. okt. 2026", d(2026, 10, 5)},
		{"english abbreviation", "5. Jun 2026", d(2026, 6, 5)},
		{"month dashes", "1-jun-2026", d(2026, 6, 1)},
		{"month sept", "7 sept 2026", d(2026, 9, 7)},
		{"month two-digit year", "1. juni 26", d(2026, 6, 1)},
		{"two-digit year", "01-06-26", d(2026, 6, 1)},
		{"two-digit year dots", "1.6.26", d(2026, 6, 1)},
		{"two-digit year old", "01-06-98", d(1998, 6, 1)},
		{"serial", "46174", d(2026, 6, 1)},
		{"serial fraction", "46174.5", d(2026, 6, 1)},
		{"surrounding space", "  01-06-2026\u00a0", d(2026, 6, 1)},
		{"weekday prefix", "man. 1. juni 2026", d(2026, 6, 1)},
		{"leap day", "29-02-2028", d(2028, 2, 29)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDate_invalid(t *testing.T) {
	for _, in := range []string{
		"", "snart", "uge 23", "32-13-2026", "31-02-2026", "29-02-2026", "00-01-2026", "2026",
		"1-6", "1. juni", "1. juno 2026", "12345678901", "1-6-2026-7", "2026-13-01", "1.6.202", "Q3 2026", "123",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseDate(in)
			if !errors.Is(err, ErrNoDate) {
				t.Errorf("ParseDate(%q) = %v, %v; want ErrNoDate", in, got, err)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-06-01", "01-06-2026", "1.6.2026", "1/6-2026", "1. juni 2026", "01-06-26", "46174", "man. 1. juni 2026", "5. okt. 2026", "32-13-2026", "", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrNoDate) {
				t.Fatalf("ParseDate(%q): unexpected error %v", s, err)
			}
			return
		}
		// A date that parses is a real calendar date that prints and
		// parses back as ISO.
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDate(%q) = %v, but its ISO form parses as %v, %v", s, d, back, err)
		}
		if d.Year < 1900 || d.Year > 9999 {
			t.Fatalf("ParseDate(%q) = %v: year out of range", s, d)
		}
	})
}

func TestStatusMapper_Text(t *testing.T) {
	m := NewStatusMapper(map[string]model.Status{"Afventer afklaring": model.InProgress})
	tests := []struct {
		in   string
		want model.Status
		ok   bool
	}{
		{"", model.NotStarted, true},
		{"Ikke startet", model.NotStarted, true},
		{"ikke påbegyndt", model.NotStarted, true},
		{"Planlagt", model.NotStarted, true},
		{"To do", model.NotStarted, true},
		{"0%", model.NotStarted, true},
		{"I gang", model.InProgress, true},
		{"Igang", model.InProgress, true},
		{"I  gang ", model.InProgress, true},
		{"Påbegyndt", model.InProgress, true},
		{"Forsinket", model.InProgress, true},
		{"In progress", model.InProgress, true},
		{"35%", model.InProgress, true},
		{"99 %", model.InProgress, true},
		{"12,5%", model.InProgress, true},
		{"Færdig", model.Done, true},
		{"AFSLUTTET", model.Done, true},
		{"Udført.", model.Done, true},
		{"OK", model.Done, true},
		{"Completed", model.Done, true},
		{"100%", model.Done, true},
		{"Annulleret", model.Cancelled, true},
		{"Ikke relevant", model.Cancelled, true},
		{"N/A", model.Cancelled, true},
		{"Afventer afklaring", model.InProgress, true}, // added by configuration
		{"Afsluttet (100%)", model.Done, true},
		{"0,5", model.InProgress, true},
		{"1", model.Done, true},
		{"75", model.InProgress, true},
		{"Færdig ✔", model.Done, true},
		{"I gang (forsinket)", model.InProgress, true},
		{"Måske", model.Unknown, false},
		{"Afventer afklaring (leverandør)", model.InProgress, true}, // configured spelling, with a remark
		{"150%", model.Unknown, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := m.Text(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Text(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestStatusMapper_domainWords maps every status spelling that the domain
// description lists as seen in real sheets.
func TestStatusMapper_domainWords(t *testing.T) {
	m := NewStatusMapper(nil)
	words := map[model.Status][]string{
		model.NotStarted: {"", "Ikke startet", "Ikke påbegyndt", "Ikke begyndt", "Planlagt", "Not started", "To do", "0%"},
		model.InProgress: {"I gang", "Igang", "Påbegyndt", "Startet", "Delvist", "Forsinket", "In progress", "Started", "1%", "50%", "99%"},
		model.Done:       {"Færdig", "Afsluttet", "Udført", "Gennemført", "Lukket", "OK", "Done", "Completed", "Finished", "100%"},
		model.Cancelled:  {"Annulleret", "Aflyst", "Udgået", "Bortfaldet", "Ikke relevant", "Cancelled", "N/A"},
	}
	for want, list := range words {
		for _, w := range list {
			if got, ok := m.Text(w); got != want || !ok {
				t.Errorf("Text(%q) = %v, %v; want %v", w, got, ok, want)
			}
		}
	}
}

func TestStatusMapper_Number(t *testing.T) {
	m := NewStatusMapper(nil)
	for _, tt := range []struct {
		in   float64
		want model.Status
	}{{0, model.NotStarted}, {0.5, model.InProgress}, {1, model.Done}, {50, model.InProgress}, {100, model.Done}, {250, model.Unknown}, {-1, model.Unknown}} {
		if got, _ := m.Number(tt.in); got != tt.want {
			t.Errorf("Number(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParty(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Kommune", "Kommune"}, {"kommune ", "Kommune"}, {"Kommunen", "Kommune"}, {"KOMMUNE", "Kommune"},
		{"Leverandøren", "Leverandør"}, {"leverandør", "Leverandør"}, {"Kombit", "KOMBIT"}, {"KOMBIT", "KOMBIT"},
		{"IT-afdelingen", "IT-afdelingen"}, {"  Jens\u00a0Hansen ", "Jens Hansen"}, {"", ""},
	} {
		if got := Party(tt.in); got != tt.want {
			t.Errorf("Party(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCollapseSpace(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a b", "a b"}, {"  a\u00a0\u00a0b \n c\t", "a b c"}, {"", ""}, {"\u00a0", ""}, {"Kommune\u00a0bestiller", "Kommune bestiller"},
	} {
		if got := CollapseSpace(tt.in); got != tt.want {
			t.Errorf("CollapseSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestColumns_Role(t *testing.T) {
	c, err := NewColumns(map[Role][]string{RoleEnd: {"Planlagt færdig"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in   string
		want Role
	}{
		{"ID", RoleID}, {"Opgavebeskrivelse", RoleTitle}, {"Ansvarlig", RoleResponsible}, {"Udfører", RolePerformer},
		{"Startdato", RoleStart}, {"Start", RoleStart}, {"Slutdato", RoleEnd}, {"Slut", RoleEnd}, {"Til", RoleEnd},
		{"Status", RoleStatus}, {"Fase", RoleStep}, {"Kommentar", RoleNotes},
		{"Opgave", RoleTitle}, {"OPGAVE", RoleTitle}, {"Aktivitet", RoleTitle}, {"Task", RoleTitle},
		{"Ansv.", RoleResponsible}, {"Owner", RoleResponsible},
		{"Udføres af", RolePerformer}, {"Udføres\u00a0af", RolePerformer}, {"Performed by", RolePerformer},
		{"Start\u00a0dato", RoleStart}, {"Start dato", RoleStart}, {"Fra", RoleStart},
		{"Slut-\ndato", RoleEnd}, {"Slutdato:", RoleEnd}, {"Deadline", RoleEnd}, {"Frist", RoleEnd}, {"Due date", RoleEnd},
		{"Slutdato (planlagt)", RoleEnd}, {"Planlagt færdig", RoleEnd},
		{"Fremdrift", RoleStatus}, {"Trin", RoleStep}, {"Phase", RoleStep},
		{"Nr.", RoleID}, {"Task ID", RoleID}, {"Bemærkninger", RoleNotes},
		{"Varighed (dage)", RoleNone}, {"Kommune", RoleNone},
	} {
		if got := c.Role(tt.in); got != tt.want {
			t.Errorf("Role(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, err := NewColumns(map[Role][]string{RoleStart: {"Slutdato"}}); err == nil {
		t.Error("an alias that is another role's name: want an error")
	}
}
