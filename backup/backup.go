// Package backup copies udrul's SQLite store while it is in use, checks a
// copy before trusting it, puts a copy back in place of the store, keeps a
// folder of nightly copies to a daily and weekly retention, and hands each
// new copy to a configured command (an off-machine copy).
//
// A backup is the database as one consistent snapshot (SQLite's VACUUM
// INTO: a read transaction, so in WAL mode writers go on while it runs),
// checked with PRAGMA integrity_check, compressed with gzip (its header
// records the schema version and when it was taken) and renamed into place
// only when whole.
package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
	"github.com/udrul/udrul/store"
)

// Errors a caller must tell apart.
var (
	// ErrDamaged: the file is not a whole, sound udrul backup.
	ErrDamaged = errors.New("the backup is damaged")
	// ErrNewerSchema: the backup was written by a newer udrul.
	ErrNewerSchema = errors.New("the backup was written by a newer version of udrul")
	// ErrInUse: a running udrul (or another program) has the database open.
	ErrInUse = errors.New("the database is in use")
	// ErrNoSpace: the folder of the database has not room for the backup
	// expanded.
	ErrNoSpace = errors.New("not enough free space")
)

// Info describes a backup.
type Info struct {
	Path          string
	Size          int64 // compressed bytes
	DBSize        int64 // bytes of the database inside
	SchemaVersion int
	Plans, Tasks  int
	Taken         time.Time
	Duration      time.Duration
	// Snapshot is how long the database snapshot (VACUUM INTO) took: the
	// time a read transaction was open on the live database.
	Snapshot time.Duration
	// MissingTriggers are udrul's triggers on the tasks that a database of
	// its schema has and this one lacks (a backup made without one, or one
	// dropped by hand): udrul makes them again when it next opens the
	// database (store.PackTriggers).
	MissingTriggers []string
}

const gzipName = "udrul.db"

// Take writes a verified, compressed backup of db to out. The copy is made
// beside out under a temporary name and renamed to out only when it passed
// its integrity check. An earlier backup at out is replaced; any other
// existing file there (the database itself) is refused with ErrNotABackup.
func Take(ctx context.Context, db *sql.DB, out string) (Info, error) {
	start := time.Now()
	if err := checkOut(ctx, db, out); err != nil {
		return Info{}, err
	}
	dir := filepath.Dir(out)
	removeStale(dir, ".udrul-backup-", start)
	raw, err := os.CreateTemp(dir, ".udrul-backup-*.db")
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	raw.Close()
	defer os.Remove(raw.Name())

	// VACUUM INTO reads one snapshot of the database; in WAL mode it holds
	// no lock a writer waits for.
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, raw.Name()); err != nil {
		return Info{}, fmt.Errorf("backup: copy the database: %w", err)
	}
	snapshot := time.Since(start)
	info, err := check(ctx, raw.Name())
	if err != nil {
		return Info{}, fmt.Errorf("backup: the copy failed its check: %w", err)
	}
	info.Taken = start
	info.Snapshot = snapshot

	tmp, err := os.CreateTemp(dir, ".udrul-backup-*.gz.tmp")
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is there
	if err := compress(raw.Name(), tmp, info); err != nil {
		tmp.Close()
		return Info{}, fmt.Errorf("backup: write %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("backup: write %s: %w", out, err)
	}
	// Read the compressed file back through gzip's checksum before it
	// takes the name.
	if err := readGzip(tmp.Name()); err != nil {
		return Info{}, fmt.Errorf("backup: the written file does not read back: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	syncDir(dir)
	fi, err := os.Stat(out)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	info.Path, info.Size, info.Duration = out, fi.Size(), time.Since(start)
	return info, nil
}

// ErrNotABackup: the file a backup was to replace is not a backup (the
// database itself, its log, the configuration).
var ErrNotABackup = errors.New("a backup replaces only an earlier backup")

// checkOut refuses to write a backup over the database db reads, its log,
// or any existing file that is not a gzip file (an earlier backup is
// replaced).
func checkOut(ctx context.Context, db *sql.DB, out string) error {
	fi, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var seq int
	var name, file string
	if err := db.QueryRowContext(ctx, `PRAGMA database_list`).Scan(&seq, &name, &file); err == nil && file != "" {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			if dbf, err := os.Stat(file + suffix); err == nil && os.SameFile(fi, dbf) {
				what := "the database itself"
				if suffix != "" {
					what = "the database's " + strings.TrimPrefix(suffix, "-") + " file"
				}
				return fmt.Errorf("backup: %w: %s is %s; write the backup to another file", ErrNotABackup, out, what)
			}
		}
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("backup: %w: %s is not a file", ErrNotABackup, out)
	}
	f, err := os.Open(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	head := make([]byte, 2)
	if n, _ := io.ReadFull(f, head); n == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return nil // an earlier backup (gzip): replaced
	}
	return fmt.Errorf("backup: %w: %s exists and is not an earlier backup; udrul replaces only those: write the backup to another file", ErrNotABackup, out)
}

// compress writes the database file at src to w, gzip-compressed, with the
// schema version and time in the gzip header, and syncs w.
func compress(src string, w *os.File, info Info) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	bw := bufio.NewWriterSize(w, 1<<20)
	zw, err := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	if err != nil {
		return err
	}
	zw.Name = gzipName
	zw.ModTime = info.Taken
	zw.Comment = fmt.Sprintf("udrul backup; schema %d; %d plans; %d tasks", info.SchemaVersion, info.Plans, info.Tasks)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return w.Sync()
}

