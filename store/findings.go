package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/udrul/udrul/model"
)

type findingDetail struct {
	Wave  string `json:"wave,omitempty"`
	Step  string `json:"step,omitempty"`
	Title string `json:"title,omitempty"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// LatestEvaluation is the newest as-of date findings were saved for.
func (s *DB) LatestEvaluation(ctx context.Context) (model.Date, error) {
	var last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(as_of) FROM evaluations`).Scan(&last); err != nil {
		return model.Date{}, err
	}
	d, _ := model.ParseISODate(last.String)
	return d, nil
}

// ErrLaterEvaluation is returned when an evaluation cannot be saved because
// one for a later date is saved (before it began, or while it ran).
var ErrLaterEvaluation = errors.New("an evaluation for a later date is saved")

// SaveFindings records the findings of an evaluation for asOf: new ones
// are opened (first seen asOf), open ones found again stay as they are
// unless what they say changed, and open ones not found any more are
// resolved. It returns the findings opened and resolved by this evaluation,
// and the first-seen date of every finding found. A date before the latest
// saved evaluation's is refused (ErrLaterEvaluation).
func (s *DB) SaveFindings(ctx context.Context, asOf model.Date, found []model.Finding) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	r, err := s.RecordFindings(ctx, asOf, found, true)
	if err == nil && !r.Persisted {
		err = fmt.Errorf("save findings for %s: %w", asOf, ErrLaterEvaluation)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return r.Opened, r.Resolved, r.FirstSeen, nil
}

// PreviewFindings is SaveFindings without saving: it says what an
// evaluation for asOf would open and resolve, and the first-seen dates it
// would give, and leaves the store as it was (a preview for another date
// than today must not move the lifecycle). It takes no write lock.
func (s *DB) PreviewFindings(ctx context.Context, asOf model.Date, found []model.Finding) (opened, resolved []model.Finding, firstSeen map[string]model.Date, err error) {
	r, err := s.RecordFindings(ctx, asOf, found, false)
	if err != nil {
		return nil, nil, nil, err
	}
	return r.Opened, r.Resolved, r.FirstSeen, nil
}

// Recorded is what recording an evaluation's findings gave.
type Recorded struct {
	Opened, Resolved []model.Finding
	FirstSeen        map[string]model.Date
	// Persisted says whether the lifecycle was saved (see BeginFindings).
	Persisted bool
}

// RecordFindings records the findings of an evaluation for asOf, as a
// Lifecycle does (record: see BeginFindings), a municipality at a time.
func (s *DB) RecordFindings(ctx context.Context, asOf model.Date, found []model.Finding, record bool) (*Recorded, error) {
	l, err := s.BeginFindings(ctx, asOf, record)
	if err != nil {
		return nil, err
	}
	defer l.Abort() // on an error; Finish commits
	// found is the whole portfolio's: a municipality not among them has
	// nothing found, and its open findings are resolved by Finish, plan
	// or no plan.
	l.whole = true
	// A municipality at a time, in the order they first come; the opened
	// findings in the order they were found.
	found = append([]model.Finding(nil), found...)
	byMun := map[string][]int{}
	var order []string
	for i, f := range found {
		if _, ok := byMun[f.Municipality]; !ok {
			order = append(order, f.Municipality)
		}
		byMun[f.Municipality] = append(byMun[f.Municipality], i)
	}
	r := &Recorded{FirstSeen: make(map[string]model.Date, len(found)), Persisted: l.save}
	isNew := make([]bool, len(found))
	group := []model.Finding{}
	for _, m := range order {
		group = group[:0]
		for _, i := range byMun[m] {
			group = append(group, found[i])
		}
		group, news, err := l.Apply(ctx, m, nil, group, nil, nil)
		if err != nil {
			return nil, err
		}
		for j, i := range byMun[m] {
			found[i].FirstSeen = group[j].FirstSeen
			isNew[i] = news[j]
			if _, ok := r.FirstSeen[found[i].Key]; !ok {
				r.FirstSeen[found[i].Key] = group[j].FirstSeen
			}
		}
	}
	for i, f := range found {
		if isNew[i] {
			f.LastSeen = asOf
			r.Opened = append(r.Opened, f)
		}
	}
	if r.Resolved, err = l.Finish(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Lifecycle records one evaluation's findings a municipality at a time:
// BeginFindings, Apply for each municipality, Finish. Only what changed is
// written: a finding opened, resolved or saying something else than
// before. Apply writes a municipality's findings in a write transaction
// it leaves open for the next municipality's, until the caller commits
// (Commit) or Finish records the evaluation: a streamed evaluation
// commits before it evaluates or prints anything, so the write lock is
// held only while open findings are compared and written, never while the
// rules run or a caller prints. A preview writes nothing and takes no
// write lock.
type Lifecycle struct {
	s         *DB
	asOf      model.Date
	day, prev string // prev: the latest evaluation before this one ("" none)
	now       string
	save      bool
	fresh     bool // no finding was open as it began: every finding found is written (see Prepared)
	applied   map[string]bool
	// A preview's: the findings resolved on its date before it (those it
	// finds again are taken out), and the open findings it would resolve.
	resolvedToday map[string]bool
	resolveKeys   []string
	done          bool
	// whole says the findings applied are the whole portfolio's
	// (RecordFindings): Finish resolves the open findings of every
	// municipality not applied, not only of those with no plan.
	whole bool
	// The write transaction Apply leaves open until Commit, when it was
	// begun and how many findings it wrote.
	tx      *sql.Tx
	began   time.Time
	pending int
	// conn is the connection the write transactions are on: its own, with
	// its temporary storage in memory and a checkpointer beside it (see
	// bulkConn), given back to the pool as it was by Abort.
	conn *sql.Conn
	bulk *bulkConn
	// raw are the INSERTs prepared on the write connection's driver
	// connection for the open transaction (closed as it ends), executed
	// with nv's values (see findingWriter.flushRows).
	raw map[string]rawStmt
	nv  []driver.NamedValue
	// txCtx is the context the open transaction was begun for, and
	// txRelease frees the one it was begun with (see writeTx).
	txCtx     context.Context
	txRelease context.CancelFunc
	// stmts are the writes' statements, prepared once (on the database:
	// each transaction takes them, on its connection, as they are) and
	// closed by Finish or Abort; preparing them for each municipality
	// was a fifth of a first evaluation's writing.
	stmts map[string]*sql.Stmt
	// What this evaluation did: findings found (each key once), opened,
	// rewritten and resolved.
	Found, Opened, Changed, Resolved int
	// Reevaluated counts the municipalities whose plans changed between
	// their evaluation and their write (a sync meanwhile): they were
	// evaluated again inside the write transaction.
	Reevaluated int
}

// BeginFindings starts recording an evaluation for asOf. With record set,
// the lifecycle is saved unless a later evaluation is saved already (then,
// as without record, it is a preview: Finish tells what saving would have
// done and the store is left as it was).
func (s *DB) BeginFindings(ctx context.Context, asOf model.Date, record bool) (*Lifecycle, error) {
	l := &Lifecycle{s: s, asOf: asOf, day: asOf.String(), now: s.now(), applied: map[string]bool{}}
	var prev, latest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT as_of FROM evaluations ORDER BY id DESC LIMIT 1), (SELECT MAX(as_of) FROM evaluations)`).
		Scan(&prev, &latest); err != nil {
		return nil, fmt.Errorf("latest evaluation: %w", err)
	}
	l.prev = prev.String
	last, _ := model.ParseISODate(latest.String)
	l.save = record && !asOf.Before(last)
	if l.save {
		var open bool
		if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM findings INDEXED BY findings_open_municipality WHERE resolved_at IS NULL)`).Scan(&open); err != nil {
			return nil, fmt.Errorf("open findings: %w", err)
		}
		l.fresh = !open
	}
	if !l.save {
		keys, err := queryKeys(ctx, s.db, `SELECT key FROM findings WHERE resolved_at = ? AND last_seen < ?`, l.day, l.day)
		if err != nil {
			return nil, err
		}
		l.resolvedToday = make(map[string]bool, len(keys))
		for _, k := range keys {
			l.resolvedToday[k] = true
		}
	}
	return l, nil
}

