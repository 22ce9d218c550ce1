package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/store"
)

// writer changes the store the way a sync does, one plan per transaction,
// until stopped: it rewrites every task of a plan (its notes, with a
// change per task) or adds a whole new plan. Every plan is therefore whole
// exactly when all its tasks carry the same notes and the same number of
// changes, and it has tasks tasks.
type writer struct {
	db      *store.DB
	tasks   int
	commits atomic.Int64
	stop    chan struct{}
	done    chan error
}

func startWriter(db *store.DB, tasks int) *writer {
	w := &writer{db: db, tasks: tasks, stop: make(chan struct{}), done: make(chan error, 1)}
	go func() { w.done <- w.run() }()
	return w
}

func (w *writer) run() error {
	ctx := context.Background()
	run, err := w.db.BeginRun(ctx)
	if err != nil {
		return err
	}
	for k := 0; ; k++ {
		select {
		case <-w.stop:
			return nil
		default:
		}
		plans, err := w.db.ListPlans(ctx)
		if err != nil {
			return err
		}
		err = w.db.Update(ctx, func(tx *store.Tx) error {
			if k%5 == 4 { // a new plan
				id, err := tx.CreatePlan(store.Plan{Municipality: fmt.Sprintf("Ny%d", k), Solution: "KY"})
				if err != nil {
					return err
				}
				for i := range w.tasks {
					if _, err := tx.InsertTask(id, run, taskNamed(fmt.Sprintf("opgave %d", i))); err != nil {
						return err
					}
				}
				return nil
			}
			p := plans[k%len(plans)]
			ts, err := tx.PlanTasks(p.ID)
			if err != nil {
				return err
			}
			for _, t := range ts {
				old := t.Notes
				t.Notes = fmt.Sprintf("runde %d", k)
				if err := tx.UpdateTask(t.ID, run, t.Task); err != nil {
					return err
				}
				if err := tx.AddChange(t.ID, run, "notes", old, t.Notes); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.commits.Add(1)
	}
}

func (w *writer) finish(t *testing.T) {
	t.Helper()
	close(w.stop)
	if err := <-w.done; err != nil {
		t.Fatalf("writer: %v", err)
	}
}

// checkWhole fails unless every plan in the database at path has tasks
// tasks, all with the same notes and the same number of changes.
func checkWhole(t *testing.T, path string, tasks int) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&verdict); err != nil || verdict != "ok" {
		t.Fatalf("integrity check of the restored database = %q, %v; want ok", verdict, err)
	}
	rows, err := db.Query(`SELECT p.id, COUNT(*), COUNT(DISTINCT t.notes),
		(SELECT COUNT(DISTINCT n) FROM (SELECT COUNT(c.id) AS n FROM tasks t2 LEFT JOIN task_changes c ON c.task_id = t2.id WHERE t2.plan_id = p.id GROUP BY t2.id))
		FROM plans p JOIN tasks t ON t.plan_id = p.id GROUP BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var count, notes, changeCounts int
		if err := rows.Scan(&id, &count, &notes, &changeCounts); err != nil {
			t.Fatal(err)
		}
		if count != tasks || notes != 1 || changeCounts != 1 {
			t.Errorf("plan %d: %d tasks, %d different notes, %d different change counts; want %d, 1, 1 (a plan cut in the middle of a write)", id, count, notes, changeCounts, tasks)
		}
		n++
	}
	return n
}

// TestTake_whileWriting takes backups while a writer changes plans as a
// sync does; each restores to a sound database in which every plan is
// whole.
func TestTake_whileWriting(t *testing.T) {
	const tasks = 40
	db, _ := newDB(t)
	fill(t, db, 30, tasks, 1)
	w := startWriter(db, tasks)
	dir := t.TempDir()
	var infos []backup.Info
	for i := range 4 {
		before := w.commits.Load()
		for w.commits.Load() < before+3 { // the writer is at work
			select {
			case err := <-w.done:
				t.Fatalf("writer stopped: %v", err)
			case <-time.After(time.Millisecond):
			}
		}
		info, err := backup.Take(context.Background(), db.SQL(), filepath.Join(dir, fmt.Sprintf("b%d.db.gz", i)))
		if err != nil {
			t.Fatal(err)
		}
		infos = append(infos, info)
	}
	w.finish(t)
	if w.commits.Load() < 12 {
		t.Fatalf("the writer committed %d times; the test did not write while backing up", w.commits.Load())
	}
	for i, info := range infos {
		if info.SchemaVersion != store.SchemaVersion() {
			t.Errorf("backup %d: schema version %d, want %d", i, info.SchemaVersion, store.SchemaVersion())
		}
		if info.Plans < 30 || info.Tasks != info.Plans*tasks {
			t.Errorf("backup %d: %d plans, %d tasks; want ≥ 30 plans of %d tasks", i, info.Plans, info.Tasks, tasks)
		}
		target := filepath.Join(t.TempDir(), "udrul.db")
		if _, err := backup.Restore(context.Background(), info.Path, target, db.Now()); err != nil {
			t.Fatalf("restore backup %d: %v", i, err)
		}
		if n := checkWhole(t, target, tasks); n != info.Plans {
			t.Errorf("restored backup %d holds %d plans, its record says %d", i, n, info.Plans)
		}
		// The restored database opens with this udrul.
		rdb := openDB(t, target)
		if got, _ := rdb.IntegrityCheck(context.Background()); got != "ok" {
			t.Errorf("store.Open of the restored database: integrity %q", got)
		}
	}
	// No temporary files are left beside the backups.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestTake_gzipHeader: the backup is gzip with the schema version recorded.
func TestTake_gzipHeader(t *testing.T) {
	db, _ := newDB(t)
	fill(t, db, 3, 10, 0)
	out := filepath.Join(t.TempDir(), "b.db.gz")
	if _, err := backup.Take(context.Background(), db.SQL(), out); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(out)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	if want := fmt.Sprintf("schema %d;", store.SchemaVersion()); !strings.Contains(zr.Comment, want) {
		t.Errorf("gzip comment = %q, want it to contain %q", zr.Comment, want)
	}
	head := make([]byte, 16)
	zr.Read(head)
	if string(head) != "SQLite format 3\x00" {
		t.Errorf("the backup does not hold a SQLite database: %q", head)
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestRestore_refuses: a damaged file, a newer schema, a running daemon and
// an open database are refused, and the database in place is untouched.
func TestRestore_refuses(t *testing.T) {
	ctx := context.Background()
	src, _ := newDB(t)
	fill(t, src, 3, 10, 1)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db.gz")
	if _, err := backup.Take(ctx, src.SQL(), good); err != nil {
		t.Fatal(err)
	}
	goodBytes, _ := os.ReadFile(good)

	newer, _ := newDB(t)
	if _, err := newer.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', '')`, store.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	newerFile := filepath.Join(dir, "newer.db.gz")
	if _, err := backup.Take(ctx, newer.SQL(), newerFile); err != nil {
		t.Fatal(err)
	}

	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	flipped := bytes.Clone(goodBytes)
	flipped[len(flipped)/2] ^= 0xff
	// A database whose pages are damaged inside a whole gzip stream.
	raw := filepath.Join(dir, "raw.db")
	if _, err := src.SQL().Exec(`VACUUM INTO ?`, raw); err != nil {
		t.Fatal(err)
	}
	rawBytes, _ := os.ReadFile(raw)
	for i := 4096 + 100; i < len(rawBytes) && i < 4096*3; i++ { // the second page on
		rawBytes[i] = 0x5a
	}
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(rawBytes)
	zw.Close()
	gz := func(parts ...[]byte) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		for _, p := range parts {
			zw.Write(p)
		}
		zw.Close()
		return b.Bytes()
	}
	whole, _ := os.ReadFile(raw)
	// A sound database followed by 64 MB of zeros (a few hundred KB
	// compressed: made to fill the disk), one cut short of its pages, one
	// whose header claims 128 TB, and zeros alone.
	bomb := gz(whole, make([]byte, 64<<20))
	short := gz(whole[:len(whole)-4096])
	huge := bytes.Clone(whole[:4096])
	binary.BigEndian.PutUint16(huge[16:18], 1)          // 65,536-byte pages
	binary.BigEndian.PutUint32(huge[28:32], 0x7fffffff) // 2^31 of them
	// A udrul database given a trigger that erases the history: udrul's
	// schema has no triggers or views.
	trapped := filepath.Join(dir, "trigger.db")
	if _, err := src.SQL().Exec(`VACUUM INTO ?`, trapped); err != nil {
		t.Fatal(err)
	}
	tdb, _ := sql.Open("sqlite3", trapped)
	if _, err := tdb.Exec(`CREATE TRIGGER erase AFTER UPDATE ON tasks BEGIN DELETE FROM task_changes; END`); err != nil {
		t.Fatal(err)
	}
	tdb.Close()
	viewed := filepath.Join(dir, "view.db")
	if _, err := src.SQL().Exec(`VACUUM INTO ?`, viewed); err != nil {
		t.Fatal(err)
	}
	vdb, _ := sql.Open("sqlite3", viewed)
	if _, err := vdb.Exec(`CREATE VIEW v AS SELECT * FROM tasks`); err != nil {
		t.Fatal(err)
	}
	vdb.Close()
	// A SQLite database that is not udrul's.
	other := filepath.Join(dir, "other.db")
	odb, _ := sql.Open("sqlite3", other)
	odb.Exec(`CREATE TABLE x (y)`)
	odb.Close()

	tests := []struct {
		name    string
		file    string
		hold    func(t *testing.T, dbPath string) func()
		wantErr error
		// rollback: the database in place is in rollback-journal mode,
		// as a restored one is until udrul opens it.
		rollback bool
	}{
		{name: "cut short", file: write("short.db.gz", goodBytes[:len(goodBytes)/2]), wantErr: backup.ErrDamaged},
		{name: "altered byte", file: write("flipped.db.gz", flipped), wantErr: backup.ErrDamaged},
		{name: "not a backup", file: write("notes.txt", []byte("hello, this is not a backup\n")), wantErr: backup.ErrDamaged},
		{name: "damaged pages", file: write("pages.db.gz", zb.Bytes()), wantErr: backup.ErrDamaged},
		{name: "not udrul's database", file: other, wantErr: backup.ErrDamaged},
		{name: "more than its database", file: write("bomb.db.gz", bomb), wantErr: backup.ErrDamaged},
		{name: "less than its database", file: write("fewer.db.gz", short), wantErr: backup.ErrDamaged},
		{name: "a database bigger than the disk", file: write("huge.db.gz", gz(huge)), wantErr: backup.ErrNoSpace},
		{name: "zeros", file: write("zeros.db.gz", gz(make([]byte, 1<<20))), wantErr: backup.ErrDamaged},
		{name: "a trigger added", file: trapped, wantErr: backup.ErrDamaged},
		{name: "a view added", file: viewed, wantErr: backup.ErrDamaged},
		{name: "newer schema", file: newerFile, wantErr: backup.ErrNewerSchema},
		{name: "daemon running", file: good, wantErr: backup.ErrInUse, hold: func(t *testing.T, dbPath string) func() {
			l, err := backup.LockShared(dbPath)
			if err != nil {
				t.Fatal(err)
			}
			return func() { l.Release() }
		}},
		{name: "a transaction on it in rollback mode (as restored, before udrul opened it)", file: good, wantErr: backup.ErrInUse, rollback: true, hold: func(t *testing.T, dbPath string) func() {
			odb, err := sql.Open("sqlite3", "file:"+dbPath)
			if err != nil {
				t.Fatal(err)
			}
			odb.SetMaxOpenConns(1)
			tx, err := odb.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`UPDATE tasks SET title = title || 'X' WHERE rowid = 1`); err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback(); odb.Close() }
		}},
		{name: "database open", file: good, wantErr: backup.ErrInUse, hold: func(t *testing.T, dbPath string) func() {
			db, err := store.Open(ctx, dbPath)
			if err != nil {
				t.Fatal(err)
			}
			return func() { db.Close() }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tdir := t.TempDir()
			dbPath := filepath.Join(tdir, "udrul.db")
			db := openDB(t, dbPath)
			fill(t, db, 2, 5, 0)
			db.Close()
			if tt.rollback {
				odb, _ := sql.Open("sqlite3", "file:"+dbPath)
				if _, err := odb.Exec(`PRAGMA journal_mode = DELETE`); err != nil {
					t.Fatal(err)
				}
				odb.Close()
			}
			before := fileHash(t, dbPath)
			if tt.hold != nil {
				release := tt.hold(t, dbPath)
				defer release()
			}
			_, err := backup.Restore(ctx, tt.file, dbPath, db.Now())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Restore(%s) = %v, want %v", filepath.Base(tt.file), err, tt.wantErr)
			}
			if got := fileHash(t, dbPath); got != before {
				t.Errorf("the database in place changed after a refused restore")
			}
			entries, _ := os.ReadDir(tdir)
			for _, e := range entries {
				if strings.Contains(e.Name(), "replaced") || strings.HasPrefix(e.Name(), ".udrul-restore") {
					t.Errorf("left behind after a refused restore: %s", e.Name())
				}
			}
		})
	}
}