func readGzip(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, zr)
	return err
}

// check opens the database file at path read-only and returns what it
// holds, or an error when it is not a sound udrul database.
func check(ctx context.Context, path string) (Info, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite3", store.FileURI(path)+"?"+q.Encode())
	if err != nil {
		return Info{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var verdict string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return Info{}, fmt.Errorf("%w: not a readable SQLite database (%v)", ErrDamaged, err)
	}
	if verdict != "ok" {
		return Info{}, fmt.Errorf("%w: the integrity check found: %s", ErrDamaged, verdict)
	}
	var info Info
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&info.SchemaVersion); err != nil {
		return Info{}, fmt.Errorf("%w: not a udrul database (no schema version)", ErrDamaged)
	}
	// A trigger or view that udrul's own schema does not have was put
	// there by someone else, and would run (a trigger erasing the
	// history) on udrul's next write.
	if err := foreignObjects(ctx, db); err != nil {
		return Info{}, err
	}
	missing, err := missingTriggers(ctx, db, info.SchemaVersion)
	if err != nil {
		return Info{}, err
	}
	info.MissingTriggers = missing
	// Counts are for the record; a schema without the tables is refused.
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM plans), (SELECT COUNT(*) FROM tasks)`).Scan(&info.Plans, &info.Tasks); err != nil {
		return Info{}, fmt.Errorf("%w: not a udrul database (%v)", ErrDamaged, err)
	}
	if fi, err := os.Stat(path); err == nil {
		info.DBSize = fi.Size()
	}
	return info, nil
}

// foreignObjects fails with ErrDamaged when the database holds a trigger or
// a view that a database made by this udrul's migrations does not hold
// with the same definition (today udrul makes none).
func foreignObjects(ctx context.Context, db *sql.DB) error {
	found, err := triggersAndViews(ctx, db)
	if err != nil {
		return fmt.Errorf("%w: not a readable SQLite database (%v)", ErrDamaged, err)
	}
	if len(found) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "udrul-schema-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ref, err := store.Open(ctx, filepath.Join(dir, "udrul.db"))
	if err != nil {
		return err
	}
	defer ref.Close()
	own, err := triggersAndViews(ctx, ref.SQL())
	if err != nil {
		return err
	}
	for _, o := range found {
		if !slices.Contains(own, o) {
			changed := slices.ContainsFunc(own, func(u schemaObject) bool { return u.kind == o.kind && u.name == o.name })
			return &ForeignObjectError{Kind: o.kind, Name: o.name, Changed: changed}
		}
	}
	return nil
}

// missingTriggers are udrul's triggers on the tasks that a database made
// by this udrul's migrations up to version has, and db lacks (those Open
// makes again, store.PackTriggerNames). A database from before the packed
// tasks (no plan_tasks_packed table) has none to lack, nor one of a newer
// schema (refused anyway).
func missingTriggers(ctx context.Context, db *sql.DB, version int) ([]string, error) {
	var packed bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plan_tasks_packed')`).Scan(&packed); err != nil {
		return nil, fmt.Errorf("%w: not a readable SQLite database (%v)", ErrDamaged, err)
	}
	if !packed || version > store.SchemaVersion() {
		return nil, nil
	}
	have, err := triggersAndViews(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable SQLite database (%v)", ErrDamaged, err)
	}
	if !slices.ContainsFunc(store.PackTriggerNames(), func(name string) bool {
		return !slices.ContainsFunc(have, func(o schemaObject) bool { return o.kind == "trigger" && o.name == name })
	}) {
		return nil, nil // all there (most backups): no schema to compare with
	}
	dir, err := os.MkdirTemp("", "udrul-schema-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ref, err := store.OpenWith(ctx, filepath.Join(dir, "udrul.db"), store.Options{UpTo: version})
	if err != nil {
		return nil, err
	}
	defer ref.Close()
	own, err := triggersAndViews(ctx, ref.SQL())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range store.PackTriggerNames() {
		isOwn := func(o schemaObject) bool { return o.kind == "trigger" && o.name == name }
		if slices.ContainsFunc(own, isOwn) && !slices.ContainsFunc(have, isOwn) {
			out = append(out, name)
		}
	}
	return out, nil
}

