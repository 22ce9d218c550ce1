package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udrul/udrul/model"
)

func openTest(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpen_uriCharacters opens databases whose paths hold the characters a
// file: URI gives a meaning to: each opens its own file, not "plans".
func TestOpen_uriCharacters(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, file string }{
		{"question mark", "plans?mode=ro.db"},
		{"hash", "plans#1.db"},
		{"percent", "plans%20x.db"},
		{"all", "a?b#c%d.db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			db := openTest(t, path)
			if _, err := db.BeginRun(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("the file %s was not created: %v", tc.file, err)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n == "plans" || n == "a" || strings.HasPrefix(n, "plans-") {
			t.Errorf("a file %q was made from a cut-off path", n)
		}
	}
}

// TestDB_busy holds the write lock in one handle; a writer on another
// handle waits for its busy timeout and then gets ErrBusy in plain words.
func TestDB_busy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	a := openTest(t, path)
	b, err := OpenWith(ctx, path, Options{BusyTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	held, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.Update(ctx, func(tx *Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	_, err = b.Queue(ctx, Message{Channel: "email", Recipient: "a@b.dk", Subject: "s"}, nil, nil)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if msg := err.Error(); strings.Contains(msg, "database is locked") || !strings.Contains(msg, "another udrul is syncing") {
		t.Errorf("message = %q: want plain words, not SQLite's", msg)
	}
	// Once the lock is free, the same write goes through.
	if _, err := b.Queue(ctx, Message{Channel: "email", Recipient: "a@b.dk", Subject: "s"}, nil, nil); err != nil {
		t.Errorf("after the lock was released: %v", err)
	}
}

// TestDB_Queue_parallel queues the same digest from several goroutines on
// two handles of one file, as parallel `udrul alerts` runs do: it is queued
// once.
func TestDB_Queue_parallel(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	dbs := []*DB{openTest(t, path), openTest(t, path)}
	alerts := []Alert{{Recipient: "pl@aarhus.dk", Key: "overdue|1|7", State: "overdue"}, {Recipient: "pl@aarhus.dk", Key: "due|8", State: "due:5"}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	queued, dup := 0, 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := dbs[i%2].Queue(ctx, Message{Channel: "email", Recipient: "pl@aarhus.dk", Subject: "digest"}, alerts, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				queued++
			case errors.Is(err, ErrAlreadyQueued):
				dup++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	pending, _, _ := dbs[0].OutboxCounts(ctx)
	if queued != 1 || dup != 7 || pending != 1 {
		t.Errorf("queued %d, refused %d, in the outbox %d; want 1, 7, 1", queued, dup, pending)
	}
	// A message with a key is queued once too.
	m := Message{Channel: "email", Recipient: "k@kombit.dk", Subject: "rapport", Key: "report|x.xlsx|k@kombit.dk"}
	if _, err := dbs[0].Queue(ctx, m, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := dbs[1].Queue(ctx, m, nil, nil); !errors.Is(err, ErrAlreadyQueued) {
		t.Errorf("second keyed message: err = %v, want ErrAlreadyQueued", err)
	}
	// A resolved-only digest whose keys were reported already is not queued again.
	dbs[0].Queue(ctx, Message{Channel: "email", Recipient: "pl@aarhus.dk", Subject: "løst"}, nil, []string{"overdue|1|7"})
	if _, err := dbs[1].Queue(ctx, Message{Channel: "email", Recipient: "pl@aarhus.dk", Subject: "løst"}, nil, []string{"overdue|1|7"}); !errors.Is(err, ErrAlreadyQueued) {
		t.Errorf("resolved twice: err = %v, want ErrAlreadyQueued", err)
	}
}

// TestDB_Claim: a claimed message is nobody else's until it is sent, failed
// or its lease expires (its sender crashed).
func TestDB_Claim(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	a, b := openTest(t, path), openTest(t, path)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	a.Now = func() time.Time { return now }
	b.Now = a.Now
	id, err := a.Queue(ctx, Message{Channel: "webhook", Recipient: "http://x", Subject: "s"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, ok, err := a.Claim(ctx, "first", time.Minute)
	if err != nil || !ok || m.ID != id {
		t.Fatalf("first claim = %v, %v, %v", m.ID, ok, err)
	}
	if _, ok, _ := b.Claim(ctx, "second", time.Minute); ok {
		t.Fatal("a claimed message was claimed again")
	}
	if due, _ := b.DueMessages(ctx); len(due) != 0 {
		t.Errorf("a claimed message is listed due: %+v", due)
	}
	// The first sender crashed: after the lease the message is claimable.
	now = now.Add(2 * time.Minute)
	m, ok, err = b.Claim(ctx, "second", time.Minute)
	if err != nil || !ok || m.ID != id {
		t.Fatalf("claim after the lease = %v, %v, %v", m.ID, ok, err)
	}
	if err := b.MessageSent(ctx, id); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if _, ok, _ := a.Claim(ctx, "third", time.Minute); ok {
		t.Error("a sent message was claimed")
	}
}

// TestDB_MarkInterruptedRuns: a run whose process was killed is marked
// interrupted at the next start; a run of a live process is left running.
func TestDB_MarkInterruptedRuns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	db := openTest(t, path)
	// A process that ran and is gone.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true command:", err)
	}
	deadPID := cmd.Process.Pid
	res, err := db.SQL().Exec(`INSERT INTO sync_runs (started_at, pid, host) VALUES (?, ?, ?)`, db.now(), deadPID, hostname())
	if err != nil {
		t.Fatal(err)
	}
	dead, _ := res.LastInsertId()
	res, _ = db.SQL().Exec(`INSERT INTO sync_runs (started_at, pid, host) VALUES (?, ?, ?)`, db.now(), os.Getppid(), hostname())
	alive, _ := res.LastInsertId()

	run, err := db.BeginRun(ctx) // the next start
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   int64
		want string
	}{{"killed", dead, "interrupted"}, {"alive", alive, "running"}, {"this run", run, "running"}} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := db.RunStatus(ctx, tc.id); got != tc.want {
				t.Errorf("status = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDB_busyWaits: a writer that meets another's write lock waits for it
// (within the busy timeout) instead of failing with "database is locked".
func TestDB_busyWaits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	a, b := openTest(t, path), openTest(t, path)
	held := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.Update(ctx, func(tx *Tx) error {
			close(held)
			time.Sleep(300 * time.Millisecond) // a plan being applied
			return nil
		})
	}()
	<-held
	if _, err := b.Queue(ctx, Message{Channel: "email", Recipient: "a@b.dk", Subject: "s"}, nil, nil); err != nil {
		t.Errorf("a writer behind a short transaction failed: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestDB_OnWait: a write held up by another writer's lock says so once it
// has waited WaitNotice, and still goes through.
func TestDB_OnWait(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	a, b := openTest(t, path), openTest(t, path)
	var waited sync.WaitGroup
	waited.Add(1)
	b.OnWait = waited.Done
	held := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.Update(ctx, func(tx *Tx) error {
			close(held)
			waited.Wait() // hold the lock until b said it waits
			return nil
		})
	}()
	<-held
	if _, err := b.Queue(ctx, Message{Channel: "email", Recipient: "a@b.dk", Subject: "s"}, nil, nil); err != nil {
		t.Errorf("the waiting write failed: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// isoDay is the date written 2026-06-01 (tests).
func isoDay(s string) model.Date {
	d, err := model.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}