// Persisted says whether the lifecycle is saved (see BeginFindings).
func (l *Lifecycle) Persisted() bool { return l.save }

type openFinding struct {
	first, last string // first-seen; last-seen: the as-of date its row was last written
	digest      int64
}

// Apply records the findings found in one municipality (all of them: its
// open findings not among them are resolved). It sets each finding's
// first-seen date and says which are new. A municipality is applied once.
//
// plans are the municipality's plans the findings were evaluated from (nil
// with redo nil: not checked). Holding the write lock, Apply reads them
// again; if a sync changed them since (their revision counts every change
// of their tasks), it calls redo with a Reader of the store as it is now
// and records redo's findings instead. It returns the findings recorded.
//
// prep is found made ready by Prepare (nil: Apply prepares them).
func (l *Lifecycle) Apply(ctx context.Context, municipality string, plans []Plan, found []model.Finding, prep *Prepared,
	redo func(Reader) ([]model.Finding, error)) ([]model.Finding, []bool, error) {
	if l.done {
		return nil, nil, errors.New("findings: apply after finish")
	}
	if l.applied[municipality] {
		return nil, nil, fmt.Errorf("findings: municipality %q applied twice", municipality)
	}
	l.applied[municipality] = true
	if !prep.of(found) {
		prep = l.Prepare(found)
	}
	if !l.save {
		open, err := readOpen(ctx, l.s.db, municipality, len(found))
		if err != nil {
			return nil, nil, err
		}
		isNew, err := l.compare(ctx, nil, found, prep, open)
		return found, isNew, err
	}
	tx, err := l.writeTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	failed := true
	defer func() {
		if failed { // the transaction is rolled back: nothing of it is saved
			l.Abort()
		}
	}()
	if redo != nil {
		// The plans' rows without their counts (what the counts count
		// moves the revision, or is not the rules').
		now, err := queryPlans(ctx, tx, `0, 0, 0, 0`, `WHERE p.municipality = ?`, municipality)
		if err != nil {
			return nil, nil, err
		}
		if !samePlans(now, plans) {
			l.Reevaluated++
			if found, err = redo(Reader{tx}); err != nil {
				return nil, nil, err
			}
			prep = l.Prepare(found)
		}
	}
	open, err := readOpen(ctx, tx, municipality, len(found))
	if err != nil {
		return nil, nil, err
	}
	// A run for a later date (one begun around midnight, not yet finished)
	// may have written this municipality already: an earlier date's
	// findings must not overwrite it. Such a run opened findings after
	// l.day (still open: read above) or resolved some after it (found by
	// the resolved_at index; a scan of the municipality's findings here
	// cost 20 ms a municipality).
	later := false
	for _, o := range open {
		if o.first > l.day || o.last > l.day { // opened, or rewritten (changed), by a later run
			later = true
			break
		}
	}
	if !later {
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM findings INDEXED BY findings_open WHERE resolved_at > ? AND municipality = ?)`,
			l.day, municipality).Scan(&later); err != nil {
			return nil, nil, fmt.Errorf("save findings: %w", err)
		}
	}
	if later {
		return nil, nil, fmt.Errorf("save findings for %s: %w (%s)", l.day, ErrLaterEvaluation, municipality)
	}
	before := l.Opened + l.Changed + l.Resolved
	isNew, err := l.compare(ctx, tx, found, prep, open)
	if err != nil {
		return nil, nil, err
	}
	l.pending += l.Opened + l.Changed + l.Resolved - before
	failed = false
	return found, isNew, nil
}

// writeTx is the open write transaction, begun (and checked against a
// later evaluation) if none is.
func (l *Lifecycle) writeTx(ctx context.Context) (*sql.Tx, error) {
	if l.tx != nil {
		return l.tx, nil
	}
	conn, err := l.writeConn(ctx)
	if err != nil {
		return nil, err
	}
	// Begun with a context cancelled with ctx only while the transaction
	// waits for the write lock: database/sql rolls a transaction whose
	// context is cancelled back on its own, at any moment, closing its
	// connection under the INSERTs prepared on it (left unfinalized, they
	// kept the closed connection's files open) and, between the writer's
	// check of ctx and its next INSERT, leaving that INSERT to commit on
	// its own. Once begun, the writer checks ctx between statements and
	// rolls back itself (Abort).
	beginCtx, release := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, release)
	tx, err := l.s.beginOn(beginCtx, conn)
	if !stop() { // cancelled while waiting: rolled back, if begun
		release()
		if err == nil {
			err = ctx.Err()
		}
		return nil, err
	}
	if err != nil {
		release()
		return nil, err
	}
	if err := l.checkLater(ctx, tx); err != nil {
		tx.Rollback()
		release()
		return nil, err
	}
	l.tx, l.txCtx, l.txRelease, l.began, l.pending = tx, ctx, release, time.Now(), 0
	return tx, nil
}

// endTx ends the write transaction: its INSERTs on the driver connection
// are closed first (the connection stays the lifecycle's), then it is
// committed (commit set) or rolled back.
func (l *Lifecycle) endTx(commit bool) error {
	tx := l.tx
	l.tx = nil
	defer l.txRelease()
	if len(l.raw) > 0 {
		l.conn.Raw(func(any) error {
			for q, st := range l.raw {
				st.Close()
				delete(l.raw, q)
			}
			return nil
		})
	}
	if !commit {
		return tx.Rollback()
	}
	return tx.Commit()
}

// writeConn is the connection the write transactions are on, taken from
// the pool when first needed (see bulkConn: its temporary storage in
// memory, the log checkpointed beside it).
func (l *Lifecycle) writeConn(ctx context.Context) (*sql.Conn, error) {
	if l.conn != nil {
		return l.conn, nil
	}
	b, err := l.s.takeBulkConn(ctx, true)
	if err != nil {
		return nil, err
	}
	l.conn, l.bulk = b.conn, b
	return l.conn, nil
}

// rawStmt is what flushRows needs of the driver's statement.
type rawStmt interface {
	driver.Stmt
	driver.StmtQueryContext
}

// prepareRaw prepares query on the driver connection dc.
func prepareRaw(ctx context.Context, dc any, query string) (rawStmt, error) {
	c, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("the database driver (%T) cannot prepare statements", dc)
	}
	ds, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(rawStmt)
	if !ok {
		ds.Close()
		return nil, fmt.Errorf("the database driver's statements (%T) cannot be run with a context", ds)
	}
	return st, nil
}

// rawStmt is query prepared on the driver connection dc (the write
// connection's, inside its Raw), once a transaction.
func (l *Lifecycle) rawStmt(ctx context.Context, dc any, query string) (rawStmt, error) {
	if st, ok := l.raw[query]; ok {
		return st, nil
	}
	st, err := prepareRaw(ctx, dc, query)
	if err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	if l.raw == nil {
		l.raw = map[string]rawStmt{}
		l.nv = make([]driver.NamedValue, findingValues*insertBatch)
	}
	l.raw[query] = st
	return st, nil
}

// releaseConn checkpoints what the lifecycle wrote and gives the write
// connection back to the pool with its settings as the others' (see
// bulkConn.release).
func (l *Lifecycle) releaseConn() {
	if l.bulk == nil {
		return
	}
	l.bulk.release()
	l.conn, l.bulk = nil, nil
}

// Commit commits the municipalities applied since the last Commit: Apply
// leaves its write transaction open, for the next municipality's findings
// when they are at hand (see Pending and Held); a caller that does
// anything else first (evaluate, print) commits.
func (l *Lifecycle) Commit() error {
	if l.tx == nil {
		return nil
	}
	if err := l.txCtx.Err(); err != nil { // stopped: what is not committed is not
		l.endTx(false)
		return err
	}
	if err := l.endTx(true); err != nil {
		return busy(err)
	}
	l.bulk.wrote(l.pending)
	return nil
}

// Abort rolls back what was applied since the last Commit.
func (l *Lifecycle) Abort() {
	if l.tx != nil {
		l.endTx(false)
	}
	l.closeStmts()
	l.releaseConn()
}

// stmt is query prepared once. On the database, not on the write
// connection: each transaction takes a statement of the database as it is
// prepared on its connection (Tx.StmtContext), but prepares one of a
// connection again (that was a tenth of the writer's time).
func (l *Lifecycle) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := l.stmts[query]; ok {
		return st, nil
	}
	st, err := l.s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if l.stmts == nil {
		l.stmts = map[string]*sql.Stmt{}
	}
	l.stmts[query] = st
	return st, nil
}

func (l *Lifecycle) closeStmts() {
	for q, st := range l.stmts {
		st.Close()
		delete(l.stmts, q)
	}
}

// Pending is the number of findings written since the last Commit, and
// Held how long the write transaction has been open (0: none is).
func (l *Lifecycle) Pending() int { return l.pending }

// Held: see Pending.
func (l *Lifecycle) Held() time.Duration {
	if l.tx == nil {
		return 0
	}
	return time.Since(l.began)
}

// samePlans reports whether the plans' rows are the same, their counts
// aside.
func samePlans(now, was []Plan) bool {
	if len(now) != len(was) {
		return false
	}
	for i := range now {
		p := was[i]
		p.Tasks, p.Removed, p.Errors, p.Warnings = 0, 0, 0, 0
		if !reflect.DeepEqual(now[i], p) {
			return false
		}
	}
	return true
}

// checkLater refuses to save when an evaluation for a later date was
// saved since this one began.
func (l *Lifecycle) checkLater(ctx context.Context, tx *sql.Tx) error {
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT MAX(as_of) FROM evaluations`).Scan(&last); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if last.Valid && last.String > l.day {
		return fmt.Errorf("save findings for %s: %w (%s)", l.day, ErrLaterEvaluation, last.String)
	}
	return nil
}

