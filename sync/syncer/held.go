package syncer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/udrul/udrul/model"
)

// Held plans: between reading a plan and applying it, a cycle holds the
// parsed plan as one byte slice (its strings and numbers one after the
// other), about a fifth of the memory of the parsed structures, and nothing
// the garbage collector has to scan. Decoding takes every string from one
// copy of the slice.
//
// Why not encoding/gob: measured side by side (BenchmarkHeld, 600 plans of
// 200 tasks encoded and decoded, BENCHMARKS.md, 2026-11-26), gob with an
// Encoder and a Decoder per plan (held plans are read back one at a time,
// in any order, so a stream's once-sent types cannot be shared) took 3.8
// times the CPU (0.58 s against 0.15 s: about 6 % of a first sync's CPU
// more, the encoding on the one goroutine that gathers the reads), 268
// times the allocations (every string its own; here they share one), and
// 19 % more bytes, so fewer plans fit the hold budget; it also turns an
// empty slice into nil.
//
// Every field of model.Plan, model.Task and what they hold is encoded; the
// test TestHeldPlan_roundTrip fills every field by reflection, so a field
// added to the model without being added here fails it.

// encodePlan encodes a parsed plan.
func encodePlan(p *model.Plan) []byte {
	scratch := encodeBufs.Get().(*[]byte)
	e := encoder{buf: slices.Grow((*scratch)[:0], 64+len(p.Tasks)*96)}
	defer func() { *scratch = e.buf[:0]; encodeBufs.Put(scratch) }()
	e.str(p.File)
	md := &p.Metadata
	e.str(md.Municipality)
	e.str(md.Solution)
	e.str(md.Wave)
	e.str(md.Health)
	if md.Extra == nil {
		e.count(-1)
	} else {
		e.count(len(md.Extra))
		for k, v := range md.Extra {
			e.str(k)
			e.str(v)
		}
	}
	e.origin(md.MunicipalityFrom)
	e.origin(md.SolutionFrom)
	if p.Tasks == nil {
		e.count(-1)
	} else {
		e.count(len(p.Tasks))
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		e.pos(t.Pos)
		e.str(t.Step)
		e.str(t.ID)
		e.str(t.Title)
		e.str(t.Responsible)
		e.str(t.Performer)
		e.date(t.Start)
		e.date(t.End)
		e.written(t.StartAs)
		e.written(t.EndAs)
		e.str(string(t.Status))
		e.str(t.RawStatus)
		e.str(t.Health)
		e.str(t.Notes)
		if t.After == nil {
			e.count(-1)
		} else {
			e.count(len(t.After))
			for _, a := range t.After {
				e.str(a)
			}
		}
	}
	if p.Issues == nil {
		e.count(-1)
	} else {
		e.count(len(p.Issues))
	}
	for i := range p.Issues {
		is := &p.Issues[i]
		e.pos(is.Pos)
		e.str(string(is.Severity))
		e.str(is.Code)
		e.str(is.Message)
		e.str(is.Link)
	}
	return bytes.Clone(e.buf)
}

// encodeBufs are the buffers plans are encoded in, before the encoding is
// copied at its size (30 MB of a first sync's allocations of 600 plans when
// each plan's grew its own).
var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

type encoder struct{ buf []byte }

func (e *encoder) int(n int)         { e.buf = binary.AppendVarint(e.buf, int64(n)) }
func (e *encoder) count(n int)       { e.buf = binary.AppendUvarint(e.buf, uint64(n+1)) } // 0: nil
func (e *encoder) str(s string)      { e.buf = append(binary.AppendUvarint(e.buf, uint64(len(s))), s...) }
func (e *encoder) date(d model.Date) { e.int(d.Year); e.int(int(d.Month)); e.int(d.Day) }
func (e *encoder) pos(p model.Pos)   { e.str(p.Sheet); e.int(p.Row); e.str(p.Cell) }

func (e *encoder) origin(o model.Origin) {
	e.str(o.Kind)
	e.pos(o.Pos)
	e.str(o.Text)
}

func (e *encoder) written(w model.Written) {
	e.str(w.Text)
	e.str(string(w.Precision))
	if w.YearAssumed {
		e.int(1)
	} else {
		e.int(0)
	}
}

var errHeld = errors.New("a held plan is damaged")

