package store

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"testing"

	"github.com/udrul/udrul/model"
)

// fnvDigest is the digest as hash/fnv gives it: the digests stored by
// earlier versions, which findingDigest must give again (else every open
// finding is rewritten once).
func fnvDigest(f *model.Finding) int64 {
	h := fnv.New64a()
	var buf [8]byte
	for _, s := range []string{f.Level, f.Message, f.Municipality, f.Solution, f.Wave, f.Step, f.Title, f.Old, f.New} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, n := range []int64{int64(f.Days), f.PlanID, f.TaskID} {
		binary.LittleEndian.PutUint64(buf[:], uint64(n))
		h.Write(buf[:])
	}
	d := int64(h.Sum64())
	if d == 0 {
		d = 1
	}
	return d
}

func TestFindingDigest_asStored(t *testing.T) {
	tests := []struct {
		name string
		f    model.Finding
	}{
		{"empty", model.Finding{}},
		{"task", model.Finding{Level: "red", Message: "3 arbejdsdage forsinket (slutdato 2026-11-20)", Municipality: "Ærø", Solution: "KY",
			Wave: "2", Step: "Trin 1", Title: "Datavask", Days: 3, PlanID: 12, TaskID: 4711}},
		{"negative", model.Finding{Level: "amber", Days: -4, PlanID: 1 << 40, Old: "2027-01-11", New: "2027-01-18"}},
		{"fields moved", model.Finding{Level: "amber", Message: "x\x00y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := findingDigest(&tt.f), fnvDigest(&tt.f); got != want {
				t.Errorf("got %d, want %d", got, want)
			}
		})
	}
}

func FuzzFindingDigest(f *testing.F) {
	f.Add("red", "msg", "Aarhus", "KY", "1", "Trin", "Titel", "", "", 3, int64(1), int64(2))
	f.Fuzz(func(t *testing.T, level, msg, mun, sol, wave, step, title, old, nw string, days int, plan, task int64) {
		fd := model.Finding{Level: level, Message: msg, Municipality: mun, Solution: sol, Wave: wave, Step: step, Title: title, Old: old, New: nw,
			Days: days, PlanID: plan, TaskID: task}
		if got, want := findingDigest(&fd), fnvDigest(&fd); got != want {
			t.Fatalf("got %d, want %d", got, want)
		}
	})
}

// TestDetailJSON: a finding's detail is json.Marshal's.
func TestDetailJSON(t *testing.T) {
	tests := []struct {
		name string
		f    model.Finding
	}{
		{"empty", model.Finding{}},
		{"task", model.Finding{Wave: "2", Step: "Trin 1 – Forberedelse", Title: "Datavask i kommunen (æøå)"}},
		{"dates", model.Finding{Old: "2027-01-11", New: "2027-01-18"}},
		{"escaped", model.Finding{Step: "a\"b\\c", Title: "<b>&\u2028\t\x00\xff"}},
		{"title only", model.Finding{Title: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _ := json.Marshal(findingDetail{tt.f.Wave, tt.f.Step, tt.f.Title, tt.f.Old, tt.f.New})
			if got := detailJSON(&tt.f); got != string(want) {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

func FuzzDetailJSON(f *testing.F) {
	f.Add("1", "Trin 1", "Opgave \u2029 <x>", "", "2027-01-18")
	f.Fuzz(func(t *testing.T, wave, step, title, old, nw string) {
		fd := model.Finding{Wave: wave, Step: step, Title: title, Old: old, New: nw}
		want, _ := json.Marshal(findingDetail{wave, step, title, old, nw})
		if got := detailJSON(&fd); got != string(want) {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
}