// readOpen reads a municipality's open findings' keys, first-seen dates
// and digests.
func readOpen(ctx context.Context, q rowQuerier, municipality string, expect int) (map[string]openFinding, error) {
	// A row is one text (first-seen, last-seen, digest and key, joined by
	// the unit separator), cut without copying: four values fetched and
	// made strings for each of a portfolio's 72,000 open findings were most
	// of this read, done holding the write lock. The key comes last: it
	// may hold the separator itself; the others cannot.
	rows, err := q.QueryContext(ctx, `SELECT concat_ws(char(31), first_seen, last_seen, digest, key) FROM findings WHERE resolved_at IS NULL AND municipality = ?`, municipality)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	open := make(map[string]openFinding, expect)
	for rows.Next() {
		var row string
		if err := rows.Scan(&row); err != nil {
			return nil, err
		}
		var f [3]string
		rest := row
		for i := range f {
			j := strings.IndexByte(rest, 0x1f)
			if j < 0 {
				return nil, fmt.Errorf("open findings of %s: a row without its fields: %q", municipality, row)
			}
			f[i], rest = rest[:j], rest[j+1:]
		}
		digest, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("open findings of %s: digest %q: %w", municipality, f[2], err)
		}
		open[rest] = openFinding{first: f[0], last: f[1], digest: digest}
	}
	return open, rows.Err()
}

