package store

import (
	"encoding/binary"
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
