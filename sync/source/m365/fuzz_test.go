package m365

import (
	"encoding/json"
	"testing"
)

// FuzzApplyDelta feeds delta pages as Graph might send them, malformed
// ones included (cycles, orphans, unknown parents, deleted roots), through
// the tree and the scope: no panic, no endless walk, and only plan files
// with a known parent listed.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte(`{"value":[{"id":"r","root":{},"folder":{}},{"id":"d","name":"Planer","folder":{},"parentReference":{"id":"r"}},
		{"id":"f","name":"KY_Aarhus.xlsx","file":{"hashes":{"quickXorHash":"x"}},"parentReference":{"id":"d"},"size":10}]}`),
		[]byte(`{"value":[{"id":"f","deleted":{}}]}`))
	f.Add([]byte(`{"value":[{"id":"r","root":{},"folder":{}},{"id":"d","name":"Planer","folder":{},"parentReference":{"id":"r"}},
		{"id":"a","name":"A","folder":{},"parentReference":{"id":"b"}},{"id":"b","name":"B","folder":{},"parentReference":{"id":"a"}},
		{"id":"f","name":"x.csv","file":{},"parentReference":{"id":"a"}}]}`), []byte(`{"value":[]}`))
	f.Fuzz(func(t *testing.T, first, second []byte) {
		var p1, p2 struct {
			Value []driveItem `json:"value"`
		}
		if json.Unmarshal(first, &p1) != nil || json.Unmarshal(second, &p2) != nil {
			return
		}
		ds := applyDelta(nil, "d1", p1.Value)
		ds = applyDelta(ds, "d2", p2.Value)
		for _, recursive := range []bool{false, true} {
			s := &Source{cfg: Config{Recursive: recursive}}
			st := state{Scopes: []scope{{Drive: "D", Item: "d", Path: "Planer", ByPath: true}, {Drive: "D", Item: "a"}, {Drive: "D", Item: "f", File: true}},
				Drives: map[string]*driveState{"D": ds}}
			items, _ := s.inScope(st)
			for _, it := range items {
				n := ds.Items[it.Key[len("D/"):]]
				if n.Folder || !isPlanFile(n.Name) || n.Parent == "" {
					t.Errorf("listed %+v (%+v)", it, n)
				}
			}
		}
	})
}