// compare sets found's first-seen dates from the open findings and writes
// (tx not nil) what changed: the new findings, those saying something
// else, and the open ones not found. A preview (tx nil) only counts, and
// keeps the keys it would resolve.
func (l *Lifecycle) compare(ctx context.Context, tx *sql.Tx, found []model.Finding, prep *Prepared, open map[string]openFinding) ([]bool, error) {
	w := findingWriter{ctx: ctx, tx: tx, l: l, prep: prep}
	digests := prep.digests
	defer w.close()
	isNew := make([]bool, len(found))
	seen := make(map[string]model.Date, len(found))
	for i := range found {
		f := &found[i]
		if first, ok := seen[f.Key]; ok { // the same finding twice: the first counts
			f.FirstSeen = first
			continue
		}
		l.Found++
		if o, ok := open[f.Key]; ok {
			f.FirstSeen, _ = model.ParseISODate(o.first)
			seen[f.Key] = f.FirstSeen
			if o.digest == digests[i] {
				continue
			}
			l.Changed++
			if err := w.update(i, o.first); err != nil {
				return nil, err
			}
			continue
		}
		if err := w.insert(i); err != nil {
			return nil, err
		}
		if tx == nil {
			delete(l.resolvedToday, f.Key) // found again: not resolved
		}
		l.Opened++
		f.FirstSeen, isNew[i] = l.asOf, true
		seen[f.Key] = l.asOf
	}
	for k := range open {
		if _, ok := seen[k]; !ok {
			w.resolve(k)
			l.Resolved++
		}
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	return isNew, nil
}

// findingWriter writes a municipality's changed findings in its
// transaction, each statement prepared when first needed; without a
// transaction (a preview) it keeps the keys resolved.
type findingWriter struct {
	ctx      context.Context
	tx       *sql.Tx
	l        *Lifecycle
	prep     *Prepared
	res      *sql.Stmt
	batch    []any    // the new and changed findings' values, for flush
	first    string   // the key of the batch's first
	resolves []string // the keys of the findings to resolve, for flush
	boxes    boxes
}

func (w *findingWriter) prepare(st **sql.Stmt, query string) error {
	if *st != nil {
		return nil
	}
	base, err := w.l.stmt(w.ctx, query)
	if err != nil {
		return err
	}
	*st = w.tx.StmtContext(w.ctx, base)
	return nil
}

func (w *findingWriter) close() {
	if w.res != nil {
		w.res.Close()
	}
}

// insertBatch is how many findings one INSERT writes (13 values each,
// well under SQLite's 32,766): one statement per row spent more in the
// driver than in SQLite.
const insertBatch = 64

// insertSizes are the INSERTs' numbers of rows, largest first: a batch is
// written by the largest that fit (the statements are prepared once; one
// of the batch's size, prepared for each municipality's last batch, cost
// more than writing it).
var insertSizes = [...]int{insertBatch, 16, 4, 1}

const insertFindings = `INSERT INTO findings (key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, digest, first_seen, last_seen)
	VALUES %s
	ON CONFLICT(key) DO UPDATE SET level = excluded.level, message = excluded.message, days = excluded.days, detail = excluded.detail,
	digest = excluded.digest, first_seen = excluded.first_seen, last_seen = excluded.last_seen, resolved_at = NULL,
	plan_id = excluded.plan_id, task_id = excluded.task_id, municipality = excluded.municipality, solution = excluded.solution`

func insertRows(n int) string {
	return fmt.Sprintf(insertFindings, strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", "))
}

