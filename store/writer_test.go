package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/model"
)

// TestWriter runs a sync's series of write transactions on one connection:
// each commits or rolls back on its own, another writer writes between
// them, its commits leave the log to the checkpointer (the connection's
// wal_autocheckpoint is 0 inside them), and Close checkpoints the whole log
// and gives the connection back to the pool as the others are.
func TestWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "udrul.db")
	db := openTest(t, path)
	const pool = 3
	db.SQL().SetMaxOpenConns(pool)
	pragma := func(q rowQuerier, name string) int { t.Helper(); return pragmaOf(t, q, name) }
	checkPool := func(when string) { t.Helper(); checkPoolDefaults(t, db, pool, when, false) }
	checkPool("before")
	runID, err := db.BeginRun(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := db.Writer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	addPlan := func(u interface {
		Update(context.Context, func(*Tx) error) error
	}, municipality string, tasks int, fail error) error {
		return u.Update(ctx, func(tx *Tx) error {
			if got := pragma(tx.tx, "wal_autocheckpoint"); u == w && got != 0 {
				t.Errorf("wal_autocheckpoint in the writer's transaction = %d, want 0 (the checkpointer's)", got)
			}
			id, err := tx.CreatePlan(Plan{Municipality: municipality, Solution: "KY"})
			if err != nil {
				return err
			}
			for i := range tasks {
				if _, err := tx.InsertTask(id, runID, model.Task{ID: fmt.Sprint(i + 1), Title: fmt.Sprintf("Opgave %d i %s", i+1, municipality)}); err != nil {
					return err
				}
			}
			return fail
		})
	}
	failed := errors.New("the plan failed")
	steps := []struct {
		name string
		u    interface {
			Update(context.Context, func(*Tx) error) error
		}
		municipality string
		tasks        int
		fail         error
	}{
		{"the writer's first", w, "Aarhus", 5000, nil},
		{"one that fails, rolled back", w, "Odense", 10, failed},
		{"another writer's between", db, "Vejle", 5, nil},
		{"the writer's after", w, "Horsens", 100, nil},
	}
	for _, st := range steps {
		if err := addPlan(st.u, st.municipality, st.tasks, st.fail); !errors.Is(err, st.fail) {
			t.Fatalf("%s: %v, want %v", st.name, err, st.fail)
		}
	}
	w.Close()
	w.Close() // twice is once
	if err := addPlan(w, "Kolding", 1, nil); err == nil {
		t.Error("a transaction on a closed writer ran")
	}
	checkPool("after")
	for _, st := range steps {
		var n int
		if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.municipality = ?`, st.municipality).Scan(&n); err != nil {
			t.Fatal(err)
		}
		want := st.tasks
		if st.fail != nil {
			want = 0
		}
		if n != want {
			t.Errorf("%s: %d tasks stored, want %d", st.name, n, want)
		}
	}
	// Close waited for a checkpoint of all the writer wrote: the database
	// file alone, without its log, holds every task.
	alone := filepath.Join(t.TempDir(), "alone.db")
	if err := copyFile(path, alone); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", FileURI(alone))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM tasks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := 5000 + 5 + 100; n != want {
		t.Errorf("the database file without its log holds %d tasks, want %d (the log checkpointed as the writer closed)", n, want)
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// pragmaOf reads an integer pragma through q.
func pragmaOf(t *testing.T, q rowQuerier, name string) int {
	t.Helper()
	var n int
	if err := q.QueryRowContext(context.Background(), `PRAGMA `+name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPoolDefaults takes each of the pool's connections in turn (pool of
// them, its most) and checks it checkpoints the log as SQLite does by
// default (and, with temp, keeps its temporary storage as by default): no
// connection was given back with a writer's settings.
func checkPoolDefaults(t *testing.T, db *DB, pool int, when string, temp bool) {
	t.Helper()
	var conns []*sql.Conn
	for range pool {
		c, err := db.SQL().Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if temp {
			if got := pragmaOf(t, c, "temp_store"); got != 0 {
				t.Errorf("%s: a connection's temp_store = %d, want 0 (default)", when, got)
			}
		}
		if got := pragmaOf(t, c, "wal_autocheckpoint"); got != 1000 {
			t.Errorf("%s: a connection's wal_autocheckpoint = %d, want 1000 (default)", when, got)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
