package syncer

import (
	"bytes"
	"encoding/gob"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/internal/plangen"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// heldPlans parses one plan of 200 tasks of each layout, as a sync holds
// them.
func heldPlans(b *testing.B) []*model.Plan {
	b.Helper()
	dir := b.TempDir()
	p := parse.New(parse.Options{})
	var plans []*model.Plan
	for i, l := range plangen.Layouts {
		g := plangen.Generate(plangen.Spec{Seed: uint64(i), Layout: l, Municipality: parse.Municipalities[i], Solution: "KY", Wave: 1, Tasks: 200})
		path, err := g.Write(dir)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := p.ReadFile(path, grid.Options{})
		if err != nil {
			b.Fatalf("%s: %v", filepath.Base(path), err)
		}
		plans = append(plans, plan)
	}
	return plans
}

// BenchmarkHeld compares the held-plan encoding with encoding/gob (an
// Encoder and a Decoder per plan: held plans are read back one at a time,
// in any order): each op encodes and decodes 600 plans of 200 tasks, as
// the first sync of the national portfolio does.
func BenchmarkHeld(b *testing.B) {
	plans := heldPlans(b)
	const n = 600
	b.Run("held", func(b *testing.B) {
		b.ReportAllocs()
		size := 0
		for b.Loop() {
			size = 0
			for i := range n {
				enc := encodePlan(plans[i%len(plans)])
				size += len(enc)
				if _, err := decodePlan(enc); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(size)/(1<<20), "held-MB")
	})
	b.Run("gob", func(b *testing.B) {
		b.ReportAllocs()
		size := 0
		for b.Loop() {
			size = 0
			for i := range n {
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(plans[i%len(plans)]); err != nil {
					b.Fatal(err)
				}
				enc := bytes.Clone(buf.Bytes())
				size += len(enc)
				var got model.Plan
				if err := gob.NewDecoder(bytes.NewReader(enc)).Decode(&got); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(size)/(1<<20), "held-MB")
	})
}