// insertQueries are insertRows of each of insertSizes, made once: made for
// each INSERT, they were 5 MB of a first evaluation's garbage.
var insertQueries = func() (q [len(insertSizes)]string) {
	for i, n := range insertSizes {
		q[i] = insertRows(n)
	}
	return q
}()

// insert adds new finding i to the batch written by flush.
func (w *findingWriter) insert(i int) error {
	return w.add(i, w.l.day)
}

// add adds finding i, first seen on first, to the batch written by flush:
// a new one, or an open one saying something else (INSERT's ON CONFLICT
// rewrites it, its first-seen date as it was: with an UPDATE each, the
// findings that changed were written a statement at a time).
func (w *findingWriter) add(i int, first string) error {
	if w.tx == nil {
		return nil
	}
	if len(w.batch) == 0 {
		w.first = w.prep.found[i].Key
	}
	if w.prep.values != nil {
		w.batch = append(w.batch, w.prep.values[findingValues*i:findingValues*(i+1)]...)
	} else {
		w.batch = w.l.appendValues(w.batch, &w.boxes, &w.prep.found[i], w.prep.digests[i])
	}
	if first != w.l.day {
		w.batch[len(w.batch)-2] = first
	}
	if len(w.batch) == findingValues*insertBatch {
		return w.flushRows()
	}
	return nil
}