// TestRestore_replaces: the backup takes the database's place, the
// replaced database (with its log) is kept beside it and still opens, and
// stale -shm files are gone.
func TestRestore_replaces(t *testing.T) {
	ctx := context.Background()
	src, _ := newDB(t)
	fill(t, src, 4, 10, 0)
	if n, err := src.PackMissing(ctx); n != 4 || err != nil {
		t.Fatalf("PackMissing = %d, %v; want the 4 plans packed before the backup", n, err)
	}
	file := filepath.Join(t.TempDir(), "b.db.gz")
	if _, err := backup.Take(ctx, src.SQL(), file); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "udrul.db")
	cur := openDB(t, dbPath)
	fill(t, cur, 1, 3, 0)
	cur.Close()
	os.WriteFile(dbPath+"-shm", make([]byte, 32768), 0o600) // stale, from a crash
	now := src.Now()
	res, err := backup.Restore(ctx, file, dbPath, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := dbPath + ".replaced-" + now.Format("20060102T1504"); res.Replaced != want {
		t.Errorf("replaced = %s, want %s", res.Replaced, want)
	}
	if _, err := os.Stat(dbPath + "-shm"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a stale -shm is left: %v", err)
	}
	// In WAL mode (header bytes 18 and 19 are 2), so that a program that
	// opens it before udrul does holds a lock the next restore sees.
	if head, _ := os.ReadFile(dbPath); len(head) < 20 || head[18] != 2 || head[19] != 2 {
		t.Errorf("the restored database is not in WAL mode")
	}
	restored := openDB(t, dbPath)
	// The backup's packed tasks are not restored: the next sync packs
	// them from the rows (a backup edited to show other tasks in the
	// findings than in its rows shows its rows).
	var packed int
	restored.SQL().QueryRow(`SELECT COUNT(*) FROM plan_tasks_packed`).Scan(&packed)
	if packed != 0 {
		t.Errorf("%d plans' packed tasks restored, want none", packed)
	}
	if n, err := restored.PackMissing(ctx); n != 4 || err != nil {
		t.Errorf("PackMissing after the restore = %d, %v; want 4", n, err)
	}
	plans, _ := restored.ListPlans(ctx)
	if len(plans) != 4 || res.Plans != 4 || res.Tasks != 40 {
		t.Errorf("restored %d plans (record: %d plans, %d tasks), want 4 plans of 10 tasks", len(plans), res.Plans, res.Tasks)
	}
	old := openDB(t, res.Replaced)
	if plans, _ := old.ListPlans(ctx); len(plans) != 1 {
		t.Errorf("the replaced database holds %d plans, want 1", len(plans))
	}
	// A second restore in the same minute keeps both replaced databases.
	restored.Close()
	old.Close()
	res2, err := backup.Restore(ctx, file, dbPath, now)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Replaced == res.Replaced || res2.Replaced == "" {
		t.Errorf("second restore replaced = %q, first %q: want a new name", res2.Replaced, res.Replaced)
	}
}

