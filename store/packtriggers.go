package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/mattn/go-sqlite3"
)

// PackTriggers says what Open found of udrul's triggers on the tasks (the
// ones that keep the packed values current, packTriggers) and what it did:
// a database without one of them (restored from a backup made without
// it, or one dropped by hand) would be read by its rows for good, and
// every sync would pack values nobody reads.
type PackTriggers struct {
	// Made are udrul's triggers that were missing and that Open made
	// again; in the same transaction it deleted every packed value (it
	// may be stale: the next sync packs them again, PackMissing).
	Made []string
	// Missing are udrul's triggers that are missing and were not made
	// (a database looked at read-only: the next udrul that opens it for
	// writing makes them).
	Missing []string
	// Kept are triggers Open left alone that keep the packed values from
	// being trusted: the tasks are read by their rows (correct, slower)
	// until they are dropped (udrul then makes its own again).
	Kept []KeptTrigger
	// Err is why the missing triggers could not be made (a database file
	// udrul may not write): nothing was changed.
	Err error
}

// KeptTrigger is a trigger on the tasks (or the packed values) that is
// not udrul's as udrul makes it.
type KeptTrigger struct {
	Name string
	// Changed: udrul makes one of that name, defined otherwise.
	Changed bool
}

// Trusted reports whether the packed values are read: no trigger is
// missing or kept.
func (p PackTriggers) Trusted() bool {
	return len(p.Missing) == 0 && len(p.Kept) == 0 && p.Err == nil
}

// PackTriggers is what Open found of udrul's triggers on the tasks and
// what it did (see PackTriggers); nothing for a database opened with
// UpTo or read-only (ReadPackTriggers says what such a one has).
func (s *DB) PackTriggers() PackTriggers { return s.packTriggers }

// ReadPackTriggers looks at the triggers on the tasks without changing
// anything: udrul's that are missing (Missing) and the others (Kept). A
// database of a schema before the packed values (migration 0023) has
// none to miss.
func (s *DB) ReadPackTriggers(ctx context.Context) (PackTriggers, error) {
	var out PackTriggers
	err := s.ro.read(ctx, s.db, func(q *sql.DB) error {
		var err error
		out, err = readPackTriggers(ctx, q)
		return err
	})
	return out, err
}

// readPackTriggers is ReadPackTriggers on q.
func readPackTriggers(ctx context.Context, q rowQuerier) (PackTriggers, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, COALESCE(sql, ''), tbl_name FROM sqlite_master WHERE type = 'trigger'
		AND (tbl_name IN ('tasks', 'plan_tasks_packed') OR name IN ('plan_tasks_packed_insert', 'plan_tasks_packed_update', 'plan_tasks_packed_delete'))
		ORDER BY name`)
	if err != nil {
		return PackTriggers{}, fmt.Errorf("read the triggers on the tasks: %w", busy(err))
	}
	defer rows.Close()
	var out PackTriggers
	found := map[string]bool{}
	for rows.Next() {
		var name, text, table string
		if err := rows.Scan(&name, &text, &table); err != nil {
			return PackTriggers{}, fmt.Errorf("read the triggers on the tasks: %w", err)
		}
		found[name] = true
		want, ours := packTriggers[name]
		if !ours || text != want {
			out.Kept = append(out.Kept, KeptTrigger{Name: name, Changed: ours})
		}
	}
	if err := rows.Err(); err != nil {
		return PackTriggers{}, fmt.Errorf("read the triggers on the tasks: %w", busy(err))
	}
	var table bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan_tasks_packed')`).Scan(&table); err != nil {
		return PackTriggers{}, fmt.Errorf("read the triggers on the tasks: %w", busy(err))
	}
	if !table {
		return out, nil // a schema from before the packed values: nothing to miss
	}
	for name := range packTriggers {
		if !found[name] {
			out.Missing = append(out.Missing, name)
		}
	}
	sort.Strings(out.Missing)
	return out, nil
}

// mendPackTriggers makes udrul's missing triggers on the tasks again and,
// in the same transaction, deletes every packed value (a change to a task
// made while one was missing left its plan's value stale; the next sync
// packs them again). A trigger of udrul's name defined otherwise, or one
// udrul does not make, is left alone (Kept): udrul does not drop what
// someone made. Called by Open after the migrations, on a database at this
// udrul's schema; a database already as udrul makes it is only read.
func (s *DB) mendPackTriggers(ctx context.Context) (PackTriggers, error) {
	found, err := readPackTriggers(ctx, s.db)
	if err != nil || len(found.Missing) == 0 {
		return found, err
	}
	var out PackTriggers
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Again under the write lock: another udrul may have made them.
		var err error
		if out, err = readPackTriggers(ctx, tx); err != nil {
			return err
		}
		for _, name := range out.Missing {
			if _, err := tx.ExecContext(ctx, packTriggers[name]); err != nil {
				return fmt.Errorf("make the trigger %s again: %w", name, err)
			}
		}
		if len(out.Missing) > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM plan_tasks_packed`); err != nil {
				return fmt.Errorf("delete the packed tasks: %w", err)
			}
		}
		out.Made, out.Missing = out.Missing, nil
		return nil
	})
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrPerm) {
		// A database udrul may not write: it is read by its rows, as it
		// was; whoever opens it for writing makes them.
		found.Err = err
		return found, nil
	}
	if err != nil {
		return PackTriggers{}, err
	}
	return out, nil
}

// PackTriggerNames are the names of udrul's triggers on the tasks that
// Open makes again when one is missing (see PackTriggers), sorted.
func PackTriggerNames() []string {
	out := make([]string, 0, len(packTriggers))
	for name := range packTriggers {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
