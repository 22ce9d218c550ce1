package backup

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/udrul/udrul/store"
)

// TestVerify_missingTriggers: a backup lacking one of udrul's triggers on
// the tasks that its schema has is sound and says which (udrul makes them
// again); one of a schema that lacks it by design (25, before migration
// 0026 made the insert trigger again) or from before the packed tasks
// lacks none.
func TestVerify_missingTriggers(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		upTo int
		drop []string
		want []string
	}{
		{"current, one dropped", 0, []string{"plan_tasks_packed_update"}, []string{"plan_tasks_packed_update"}},
		{"current, all dropped", 0, []string{"plan_tasks_packed_insert", "plan_tasks_packed_update", "plan_tasks_packed_delete"},
			[]string{"plan_tasks_packed_delete", "plan_tasks_packed_insert", "plan_tasks_packed_update"}},
		{"current, whole", 0, nil, nil},
		{"schema 25, without the insert trigger by design", 25, nil, nil},
		{"schema 25, one dropped", 25, []string{"plan_tasks_packed_delete"}, []string{"plan_tasks_packed_delete"}},
		{"schema 22, before the packed tasks", 22, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "udrul.db")
			db, err := store.OpenWith(ctx, path, store.Options{UpTo: tt.upTo})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tt.drop {
				if _, err := db.SQL().Exec(`DROP TRIGGER ` + name); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			info, err := Verify(ctx, path)
			if err != nil {
				t.Fatalf("Verify = %v, want a sound backup", err)
			}
			if !reflect.DeepEqual(info.MissingTriggers, tt.want) {
				t.Errorf("MissingTriggers = %v, want %v", info.MissingTriggers, tt.want)
			}
		})
	}
}
