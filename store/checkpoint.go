package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
)

// A checkpointer copies the pages a long run of write transactions added
// to the write-ahead log into the database file, on a connection and a
// goroutine of its own, while the writer goes on.
//
// SQLite does this itself (wal_autocheckpoint) on the writing connection
// after each commit that leaves the log longer than 1000 pages, holding up
// the writer: in a first evaluation (72,000 findings written in a hundred
// transactions, one writer, the rules on the other core waiting for it),
// the commits took a third of the writer's time, most of it copying. A
// PASSIVE checkpoint does not take the write lock: the writer and the
// readers go on while it copies what they no longer need.
type checkpointer struct {
	kick chan struct{} // a checkpoint is wanted (one waiting is enough)
	stop chan struct{}
	wg   sync.WaitGroup
}

// checkpointEvery is how many rows written since the last checkpoint ask
// for the next: about as many pages as SQLite's own 1000-page interval.
const checkpointEvery = 4096

func (s *DB) startCheckpointer(ctx context.Context) *checkpointer {
	c := &checkpointer{kick: make(chan struct{}, 1), stop: make(chan struct{})}
	c.wg.Go(func() {
		for {
			select {
			case <-c.kick:
			case <-c.stop:
				select {
				case <-c.kick: // the last one wanted
				default:
					return
				}
			}
			// A failed checkpoint costs nothing but a longer log (SQLite's
			// next checkpoint copies it; a busy one is retried next time).
			s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	})
	return c
}

// want asks for a checkpoint, without waiting.
func (c *checkpointer) want() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// close waits for the checkpoint under way or wanted and ends the
// goroutine.
func (c *checkpointer) close() {
	close(c.stop)
	c.wg.Wait()
}

// pragmaInt reads an integer pragma of a connection.
func pragmaInt(ctx context.Context, conn *sql.Conn, name string) (int, error) {
	var n int
	err := conn.QueryRowContext(ctx, `PRAGMA `+name).Scan(&n)
	return n, err
}

// discard closes a connection instead of giving it back to the pool.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}