// TestLock_exclusiveShared: a restore and a daemon start do not both
// win: while a restore holds the lock, LockShared fails.
func TestLock_exclusiveShared(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "udrul.db")
	ex, err := backup.LockExclusive(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.LockShared(dbPath); !errors.Is(err, backup.ErrInUse) {
		t.Errorf("LockShared during a restore = %v, want ErrInUse", err)
	}
	ex.Release()
	sh, err := backup.LockShared(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	sh2, err := backup.LockShared(dbPath)
	if err != nil {
		t.Errorf("a second shared lock: %v", err)
	}
	if _, err := backup.LockExclusive(dbPath); !errors.Is(err, backup.ErrInUse) {
		t.Errorf("LockExclusive while held shared = %v, want ErrInUse", err)
	}
	sh.Release()
	sh2.Release()
	if l, err := backup.LockExclusive(dbPath); err != nil {
		t.Errorf("LockExclusive after release: %v", err)
	} else {
		l.Release()
	}
}

// TestRestore_keepsTheLog: a database whose last transactions are still in
// its write-ahead log (a crash, or a stop without a checkpoint) keeps them
// when replaced: the log moves with it.
func TestRestore_keepsTheLog(t *testing.T) {
	ctx := context.Background()
	src, _ := newDB(t)
	fill(t, src, 1, 3, 0)
	file := filepath.Join(t.TempDir(), "b.db.gz")
	if _, err := backup.Take(ctx, src.SQL(), file); err != nil {
		t.Fatal(err)
	}

	// A database copied while open: its plans are only in the log.
	live, livePath := newDB(t)
	fill(t, live, 5, 3, 0)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "udrul.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(livePath + suffix)
		if err != nil {
			t.Fatalf("the live database has no %s: %v", suffix, err)
		}
		os.WriteFile(dbPath+suffix, b, 0o600)
	}
	res, err := backup.Restore(ctx, file, dbPath, src.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dbPath + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the replaced database's log is left beside the restored one: %v", err)
	}
	old := openDB(t, res.Replaced)
	if plans, err := old.ListPlans(ctx); err != nil || len(plans) != 5 {
		t.Errorf("the replaced database holds %d plans (%v), want the 5 that were in its log", len(plans), err)
	}
	restored := openDB(t, dbPath)
	if plans, _ := restored.ListPlans(ctx); len(plans) != 1 {
		t.Errorf("the restored database holds %d plans, want 1", len(plans))
	}
}