// flush writes the batch of findings and resolves the findings to resolve,
// in one statement.
func (w *findingWriter) flush() error {
	if err := w.flushRows(); err != nil {
		return err
	}
	if len(w.resolves) == 0 {
		return nil
	}
	if err := w.prepare(&w.res, `UPDATE findings SET resolved_at = ?, last_seen = CASE WHEN ? = '' THEN last_seen ELSE ? END
		WHERE key IN (SELECT value FROM json_each(?))`); err != nil {
		return err
	}
	// A key that is not UTF-8 would not come back from JSON as it is (it
	// takes a statement of its own).
	var odd []string
	valid := w.resolves[:0]
	for _, k := range w.resolves {
		if utf8.ValidString(k) {
			valid = append(valid, k)
		} else {
			odd = append(odd, k)
		}
	}
	keys, _ := json.Marshal(valid)
	if _, err := w.res.ExecContext(w.ctx, w.l.day, w.l.prev, w.l.prev, string(keys)); err != nil {
		return fmt.Errorf("resolve findings: %w", err)
	}
	for _, k := range odd {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE findings SET resolved_at = ?, last_seen = CASE WHEN ? = '' THEN last_seen ELSE ? END WHERE key = ?`,
			w.l.day, w.l.prev, w.l.prev, k); err != nil {
			return fmt.Errorf("resolve finding %q: %w", k, err)
		}
	}
	w.resolves = w.resolves[:0]
	return nil
}

// flushRows writes the batch of findings.
func (w *findingWriter) flushRows() error {
	if len(w.batch) == 0 {
		return nil
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	// On the driver's connection, the write transaction's: through
	// database/sql, each INSERT's 832 values were checked and copied into
	// a new slice (the writer's most allocations, while the rules'
	// goroutines waited for it).
	err := w.l.conn.Raw(func(dc any) error {
		if ac, ok := dc.(interface{ AutoCommit() bool }); ok && ac.AutoCommit() {
			return errors.New("findings: the write transaction ended under the writer") // nothing written outside it
		}
		rest := w.batch
		for k, size := range insertSizes {
			for len(rest) >= findingValues*size {
				st, err := w.l.rawStmt(w.ctx, dc, insertQueries[k])
				if err != nil {
					return err
				}
				nv := w.l.nv[:findingValues*size]
				for k := range nv {
					nv[k] = driver.NamedValue{Ordinal: k + 1, Value: rest[k]}
				}
				if err := execRaw(shortStatement(w.ctx), st, nv); err != nil {
					return fmt.Errorf("save findings from %s: %w", w.first, err)
				}
				rest = rest[findingValues*size:]
			}
		}
		return nil
	})
	w.batch = w.batch[:0]
	return err
}

// execRaw runs the INSERT st with values nv, as a query run to its end.
// The driver binds a query's values and takes its first step in one call
// into SQLite, the texts bound where they lie in one buffer; its Exec
// binds them a call each, each text copied by SQLite again: for the 832
// values of an INSERT of insertBatch findings, that was a third of a
// first evaluation's writing.
func execRaw(ctx context.Context, st rawStmt, nv []driver.NamedValue) error {
	rows, err := st.QueryContext(ctx, nv)
	if err != nil {
		return err
	}
	// Run to its end (the driver takes the first step at once; another
	// might wait for Next): an INSERT returns no row.
	err = rows.Next(make([]driver.Value, len(rows.Columns())))
	if cerr := rows.Close(); err == io.EOF {
		err = cerr
	} else if err == nil {
		err = errors.New("the INSERT returned a row")
	}
	return err
}

// update rewrites open finding i, first seen on first, that says
// something else now.
func (w *findingWriter) update(i int, first string) error {
	return w.add(i, first)
}

// resolve resolves an open finding not found any more (by flush).
func (w *findingWriter) resolve(key string) {
	if w.tx == nil {
		w.l.resolveKeys = append(w.l.resolveKeys, key)
		return
	}
	w.resolves = append(w.resolves, key)
}

// Finish resolves the open findings of the municipalities not applied that
// have no plan (none is left; with RecordFindings, every municipality not
// applied: nothing of it was found), records the evaluation and commits it — or,
// for a preview, writes nothing. It returns the findings resolved for the
// evaluation's date.
func (l *Lifecycle) Finish(ctx context.Context) ([]model.Finding, error) {
	if l.done {
		return nil, errors.New("findings: finished twice")
	}
	l.done = true
	// The municipalities with open findings and no plan: a municipality
	// whose first plan a sync stored while this evaluation ran was not
	// evaluated, and keeps its findings until the next evaluation.
	// (The municipalities with open findings through their index, which
	// holds nothing else: SQLite chose to read every open finding's row,
	// 40 ms of a first evaluation.)
	const openMunicipalities = `SELECT DISTINCT municipality AS m FROM findings INDEXED BY findings_open_municipality WHERE resolved_at IS NULL`
	leftQuery := `SELECT m FROM (` + openMunicipalities + `) WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.municipality = m)`
	if l.whole {
		leftQuery = openMunicipalities
	}
	if !l.save {
		left, err := queryKeys(ctx, l.s.db, leftQuery)
		if err != nil {
			return nil, err
		}
		for _, m := range left {
			if l.applied[m] {
				continue
			}
			keys, err := queryKeys(ctx, l.s.db, `SELECT key FROM findings WHERE resolved_at IS NULL AND municipality = ?`, m)
			if err != nil {
				return nil, err
			}
			l.resolveKeys = append(l.resolveKeys, keys...)
			l.Resolved += len(keys)
		}
		if len(l.resolveKeys) == 0 && len(l.resolvedToday) == 0 {
			// Nothing resolved on the date, before or by this preview
			// (those before are listed even when this resolves nothing
			// itself, as saving lists them).
			return nil, nil
		}
		// The findings resolved on the date before, and those the preview
		// resolves as saving would leave them.
		keys := l.resolveKeys
		for k := range l.resolvedToday {
			keys = append(keys, k)
		}
		valid, odd := keyLists(keys)
		return queryFindingsFrom(ctx, l.s.db, `(SELECT id, key, kind, level, plan_id, task_id, municipality, solution, message, days, detail, first_seen,
			CASE WHEN resolved_at IS NULL AND ? <> '' THEN ? ELSE last_seen END AS last_seen, COALESCE(resolved_at, ?) AS resolved_at
			FROM findings WHERE key IN (SELECT value FROM json_each(?) UNION ALL SELECT CAST(unhex(value) AS TEXT) FROM json_each(?)))`,
			`WHERE resolved_at = ? AND last_seen < ? ORDER BY municipality, solution, kind, id`,
			l.prev, l.prev, l.day, valid, odd, l.day, l.day)
	}
	tx, err := l.writeTx(ctx)
	if err != nil {
		return nil, err
	}
	defer l.Abort()
	left, err := queryKeys(ctx, tx, leftQuery)
	if err != nil {
		return nil, err
	}
	for _, m := range left {
		if l.applied[m] {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE findings SET resolved_at = ?, last_seen = CASE WHEN ? = '' THEN last_seen ELSE ? END
			WHERE resolved_at IS NULL AND municipality = ?`, l.day, l.prev, l.prev, m)
		if err != nil {
			return nil, err
		}
		n, _ := res.RowsAffected()
		l.Resolved += int(n)
	}
	// Read even when this evaluation resolved nothing: another one for the
	// same day, running at the same time (each municipality is written in
	// its own transaction), may have resolved a finding this one then did
	// not find open, nor found; it is resolved on this date all the same.
	resolved, err := queryFindings(ctx, tx, `WHERE resolved_at = ? AND last_seen < ? ORDER BY municipality, solution, kind, id`, l.day, l.day)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO evaluations (as_of, at, found, opened, changed, resolved) VALUES (?, ?, ?, ?, ?, ?)`,
		l.day, l.now, l.Found, l.Opened, l.Changed, l.Resolved); err != nil {
		return nil, err
	}
	if err := l.Commit(); err != nil {
		return nil, err
	}
	return resolved, nil // the rest of the log is checkpointed as the connection goes back (Abort, deferred)
}

// keyLists are keys as two JSON arrays for json_each: the keys that are
// UTF-8 as they are, and the others in hex (JSON would turn their bytes
// into U+FFFD, another key), for CAST(unhex(value) AS TEXT).
func keyLists(keys []string) (valid, odd string) {
	var v, o []string
	for _, k := range keys {
		if utf8.ValidString(k) {
			v = append(v, k)
		} else {
			o = append(o, hex.EncodeToString([]byte(k)))
		}
	}
	vb, _ := json.Marshal(v)
	ob, _ := json.Marshal(o)
	return string(vb), string(ob)
}

// queryKeys reads a query's first column.
func queryKeys(ctx context.Context, q rowQuerier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Prepared is a municipality's findings made ready for Apply: their
// digests and, when the store had no open finding as the evaluation began
// (every finding will be written), the values an INSERT writes for them
// (first seen on the evaluation's date). A streamed evaluation prepares
// them on the goroutine that evaluated them: holding the write lock, Apply
// then only compares and writes (preparing them there was a sixth of a
// first evaluation's writing, while the rules' goroutines waited for it).
// Otherwise the few findings written have their values made as they are.
type Prepared struct {
	found   []model.Finding // the findings prepared
	digests []int64
	values  []any // findingValues a finding, in insertFindings' order
}

// findingValues is the number of values INSERT writes for a finding.
const findingValues = 13

// Prepare prepares found for Apply; it may be called from any goroutine.
// found must not change until it is applied.
func (l *Lifecycle) Prepare(found []model.Finding) *Prepared {
	p := &Prepared{found: found, digests: make([]int64, len(found))}
	for i := range found {
		p.digests[i] = findingDigest(&found[i])
	}
	if !l.save || !l.fresh {
		return p // the values made by the writer, for the few written
	}
	p.values = make([]any, 0, findingValues*len(found))
	var b boxes
	for i := range found {
		p.values = l.appendValues(p.values, &b, &found[i], p.digests[i])
	}
	return p
}

// appendValues appends the values insertFindings writes for f, first seen
// on the evaluation's date. b keeps the texts most findings share as
// values already made (a text made a value is copied to the heap: for each
// of 72,000 findings, eight times).
func (l *Lifecycle) appendValues(values []any, b *boxes, f *model.Finding, digest int64) []any {
	if b.day == nil {
		b.day = l.day
	}
	return append(values, f.Key, b.box(&b.kind, f.Kind), b.box(&b.level, f.Level), nullID(f.PlanID), nullID(f.TaskID),
		b.box(&b.municipality, f.Municipality), b.box(&b.solution, f.Solution), f.Message, int64(f.Days),
		detailJSON(f), digest, b.day, b.day)
}

// boxes are the texts last made values, for appendValues (one a
// goroutine).
type boxes struct {
	day                                 any
	kind, level, municipality, solution boxed
}

type boxed struct {
	s string
	v any
}

// box is s as a value: b's when b holds s.
func (*boxes) box(b *boxed, s string) any {
	if b.v == nil || b.s != s {
		b.s, b.v = s, s
	}
	return b.v
}

// of reports whether p was prepared from found (the same findings, not a
// copy: Apply is given what was prepared).
func (p *Prepared) of(found []model.Finding) bool {
	return p != nil && len(p.found) == len(found) && (len(found) == 0 || &p.found[0] == &found[0])
}

// findingDigest hashes what a stored finding says, to tell a finding found
// again unchanged (nothing to write) from one that changed.
func findingDigest(f *model.Finding) int64 {
	// FNV-1a, 64 bits (hash/fnv's), written out: through the hash.Hash
	// interface each field was copied to the heap.
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{f.Level, f.Message, f.Municipality, f.Solution, f.Wave, f.Step, f.Title, f.Old, f.New} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h *= prime // the 0 byte after each field: h ^ 0 is h
	}
	for _, n := range [...]int64{int64(f.Days), f.PlanID, f.TaskID} {
		for i := 0; i < 8; i++ { // little-endian
			h = (h ^ uint64(byte(uint64(n)>>(8*i)))) * prime
		}
	}
	d := int64(h)
	if d == 0 { // 0 is a row written before digests
		d = 1
	}
	return d
}

// detailJSON is json.Marshal's findingDetail of f, its fields appended as
// they are when JSON needs no escape in them (nearly always): marshalled,
// a tenth of a first evaluation's writing.
func detailJSON(f *model.Finding) string {
	b := make([]byte, 0, 48+len(f.Wave)+len(f.Step)+len(f.Title)+len(f.Old)+len(f.New))
	b = append(b, '{')
	for _, fd := range [...]struct{ name, v string }{{"wave", f.Wave}, {"step", f.Step}, {"title", f.Title}, {"old", f.Old}, {"new", f.New}} {
		if fd.v == "" { // omitempty
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(append(b, '"'), fd.name...), `":`...)
		if jsonPlain(fd.v) {
			b = append(append(append(b, '"'), fd.v...), '"')
		} else {
			q, _ := json.Marshal(fd.v)
			b = append(b, q...)
		}
	}
	return string(append(b, '}'))
}

