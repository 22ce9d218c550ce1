package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/backup"
)

// TestVerify_foreignObject: a trigger or view udrul does not make, or one
// of udrul's own defined otherwise, is refused as ErrDamaged with a
// ForeignObjectError naming it, for words.
func TestVerify_foreignObject(t *testing.T) {
	for _, tt := range []struct {
		name, create, kind, object string
		changed                    bool
	}{
		{"trigger", `CREATE TRIGGER wipe_history AFTER UPDATE ON tasks BEGIN DELETE FROM task_changes; END`, "trigger", "wipe_history", false},
		{"view", `CREATE VIEW every_task AS SELECT * FROM tasks`, "view", "every_task", false},
		// One of udrul's own triggers (migration 0023), defined otherwise.
		{"udrul's trigger changed", `DROP TRIGGER plan_tasks_packed_delete; CREATE TRIGGER plan_tasks_packed_delete AFTER DELETE ON tasks BEGIN DELETE FROM task_changes; END`,
			"trigger", "plan_tasks_packed_delete", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := openDB(t, filepath.Join(dir, "udrul.db"))
			fill(t, db, 1, 3, 0)
			file := filepath.Join(dir, "copy.db")
			if _, err := db.SQL().Exec(`VACUUM INTO ?`, file); err != nil {
				t.Fatal(err)
			}
			db.Close()
			c, err := sql.Open("sqlite3", file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Exec(tt.create); err != nil {
				t.Fatal(err)
			}
			c.Close()
			_, err = backup.Verify(context.Background(), file)
			var foreign *backup.ForeignObjectError
			if !errors.Is(err, backup.ErrDamaged) || !errors.As(err, &foreign) {
				t.Fatalf("Verify = %v, want ErrDamaged with a ForeignObjectError", err)
			}
			if foreign.Kind != tt.kind || foreign.Name != tt.object || foreign.Changed != tt.changed {
				t.Errorf("got %+v, want the %s %q, changed %v", *foreign, tt.kind, tt.object, tt.changed)
			}
		})
	}
}