// decodePlan decodes a plan encoded by encodePlan.
func decodePlan(b []byte) (*model.Plan, error) {
	d := decoder{s: string(b)} // one copy: every string is a part of it
	p := &model.Plan{}
	p.File = d.str()
	md := &p.Metadata
	md.Municipality, md.Solution, md.Wave, md.Health = d.str(), d.str(), d.str(), d.str()
	if n := d.count(); n >= 0 {
		md.Extra = make(map[string]string, n)
		for range n {
			k := d.str()
			md.Extra[k] = d.str()
		}
	}
	md.MunicipalityFrom, md.SolutionFrom = d.origin(), d.origin()
	if n := d.count(); n >= 0 {
		p.Tasks = make([]model.Task, n)
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		t.Pos = d.pos()
		t.Step, t.ID, t.Title, t.Responsible, t.Performer = d.str(), d.str(), d.str(), d.str(), d.str()
		t.Start, t.End = d.date(), d.date()
		t.StartAs, t.EndAs = d.written(), d.written()
		t.Status = model.Status(d.str())
		t.RawStatus, t.Health, t.Notes = d.str(), d.str(), d.str()
		if n := d.count(); n >= 0 {
			t.After = make([]string, n)
			for k := range t.After {
				t.After[k] = d.str()
			}
		}
	}
	if n := d.count(); n >= 0 {
		p.Issues = make([]model.Issue, n)
	}
	for i := range p.Issues {
		is := &p.Issues[i]
		is.Pos = d.pos()
		is.Severity = model.Severity(d.str())
		is.Code, is.Message, is.Link = d.str(), d.str(), d.str()
	}
	if d.bad || d.i != len(d.s) {
		return nil, errHeld
	}
	return p, nil
}

type decoder struct {
	s   string
	i   int
	bad bool
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	var shift uint
	for d.i < len(d.s) {
		c := d.s[d.i]
		d.i++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
		if shift > 63 {
			break
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) int() int {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return int(x)
}

// count returns a length, or -1 for nil.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.i)+1 {
		d.bad = true
		return -1
	}
	return int(n) - 1
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.i) {
		d.bad = true
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *decoder) date() model.Date {
	y := d.int()
	m := d.int()
	return model.Date{Year: y, Month: time.Month(m), Day: d.int()}
}

func (d *decoder) pos() model.Pos {
	sheet := d.str()
	row := d.int()
	return model.Pos{Sheet: sheet, Row: row, Cell: d.str()}
}

func (d *decoder) origin() model.Origin {
	kind := d.str()
	pos := d.pos()
	return model.Origin{Kind: kind, Pos: pos, Text: d.str()}
}

func (d *decoder) written() model.Written {
	text := d.str()
	prec := model.Precision(d.str())
	return model.Written{Text: text, Precision: prec, YearAssumed: d.int() != 0}
}

// heldSize is the memory a held plan takes.
func heldSize(b []byte) int64 { return int64(cap(b)) + int64(unsafe.Sizeof(b)) }

// parsedSize estimates the memory a plan takes decoded from kept: its
// tasks and issues, and the one string all their strings are part of.
func parsedSize(p *model.Plan, kept []byte) int64 {
	return int64(len(p.Tasks))*int64(unsafe.Sizeof(model.Task{})) + int64(len(p.Issues))*int64(unsafe.Sizeof(model.Issue{})) + int64(len(kept))
}

// keeper holds a cycle's parsed plans between reading and applying: in
// memory up to the hold budget, the rest in a temporary file, removed when
// the cycle ends.
type keeper struct {
	held int64 // the memory of the plans kept in memory
	file *os.File
	off  int64
}

// spilled is a plan set aside in the keeper's file.
type spilled struct {
	file     *os.File
	off, len int64
}

// spill moves rr's encoded plan to the keeper's file.
func (k *keeper) spill(rr *readResult) error {
	if k.file == nil {
		f, err := os.CreateTemp("", "udrul-sync-*.tmp")
		if err != nil {
			return err
		}
		// Gone from the folder at once where the system allows it: the
		// file lives only as long as the cycle holds it open.
		os.Remove(f.Name())
		k.file = f
	}
	if _, err := k.file.WriteAt(rr.kept, k.off); err != nil {
		return err
	}
	rr.spill = &spilled{file: k.file, off: k.off, len: int64(len(rr.kept))}
	k.off += int64(len(rr.kept))
	rr.kept = nil
	return nil
}

// read reads the plan back.
func (s *spilled) read() ([]byte, error) {
	b := make([]byte, s.len)
	if _, err := s.file.ReadAt(b, s.off); err != nil {
		return nil, fmt.Errorf("read back a plan set aside in %s: %w", s.file.Name(), err)
	}
	return b, nil
}

// close removes the keeper's file.
func (k *keeper) close() {
	if k.file != nil {
		k.file.Close()
		os.Remove(k.file.Name())
	}
}