// jsonPlain reports whether json.Marshal writes s as it is, in quotes:
// valid UTF-8 without control characters, quotes, backslashes, the HTML
// characters it escapes (<, >, &) or U+2028 and U+2029.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c == 0xe2 && (strings.HasPrefix(s[i:], "\u2028") || strings.HasPrefix(s[i:], "\u2029")):
			return false
		}
	}
	return utf8.ValidString(s)
}

// OpenFindings lists the findings not resolved.
func (s *DB) OpenFindings(ctx context.Context) ([]model.Finding, error) {
	return queryFindings(ctx, s.db, `WHERE resolved_at IS NULL ORDER BY municipality, solution, kind, id`)
}

// ResolvedFindings lists the findings resolved on or after since.
func (s *DB) ResolvedFindings(ctx context.Context, since model.Date) ([]model.Finding, error) {
	return queryFindings(ctx, s.db, `WHERE resolved_at IS NOT NULL AND resolved_at >= ? ORDER BY municipality, solution, kind, id`, since.String())
}

func queryFindings(ctx context.Context, q rowQuerier, where string, args ...any) ([]model.Finding, error) {
	return queryFindingsFrom(ctx, q, `findings`, where, args...)
}

// queryFindingsFrom reads findings from a table or a subquery with the
// findings table's columns. An open finding was last seen by the latest
// evaluation, or, when an evaluation that was stopped before it finished
// (and so is not recorded) wrote its row later, on that evaluation's
// date: never before it was first seen.
func queryFindingsFrom(ctx context.Context, q rowQuerier, table, where string, args ...any) ([]model.Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT key, kind, level, COALESCE(plan_id, 0), COALESCE(task_id, 0), municipality, solution, message, days, detail,
		first_seen, CASE WHEN resolved_at IS NULL THEN MAX(last_seen, COALESCE((SELECT as_of FROM evaluations ORDER BY id DESC LIMIT 1), last_seen)) ELSE last_seen END,
		COALESCE(resolved_at, '') FROM `+table+` `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Finding
	for rows.Next() {
		var f model.Finding
		var detail, first, last, resolved string
		if err := rows.Scan(&f.Key, &f.Kind, &f.Level, &f.PlanID, &f.TaskID, &f.Municipality, &f.Solution, &f.Message, &f.Days, &detail, &first, &last, &resolved); err != nil {
			return nil, err
		}
		var d findingDetail
		json.Unmarshal([]byte(detail), &d)
		f.Wave, f.Step, f.Title, f.Old, f.New = d.Wave, d.Step, d.Title, d.Old, d.New
		f.FirstSeen, _ = model.ParseISODate(first)
		f.LastSeen, _ = model.ParseISODate(last)
		f.ResolvedAt, _ = model.ParseISODate(resolved)
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveSnapshot stores the headline figures of an as-of date.
func (s *DB) SaveSnapshot(ctx context.Context, asOf model.Date, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO snapshots (as_of, data) VALUES (?, ?) ON CONFLICT(as_of) DO UPDATE SET data = excluded.data`, asOf.String(), string(b))
	return err
}

