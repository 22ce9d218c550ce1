package store

import (
	"context"
	"database/sql"
	"fmt"
)

// A bulkConn is a connection taken from the pool for a long series of
// write transactions (a sync's plans, an evaluation's findings), with a
// checkpointer beside it.
//
// It does not checkpoint the log in its own commits: SQLite's checkpoint,
// once the log holds 1000 pages, runs in the commit that crosses the mark
// and copies the log into the database file there, holding the writer up
// (a third of a first evaluation's writing; in a first sync of 600 plans,
// a fifth of the writer's time went to its commits). The checkpointer
// copies it on a connection and a goroutine of its own, every
// checkpointEvery rows written (see checkpointer).
//
// Its temporary storage is in memory, when asked: SQLite keeps, for each
// statement writing many rows (an INSERT of insertBatch findings), the
// pages it changes as they were, to undo the statement alone; past 64 KiB
// in a temporary file, which a first evaluation wrote 29,000 pages to and
// read back (a third of its file writes, 0.1 CPU-s of 0.5 in system
// calls). A statement changes at most a few hundred pages.
//
// Both settings are undone when the connection goes back (release).
type bulkConn struct {
	conn        *sql.Conn
	auto        int // wal_autocheckpoint as it was
	memTemp     bool
	checkpoints *checkpointer
	unchecked   int // rows written since the last checkpoint wanted
}

func (s *DB) takeBulkConn(ctx context.Context, memTemp bool) (*bulkConn, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	auto, err := pragmaInt(ctx, conn, `wal_autocheckpoint`)
	if err == nil {
		q := `PRAGMA wal_autocheckpoint = 0`
		if memTemp {
			q = `PRAGMA temp_store = MEMORY; ` + q
		}
		_, err = conn.ExecContext(ctx, q)
	}
	if err != nil {
		discard(conn)
		return nil, err
	}
	return &bulkConn{conn: conn, auto: auto, memTemp: memTemp, checkpoints: s.startCheckpointer(context.WithoutCancel(ctx))}, nil
}

// wrote counts rows committed, and asks for a checkpoint every
// checkpointEvery of them.
func (b *bulkConn) wrote(rows int) {
	if b.unchecked += rows; b.unchecked >= checkpointEvery {
		b.checkpoints.want()
		b.unchecked = 0
	}
}

// release asks for a last checkpoint of what the connection wrote, waits
// for it, and gives the connection back to the pool with its settings as
// the others' (or, when they cannot be undone, closes it).
func (b *bulkConn) release() {
	if b.unchecked > 0 {
		b.checkpoints.want()
	}
	b.checkpoints.close()
	q := fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, b.auto)
	if b.memTemp {
		q = `PRAGMA temp_store = DEFAULT; ` + q
	}
	if _, err := b.conn.ExecContext(context.Background(), q); err != nil {
		discard(b.conn)
		return
	}
	b.conn.Close()
}

// A Writer runs write transactions one after another on one connection
// that leaves the checkpoints to a goroutine beside it (see bulkConn): a
// sync's plans, each in a transaction of its own. Other writers (another
// udrul, a command) write between its transactions as they would between
// any two. Close it when done.
type Writer struct {
	s *DB
	b *bulkConn
}

// Writer takes a connection for a series of write transactions.
func (s *DB) Writer(ctx context.Context) (*Writer, error) {
	b, err := s.takeBulkConn(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("begin writing: %w", busy(err))
	}
	return &Writer{s: s, b: b}, nil
}

// Update runs fn in one write transaction, as DB.Update does.
func (w *Writer) Update(ctx context.Context, fn func(*Tx) error) error {
	if w.b == nil {
		return fmt.Errorf("begin transaction: %w", sql.ErrConnDone)
	}
	rows, err := w.s.updateOn(ctx, w.b.conn, fn)
	if err == nil {
		w.b.wrote(rows)
	}
	return err
}

// Close checkpoints what the writer wrote and gives its connection back.
func (w *Writer) Close() {
	if w.b != nil {
		w.b.release()
		w.b = nil
	}
}