// TestRestore_plainFileWithItsLog: a plain database file whose last
// transactions are still in its write-ahead log beside it — the database a
// restore kept as udrul.db.replaced-… (with its log, to undo the restore),
// or a database copied after a crash — is restored and checked with those
// transactions, not as the older state its main file alone holds; and a
// database another program has open is read as one consistent snapshot.
func TestRestore_plainFileWithItsLog(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// source returns the plain database file to restore from.
		source func(t *testing.T) string
	}{
		{name: "copied with its log", source: func(t *testing.T) string {
			_, livePath := liveWithLog(t)
			file := filepath.Join(t.TempDir(), "udrul.db.replaced-20261125T2300")
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(livePath + suffix)
				if err != nil {
					t.Fatalf("the live database has no %s: %v", suffix, err)
				}
				os.WriteFile(file+suffix, b, 0o600)
			}
			return file
		}},
		{name: "open in another program", source: func(t *testing.T) string {
			_, livePath := liveWithLog(t)
			return livePath // live stays open until the test ends
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.source(t)
			info, err := backup.Verify(ctx, file)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if info.Plans != 6 || info.Tasks != 18 {
				t.Errorf("Verify says %d plans, %d tasks; want 6, 18 (with the log's last transaction)", info.Plans, info.Tasks)
			}
			dbPath := filepath.Join(t.TempDir(), "udrul.db")
			res, err := backup.Restore(ctx, file, dbPath, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			restored := openDB(t, dbPath)
			if plans, err := restored.ListPlans(ctx); err != nil || len(plans) != 6 || res.Plans != 6 {
				t.Errorf("the restored database holds %d plans (%v; record %d), want 6", len(plans), err, res.Plans)
			}
			entries, _ := os.ReadDir(filepath.Dir(dbPath))
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".udrul-restore") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
			if _, err := os.Stat(file); err != nil {
				t.Errorf("the source %s is gone: %v", file, err)
			}
		})
	}
}