// Snapshots returns the stored snapshots from since to until, oldest first,
// decoded by decode.
func (s *DB) Snapshots(ctx context.Context, since, until model.Date, decode func(asOf model.Date, data []byte) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT as_of, data FROM snapshots WHERE as_of >= ? AND as_of <= ? ORDER BY as_of`, since.String(), until.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var asOf, data string
		if err := rows.Scan(&asOf, &data); err != nil {
			return err
		}
		d, _ := model.ParseISODate(asOf)
		if err := decode(d, []byte(data)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ChangesSince returns the changes recorded at or after t, by task.
func (s *DB) ChangesSince(ctx context.Context, t time.Time) (map[int64][]Change, error) {
	return changesSince(ctx, s.db, t)
}

func changesSince(ctx context.Context, q rowQuerier, t time.Time) (map[int64][]Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT task_id, run_id, at, field, old, new FROM task_changes WHERE at >= ? ORDER BY id`, formatTime(t))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Change{}
	for rows.Next() {
		var c Change
		var at sql.NullString
		if err := rows.Scan(&c.TaskID, &c.RunID, &at, &c.Field, &c.Old, &c.New); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out[c.TaskID] = append(out[c.TaskID], c)
	}
	return out, rows.Err()
}

// RecordReport remembers that a report was written.
func (s *DB) RecordReport(ctx context.Context, asOf model.Date, path string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO reports (as_of, written_at, path) VALUES (?, ?, ?)`, asOf.String(), s.now(), path)
	return err
}

// LastReport returns when the previous report was written (zero if none).
func (s *DB) LastReport(ctx context.Context) (time.Time, string, error) {
	var at, path sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT written_at, path FROM reports ORDER BY id DESC LIMIT 1`).Scan(&at, &path)
	if err == sql.ErrNoRows {
		return time.Time{}, "", nil
	}
	return parseTime(at), path.String, err
}

// PreviousReport returns the as-of date of the newest report written for a
// date before the given one, and when it was written (zero if none): the
// start of the reporting period that ends with it.
func (s *DB) PreviousReport(ctx context.Context, before model.Date) (model.Date, time.Time, error) {
	var asOf, at sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT as_of, written_at FROM reports WHERE as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1`, before.String()).Scan(&asOf, &at)
	if err == sql.ErrNoRows {
		return model.Date{}, time.Time{}, nil
	}
	if err != nil {
		return model.Date{}, time.Time{}, err
	}
	d, _ := model.ParseISODate(asOf.String)
	return d, parseTime(at), nil
}