// ForeignObjectError is why a database is refused that holds a trigger or
// a view udrul's own schema does not hold (as a freshly migrated database
// has them): it would run, or be read, at udrul's next write. It is
// ErrDamaged (errors.Is), and says which object, for words.
type ForeignObjectError struct {
	Kind string // "trigger" or "view"
	Name string
	// Changed: udrul makes one of that name, defined otherwise.
	Changed bool
}

func (e *ForeignObjectError) Error() string {
	if e.Changed {
		return fmt.Sprintf("%v: not as udrul wrote it: its %s %q is defined otherwise than udrul's", ErrDamaged, e.Kind, e.Name)
	}
	return fmt.Sprintf("%v: not as udrul wrote it: it holds a %s %q, which udrul does not make", ErrDamaged, e.Kind, e.Name)
}

// Unwrap makes the error ErrDamaged.
func (e *ForeignObjectError) Unwrap() error { return ErrDamaged }

type schemaObject struct{ kind, name, sql string }

func triggersAndViews(ctx context.Context, db *sql.DB) ([]schemaObject, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// Expand writes the database held in the backup file (gzip-compressed, or a
// plain SQLite file) to a new temporary file in dir and checks it: its
// integrity, and that its schema is not newer than this udrul's. The caller
// removes the returned file.
func Expand(ctx context.Context, file, dir string) (string, Info, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", Info{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(len(sqliteMagic))
	var r io.Reader = br
	var taken time.Time
	plain := false
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return "", Info{}, fmt.Errorf("%w: %s: %v", ErrDamaged, file, err)
		}
		taken = zr.ModTime
		r = bufio.NewReaderSize(zr, 1<<16)
	case string(head) == sqliteMagic:
		plain = true
	default:
		return "", Info{}, fmt.Errorf("%w: %s is neither a udrul backup (gzip) nor a SQLite database", ErrDamaged, file)
	}
	removeStale(dir, ".udrul-restore-", time.Now())
	tmp, err := os.CreateTemp(dir, ".udrul-restore-*.db")
	if err != nil {
		return "", Info{}, err
	}
	fail := func(err error) (string, Info, error) {
		tmp.Close()
		removeWithSidecars(tmp.Name())
		return "", Info{}, err
	}
	if plain && errors.Is(checkNotOpen(file), ErrInUse) {
		// A database another program has open (and may be writing): its
		// main file and log copied byte by byte need not agree. SQLite
		// reads it as one snapshot, log included.
		tmp.Close()
		if err := snapshot(ctx, file, tmp.Name()); err != nil {
			return fail(fmt.Errorf("%w: %s: not a readable SQLite database (%v)", ErrDamaged, file, err))
		}
		return checkExpanded(ctx, file, tmp.Name(), taken)
	}
	if !plain {
		// What a gzip stream expands to is not known until it ends: the
		// database header says its size, so a backup holding more (a
		// stream of zeros made to fill the disk) is refused at that size,
		// and one the disk has no room for before anything is written.
		size, err := headerSize(r.(*bufio.Reader))
		if err != nil {
			return fail(fmt.Errorf("%w: %s: %v", ErrDamaged, file, err))
		}
		if free, ok := freeSpace(dir); ok && free < uint64(size)+reserve {
			return fail(&NoSpaceError{Dir: dir, File: file, NeedMB: mb(uint64(size) + reserve), FreeMB: mb(free)})
		}
		r = &sized{r: r, left: size, file: file}
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	src := &readErr{r: r}
	if _, err := io.Copy(bw, src); err != nil {
		if src.err != nil { // cut short, altered (checksum, corrupt deflate data) or unreadable
			return fail(fmt.Errorf("%w: %s is cut short or altered (%v)", ErrDamaged, file, src.err))
		}
		return fail(fmt.Errorf("expand %s: %w", file, err))
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if plain {
		// The last transactions of a database in WAL mode may be only
		// in its log beside it (a database kept by a restore, or copied
		// after a crash): without it, the file is an older state.
		if err := withLog(ctx, file, tmp.Name()); err != nil {
			return fail(err)
		}
	}
	return checkExpanded(ctx, file, tmp.Name(), taken)
}

// checkExpanded checks the database expanded from file into tmp, removing
// tmp when it fails.
func checkExpanded(ctx context.Context, file, tmp string, taken time.Time) (string, Info, error) {
	info, err := check(ctx, tmp)
	// Opening a database in WAL mode makes a log and an index beside it,
	// even read-only: they must not be left behind, nor follow the file.
	removeSidecars(tmp)
	if err != nil {
		os.Remove(tmp)
		return "", info, fmt.Errorf("%s: %w", file, err)
	}
	if known := store.SchemaVersion(); info.SchemaVersion > known {
		os.Remove(tmp)
		return "", info, fmt.Errorf("%s: %w (schema version %d; this udrul knows up to %d): upgrade udrul first", file, ErrNewerSchema, info.SchemaVersion, known)
	}
	info.Path, info.Taken = file, taken
	if fi, err := os.Stat(file); err == nil {
		info.Size = fi.Size()
	}
	return tmp, info, nil
}

// withLog copies the write-ahead log (or a rollback journal left by a
// crash) of the database file beside tmp, a copy of file, and lets SQLite
// apply it to tmp. The source is not touched.
func withLog(ctx context.Context, file, tmp string) error {
	copied := false
	for _, suffix := range []string{"-wal", "-journal"} {
		fi, err := os.Stat(file + suffix)
		if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", file+suffix, err)
		}
		if err := copyFile(file+suffix, tmp+suffix); err != nil {
			return fmt.Errorf("read %s: %w", file+suffix, err)
		}
		copied = true
	}
	if !copied {
		return nil
	}
	db, err := sql.Open("sqlite3", store.FileURI(tmp)+"?mode=rw")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// A hot journal is rolled back by the first read; a checkpoint
	// writes the log's transactions into the file.
	for _, q := range []string{`SELECT COUNT(*) FROM sqlite_master`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%w: %s with its log: not a readable SQLite database (%v)", ErrDamaged, file, err)
		}
	}
	if err := db.Close(); err != nil {
		return err
	}
	removeSidecars(tmp)
	return nil
}