// liveWithLog returns an open database of 5 plans in its main file and a
// sixth only in its write-ahead log.
func liveWithLog(t *testing.T) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	live, livePath := newDB(t)
	fill(t, live, 5, 3, 0)
	if _, err := live.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	run, err := live.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = live.Update(ctx, func(tx *store.Tx) error {
		id, err := tx.CreatePlan(store.Plan{Municipality: "Ny", Solution: "KY"})
		if err != nil {
			return err
		}
		for i := range 3 {
			if _, err := tx.InsertTask(id, run, taskNamed(fmt.Sprintf("opgave %d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return live, livePath
}

// TestLeftovers_removed: the temporary files of a backup or restore that
// was killed (kill -9, the machine stopped) are removed by the next backup
// or restore once they are an hour old — an uncompressed copy of the
// database each, they would otherwise fill the folder night by night —
// while a fresh one (another backup running now) and every other file
// stay.
func TestLeftovers_removed(t *testing.T) {
	ctx := context.Background()
	src, _ := newDB(t)
	fill(t, src, 2, 5, 0)
	old := time.Now().Add(-2 * time.Hour)
	leave := func(t *testing.T, dir string, names ...string) {
		t.Helper()
		for _, n := range names {
			p := filepath.Join(dir, n)
			if err := os.WriteFile(p, []byte("left by a killed udrul"), 0o600); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(n, "stale") {
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tests := []struct {
		name      string
		leftovers []string // "stale" in a name: two hours old
		keep      []string
		run       func(t *testing.T, dir string)
	}{
		{name: "backup", leftovers: []string{".udrul-backup-stale1.db", ".udrul-backup-stale2.gz.tmp", ".udrul-backup-stale3.db-wal"},
			keep: []string{".udrul-backup-fresh.db", "stale-notes.txt", "udrul-backup-2020-01-01T033000.db.gz"},
			run: func(t *testing.T, dir string) {
				if _, err := backup.Take(ctx, src.SQL(), filepath.Join(dir, "b.db.gz")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "restore", leftovers: []string{".udrul-restore-stale1.db", ".udrul-restore-stale2.db-shm"},
			keep: []string{".udrul-restore-fresh.db", "udrul.db.replaced-stale"},
			run: func(t *testing.T, dir string) {
				file := filepath.Join(t.TempDir(), "b.db.gz")
				if _, err := backup.Take(ctx, src.SQL(), file); err != nil {
					t.Fatal(err)
				}
				if _, err := backup.Restore(ctx, file, filepath.Join(dir, "udrul.db"), time.Now()); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			leave(t, dir, tt.leftovers...)
			leave(t, dir, tt.keep...)
			tt.run(t, dir)
			for _, n := range tt.leftovers {
				if _, err := os.Stat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s, left by a killed %s two hours ago, is still there (%v)", n, tt.name, err)
				}
			}
			for _, n := range tt.keep {
				if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
					t.Errorf("%s was removed: %v", n, err)
				}
			}
		})
	}
}

// TestTake_refusesToOverwrite: a backup written over the database itself
// (`udrul backup --out udrul.db`, a slip of the hand) replaced the live
// database with its gzip and said it succeeded; it is refused, as is any
// existing file that is not a backup (the configuration), while an earlier
// backup is replaced.
func TestTake_refusesToOverwrite(t *testing.T) {
	ctx := context.Background()
	db, dbPath := newDB(t)
	fill(t, db, 2, 5, 0)
	dir := filepath.Dir(dbPath)
	cfg := filepath.Join(dir, "udrul.yaml")
	os.WriteFile(cfg, []byte("database: udrul.db\n"), 0o600)
	earlier := filepath.Join(dir, "earlier.db.gz")
	if _, err := backup.Take(ctx, db.SQL(), earlier); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, out string
		wantErr   bool
	}{
		{"the database", dbPath, true},
		{"the database by another path", filepath.Join(dir, ".", "x", "..", "udrul.db"), true},
		{"the database's log", dbPath + "-wal", true},
		{"the configuration", cfg, true},
		{"an earlier backup", earlier, false},
		{"a new file", filepath.Join(dir, "new.db.gz"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.out)
			_, err := backup.Take(ctx, db.SQL(), tt.out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Take(%s) = %v, want an error: %v", filepath.Base(tt.out), err, tt.wantErr)
			}
			if tt.wantErr {
				if after, _ := os.ReadFile(tt.out); !bytes.Equal(after, before) && tt.out != dbPath+"-wal" {
					t.Errorf("%s changed after a refused backup", filepath.Base(tt.out))
				}
			}
			if plans, err := db.ListPlans(ctx); err != nil || len(plans) != 2 {
				t.Errorf("the database after Take(%s): %d plans, %v; want 2", filepath.Base(tt.out), len(plans), err)
			}
			reopened, err := store.Open(ctx, dbPath)
			if err != nil {
				t.Fatalf("the database no longer opens: %v", err)
			}
			reopened.Close()
		})
	}
}
