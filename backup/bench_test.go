package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/store"
)

// national returns a copy (in b's temporary folder) of a national-scale
// database: 600 plans of 200 tasks, 120,000 tasks, each end date moved three
// times (360,000 history rows). The original is built once per machine.
func national(b *testing.B) string {
	b.Helper()
	cache := filepath.Join(os.TempDir(), "udrul-bench", "backup600x200x3.db")
	if _, err := os.Stat(cache); err != nil {
		os.MkdirAll(filepath.Dir(cache), 0o755)
		tmp := cache + ".building"
		os.Remove(tmp)
		db, err := store.Open(context.Background(), tmp)
		if err != nil {
			b.Fatal(err)
		}
		fill(b, db, 600, 200, 3)
		db.Close()
		if err := os.Rename(tmp, cache); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "udrul.db")
	src, err := os.Open(cache)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	dst.Close()
	return path
}

// syncWriter rewrites one plan's 200 tasks with a change each, one
// transaction per plan, as a sync of a changed plan does, until stopped.
// It records the longest wait for the write lock (BEGIN IMMEDIATE, as the
// store begins), the longest commit, and the longest whole transaction.
type syncWriter struct {
	db                  *store.DB
	wait, commit, whole atomic.Int64
	commits             atomic.Int64
	stop                chan struct{}
	done                chan error
}

func startSyncWriter(db *store.DB) *syncWriter {
	w := &syncWriter{db: db, stop: make(chan struct{}), done: make(chan error, 1)}
	go func() { w.done <- w.run() }()
	return w
}

func setMax(a *atomic.Int64, d time.Duration) {
	if int64(d) > a.Load() {
		a.Store(int64(d))
	}
}

func (w *syncWriter) run() error {
	ctx := context.Background()
	plans, err := w.db.ListPlans(ctx)
	if err != nil {
		return err
	}
	run, err := w.db.BeginRun(ctx)
	if err != nil {
		return err
	}
	for k := 0; ; k++ {
		select {
		case <-w.stop:
			return nil
		case <-time.After(20 * time.Millisecond): // a sync reads a file between plans
		}
		plan := plans[k%len(plans)].ID
		start := time.Now()
		tx, err := w.db.SQL().BeginTx(ctx, nil) // BEGIN IMMEDIATE: waits for the write lock
		if err != nil {
			return err
		}
		setMax(&w.wait, time.Since(start))
		notes := fmt.Sprintf("runde %d", k)
		if _, err := tx.Exec(`INSERT INTO task_changes (task_id, run_id, at, field, old, new) SELECT id, ?, '2026-11-25T00:00:00Z', 'notes', notes, ? FROM tasks WHERE plan_id = ?`, run, notes, plan); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.Exec(`UPDATE tasks SET notes = ?, updated_run_id = ? WHERE plan_id = ?`, notes, run, plan); err != nil {
			tx.Rollback()
			return err
		}
		c := time.Now()
		if err := tx.Commit(); err != nil {
			return err
		}
		setMax(&w.commit, time.Since(c))
		setMax(&w.whole, time.Since(start))
		w.commits.Add(1)
	}
}

func (w *syncWriter) finish(b *testing.B) {
	close(w.stop)
	if err := <-w.done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Duration(w.wait.Load()).Microseconds())/1000, "lock-wait-max-ms")
	b.ReportMetric(float64(time.Duration(w.commit.Load()).Microseconds())/1000, "commit-max-ms")
	b.ReportMetric(float64(time.Duration(w.whole.Load()).Microseconds())/1000, "write-max-ms")
	b.ReportMetric(float64(w.commits.Load())/float64(b.N), "writes/op")
}

// BenchmarkTake_national backs up the national-scale database with
// backup.Take (VACUUM INTO, integrity check, gzip, rename) while a writer
// rewrites one plan after another as a sync does. lock-wait-max-ms is the
// longest a write waited for the write lock during the backups,
// write-max-ms its longest whole transaction; the baselineWriter benchmark
// is the same writer with no backup running.
func BenchmarkTake_national(b *testing.B) {
	db := openDB(b, national(b))
	out := filepath.Join(b.TempDir(), "b.db.gz")
	w := startSyncWriter(db)
	var info backup.Info
	var snapshot time.Duration
	for b.Loop() {
		var err error
		if info, err = backup.Take(context.Background(), db.SQL(), out); err != nil {
			b.Fatal(err)
		}
		snapshot = max(snapshot, info.Snapshot)
	}
	w.finish(b)
	if info.Tasks < 120_000 {
		b.Fatalf("backed up %d tasks", info.Tasks)
	}
	b.ReportMetric(float64(info.Size)/1e6, "gz-MB")
	b.ReportMetric(float64(info.DBSize)/1e6, "db-MB")
	b.ReportMetric(snapshot.Seconds(), "snapshot-s")
}

// BenchmarkTake_baselineWriter is the writer alone, for as long as a backup
// takes: its longest transaction without a backup running.
func BenchmarkTake_baselineWriter(b *testing.B) {
	db := openDB(b, national(b))
	w := startSyncWriter(db)
	for b.Loop() {
		time.Sleep(4 * time.Second)
	}
	w.finish(b)
}

// BenchmarkSnapshot_national compares the two ways of copying the live
// database (without the check and compression), each while the writer
// works: VACUUM INTO, and SQLite's online backup API in one step.
func BenchmarkSnapshot_national(b *testing.B) {
	for _, how := range []string{"vacuum-into", "backup-api"} {
		b.Run(how, func(b *testing.B) {
			db := openDB(b, national(b))
			dir := b.TempDir()
			w := startSyncWriter(db)
			var size int64
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(dir, fmt.Sprintf("%d.db", i))
				var err error
				if how == "vacuum-into" {
					_, err = db.SQL().Exec(`VACUUM INTO ?`, out)
				} else {
					err = backupAPI(db.SQL(), out)
				}
				if err != nil {
					b.Fatal(err)
				}
				fi, _ := os.Stat(out)
				size = fi.Size()
				os.Remove(out)
			}
			w.finish(b)
			b.ReportMetric(float64(size)/1e6, "db-MB")
		})
	}
}

// backupAPI copies src into a new database at out with SQLite's online
// backup API, all pages in one step.
func backupAPI(src *sql.DB, out string) error {
	ctx := context.Background()
	dst, err := sql.Open("sqlite3", out)
	if err != nil {
		return err
	}
	defer dst.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	sconn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	return dconn.Raw(func(d any) error {
		return sconn.Raw(func(s any) error {
			bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			if _, err := bk.Step(-1); err != nil {
				bk.Finish()
				return err
			}
			return bk.Finish()
		})
	})
}