// snapshot copies the database at src, which another program may be
// writing, into the empty file dst as one consistent snapshot.
func snapshot(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite3", store.FileURI(src)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dst)
	return err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// removeSidecars removes the log, index and journal SQLite keeps beside the
// database file at path.
func removeSidecars(path string) {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

func removeWithSidecars(path string) {
	os.Remove(path)
	removeSidecars(path)
}

// readErr remembers a read error, to tell a damaged backup from a failed
// write.
// headerSize reads, without taking them, the first 100 bytes the backup
// expands to: a SQLite database's header, which gives its size (page size
// times pages; valid when its version-valid-for number is its change
// counter, as in every database SQLite has written whole, as a backup's).
func headerSize(r *bufio.Reader) (int64, error) {
	h, err := r.Peek(100)
	if err != nil {
		return 0, fmt.Errorf("it holds no SQLite database (%v)", err)
	}
	if string(h[:len(sqliteMagic)]) != sqliteMagic {
		return 0, errors.New("it holds no SQLite database")
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	if pageSize < 512 || pageSize&(pageSize-1) != 0 || pages == 0 || binary.BigEndian.Uint32(h[92:96]) != binary.BigEndian.Uint32(h[24:28]) {
		return 0, errors.New("its database header does not say the database's size")
	}
	return pageSize * pages, nil
}

// NoSpaceError is ErrNoSpace with its figures.
type NoSpaceError struct {
	Dir, File      string
	NeedMB, FreeMB uint64
}

func (e *NoSpaceError) Error() string {
	return fmt.Sprintf("%v in %s to expand %s: it needs %d MB, %d MB are free", ErrNoSpace, e.Dir, e.File, e.NeedMB, e.FreeMB)
}

func (e *NoSpaceError) Unwrap() error { return ErrNoSpace }

// reserve is the room kept free beyond the expanded database (SQLite's
// log and index while it is checked).
const reserve = 16 << 20

func mb(n uint64) uint64 { return (n + 1<<20 - 1) >> 20 }

// sized reads the expanded backup, failing once it gives more than left
// bytes, and if it ends short of them.
type sized struct {
	r    io.Reader
	left int64
	file string
}

func (s *sized) Read(p []byte) (int, error) {
	if s.left == 0 {
		// At the database's end the stream must end too (gzip checks its
		// checksum there).
		var one [1]byte
		_, err := io.ReadFull(s.r, one[:])
		if err == nil {
			return 0, fmt.Errorf("%w: %s holds more than the database its header describes", ErrDamaged, s.file)
		}
		return 0, err
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if err == io.EOF && s.left > 0 {
		return n, fmt.Errorf("%w: %s ends before the database its header describes", ErrDamaged, s.file)
	}
	return n, err
}

type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// Verify checks a backup file without restoring it: it expands it into a
// temporary file in os.TempDir and checks it.
func Verify(ctx context.Context, file string) (Info, error) {
	tmp, info, err := Expand(ctx, file, os.TempDir())
	if err != nil {
		return info, err
	}
	os.Remove(tmp)
	return info, nil
}

// staleAfter is the age at which a temporary file of a backup or restore
// was left by a process that was killed (or a machine that stopped): no
// backup or restore takes that long.
const staleAfter = time.Hour

// removeStale removes the temporary files (named prefix…, with SQLite's
// -wal and -shm beside them) that a killed backup or restore left in dir,
// once they are staleAfter old: each is a copy of the whole database.
func removeStale(dir, prefix string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) >= staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// FileName is the name of a backup taken at t: udrul-backup-2026-11-25T023000.db.gz,
// in t's time zone.
func FileName(t time.Time) string {
	return "udrul-backup-" + t.Format(nameLayout) + ".db.gz"
}

const nameLayout = "2006-01-02T150405"

// parseName returns the time in a backup's file name, read in loc.
func parseName(name string, loc *time.Location) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, "udrul-backup-")
	if !ok {
		return time.Time{}, false
	}
	s, ok = strings.CutSuffix(s, ".db.gz")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(nameLayout, s, loc)
	return t, err == nil
}

// ReplacedName is where Restore keeps the database it replaces:
// udrul.db.replaced-20261125T2300.
func ReplacedName(dbPath string, t time.Time) string {
	return dbPath + ".replaced-" + t.Format("20060102T1504")
}
