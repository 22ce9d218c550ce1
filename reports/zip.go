package reports

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"io/fs"
)

// parallelZip is the workbook's zip, each part deflated a chunk at a time
// on every core: the chunks of 1 MB are compressed apart, each ended by a
// sync flush (the last one by the final block), and joined in order into
// one deflate stream (as pigz does; a chunk's matches do not reach into
// the one before, which costs well under 1 % of the file). The deflate, a
// third of the workbook's time, is shared by the cores. The deflater is
// the zip.Writer's compressor: the zip keeps the checksum, the sizes and
// the data descriptor itself.
type parallelZip struct {
	zw  *zip.Writer
	cur io.Writer
	// splice are rows to put into sheet parts (see rowFile), by part
	// name; spliced is the part taking its rows, as excelize wrote it.
	splice  map[string]io.Reader
	rows    io.Reader
	spliced *bytes.Buffer
	name    string
}

func newParallelZip(out io.Writer) *parallelZip {
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return newDeflater(w), nil })
	return &parallelZip{zw: zw}
}

// Create starts the part name, ending the one before.
func (z *parallelZip) Create(name string) (io.Writer, error) {
	if err := z.end(); err != nil {
		return nil, err
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return nil, err
	}
	z.cur = w
	if rows, ok := z.splice[name]; ok {
		// excelize's part is the sheet without its rows after the header
		// (a few kilobytes): kept until it ends, the rows put in.
		delete(z.splice, name)
		z.rows, z.spliced, z.name = rows, &bytes.Buffer{}, name
		return z.spliced, nil
	}
	return w, nil
}

// AddFS adds the files of fsys.
func (z *parallelZip) AddFS(fsys fs.FS) error {
	if err := z.end(); err != nil {
		return err
	}
	return z.zw.AddFS(fsys)
}

// Close ends the last part and the zip.
func (z *parallelZip) Close() error {
	if err := z.end(); err != nil {
		return err
	}
	for name := range z.splice {
		// A table's rows, and its sheet not in the workbook.
		return fmt.Errorf("the workbook has no part %s for its rows", name)
	}
	return z.zw.Close()
}

// end puts the rows into the part that takes them (the zip.Writer ends
// the part itself, at the next Create or Close).
func (z *parallelZip) end() error {
	if z.spliced == nil {
		return nil
	}
	b := z.spliced.Bytes()
	z.spliced = nil
	// Text in a sheet's XML is escaped: the first "</sheetData>" is the
	// end of its rows.
	i := bytes.Index(b, []byte("</sheetData>"))
	if i < 0 {
		return fmt.Errorf("the sheet %s has no place for its rows", z.name)
	}
	if _, err := z.cur.Write(b[:i]); err != nil {
		return err
	}
	if _, err := io.Copy(z.cur, z.rows); err != nil {
		return fmt.Errorf("read the report's rows: %w", err)
	}
	_, err := z.cur.Write(b[i:])
	return err
}

// compressors are deflate's compressors, kept for the next chunk (each
// holds about a megabyte of tables; a sync.Pool loses them at every
// collection).
var compressors = make(chan *flate.Writer, inFlight)

const (
	chunkSize = 1 << 20
	inFlight  = 4 // chunks compressed or waiting to be written
)

// deflater deflates one part's data in chunks, on goroutines, and writes
// them in order to out.
type deflater struct {
	out     io.Writer
	buf     []byte             // the chunk being filled
	pending chan chan deflated // in order
	done    chan struct{}
	err     error // the writing goroutine's, read after done
}

type deflated struct {
	b   []byte
	err error
}

func newDeflater(out io.Writer) *deflater {
	d := &deflater{out: out, pending: make(chan chan deflated, inFlight), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		for res := range d.pending {
			r := <-res
			if d.err != nil {
				continue
			}
			if d.err = r.err; d.err == nil {
				_, d.err = out.Write(r.b)
			}
		}
	}()
	return d
}

// Write adds p to the part.
func (d *deflater) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if d.buf == nil {
			d.buf = make([]byte, 0, chunkSize)
		}
		k := min(len(p), chunkSize-len(d.buf))
		d.buf = append(d.buf, p[:k]...)
		p = p[k:]
		if len(d.buf) == chunkSize {
			d.flush(false)
		}
	}
	return n, nil
}

// flush hands the chunk to a goroutine to compress.
func (d *deflater) flush(final bool) {
	chunk := d.buf
	d.buf = nil
	res := make(chan deflated, 1)
	d.pending <- res
	go func() {
		var b bytes.Buffer
		b.Grow(len(chunk) / 4)
		var fw *flate.Writer
		select {
		case fw = <-compressors:
		default:
			fw, _ = flate.NewWriter(nil, flate.DefaultCompression)
		}
		fw.Reset(&b)
		_, err := fw.Write(chunk)
		if err == nil {
			if final {
				err = fw.Close()
			} else {
				err = fw.Flush()
			}
		}
		fw.Reset(nil)
		select {
		case compressors <- fw:
		default:
		}
		res <- deflated{b.Bytes(), err}
	}()
}

// Close compresses the rest and waits for the part to be written.
func (d *deflater) Close() error {
	d.flush(true)
	close(d.pending)
	<-d.done
	return d.err
}
