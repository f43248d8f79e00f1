package evidence

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/google/pprof/profile"
)

// Profile is a pprof profile as read: its sample types, period and
// duration, its functions and locations, and its samples (a location list
// and values each), kept compact. It does not depend on any model; map it
// to one with Attribute.
type Profile struct {
	SampleTypes   []ValueType
	PeriodType    ValueType
	Period        int64
	DurationNanos int64
	TimeNanos     int64

	strings []string
	// functions: ID → name (string index)
	funcIDs   []uint64
	funcNames []int64
	// locations: ID and the function IDs of its lines, innermost first
	locIDs   []uint64
	locLines []uint64 // function IDs of every location, concatenated
	locOff   []int32  // locLines[locOff[i]:locOff[i+1]] for location i
	// samples: location IDs as packed varints, and values
	sampleLocs []byte
	sampleOff  []int
	values     []int64
	nvalues    int // values per sample (checked against SampleTypes)
}

// ValueType is a sample type or the period type: "cpu"/"nanoseconds",
// "samples"/"count".
type ValueType struct{ Type, Unit string }

func (v ValueType) String() string { return v.Type + "/" + v.Unit }

// Samples is the number of samples in the profile.
func (p *Profile) Samples() int { return len(p.sampleOff) }

// Functions is the number of functions the profile names.
func (p *Profile) Functions() int { return len(p.funcIDs) }

// ErrNotPprof is returned (wrapped) for data that is not a profile in
// pprof's format.
var ErrNotPprof = errors.New("not a pprof profile")

// ParseProfile reads a profile in pprof's protocol-buffer format,
// gzip-compressed or not, as go tool pprof and runtime/pprof write it.
// Other formats that go tool pprof reads (the legacy text and binary
// profiles) are read through github.com/google/pprof/profile.
//
// The protocol-buffer form is decoded by a reader of its own, which keeps
// the samples' location lists as they are encoded and decompresses on a
// second goroutine, so that a large profile is read in about the time it
// takes to decompress it.
func ParseProfile(data []byte) (*Profile, error) {
	var p *Profile
	var err error
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, zerr := gzip.NewReader(bytes.NewReader(data))
		if zerr != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotPprof, zerr)
		}
		// the gzip trailer holds the decompressed size (modulo 2³²), by
		// which the samples' storage is sized once; a trailer claiming
		// more than a profile's usual ratio is not believed
		size := 0
		if len(data) >= 8 {
			size = min(int(binary.LittleEndian.Uint32(data[len(data)-4:])), 16*len(data))
		}
		p, err = decodeStream(zr, size)
	} else {
		p, err = decodeStream(bytes.NewReader(data), len(data))
	}
	if err == nil {
		return p, nil
	}
	// a legacy format, or a protocol buffer that the fast reader refused:
	// pprof's own parser decides
	pp, perr := profile.Parse(bytes.NewReader(data))
	if perr != nil {
		if len(data) == 0 {
			return nil, fmt.Errorf("%w: the file is empty", ErrNotPprof)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotPprof, err)
	}
	return FromPprof(pp), nil
}

// FromPprof converts a profile parsed by github.com/google/pprof/profile.
func FromPprof(pp *profile.Profile) *Profile {
	p := &Profile{Period: pp.Period, DurationNanos: pp.DurationNanos, TimeNanos: pp.TimeNanos, strings: []string{""}}
	str := map[string]int64{"": 0}
	intern := func(s string) int64 {
		if i, ok := str[s]; ok {
			return i
		}
		str[s] = int64(len(p.strings))
		p.strings = append(p.strings, s)
		return str[s]
	}
	for _, st := range pp.SampleType {
		p.SampleTypes = append(p.SampleTypes, ValueType{st.Type, st.Unit})
	}
	if pp.PeriodType != nil {
		p.PeriodType = ValueType{pp.PeriodType.Type, pp.PeriodType.Unit}
	}
	for _, f := range pp.Function {
		p.funcIDs = append(p.funcIDs, f.ID)
		p.funcNames = append(p.funcNames, intern(f.Name))
	}
	for _, l := range pp.Location {
		p.locIDs = append(p.locIDs, l.ID)
		p.locOff = append(p.locOff, int32(len(p.locLines)))
		for _, ln := range l.Line {
			if ln.Function != nil {
				p.locLines = append(p.locLines, ln.Function.ID)
			}
		}
	}
	p.locOff = append(p.locOff, int32(len(p.locLines)))
	p.nvalues = len(p.SampleTypes)
	for _, s := range pp.Sample {
		p.sampleOff = append(p.sampleOff, len(p.sampleLocs))
		for _, l := range s.Location {
			p.sampleLocs = appendVarint(p.sampleLocs, l.ID)
		}
		v := make([]int64, p.nvalues)
		copy(v, s.Value)
		p.values = append(p.values, v...)
	}
	return p
}

// The field numbers of profile.proto that are read.
const (
	fProfileSampleType = 1
	fProfileSample     = 2
	fProfileLocation   = 4
	fProfileFunction   = 5
	fProfileString     = 6
	fProfileTime       = 9
	fProfileDuration   = 10
	fProfilePeriodType = 11
	fProfilePeriod     = 12

	wireVarint = 0
	wire64     = 1
	wireBytes  = 2
	wire32     = 5
)

var errMalformed = errors.New("malformed protocol buffer")

// decodeStream decodes the protocol-buffer form from r, which a second
// goroutine reads ahead in large chunks.
// size, the decompressed length if known, sizes the storage of the
// samples' location lists, most of a profile.
func decodeStream(r io.Reader, size int) (*Profile, error) {
	cr := newChunkReader(r)
	defer cr.close()
	p := &Profile{}
	if size > 0 && size < 1<<31 {
		// a sample takes some 50 bytes and more: its offset and two
		// values fit in what is reserved for one per 64 bytes
		p.sampleLocs = make([]byte, 0, size)
		p.sampleOff = make([]int, 0, size/64)
		p.values = make([]int64, 0, size/32)
	}
	var sampleTypes, periodType [][2]int64
	var scratch []byte
	for {
		key, err := cr.varint()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		field, wire := key>>3, key&7
		if wire != wireBytes {
			v, err := cr.skipOrVarint(wire)
			if err != nil {
				return nil, err
			}
			switch field {
			case fProfileTime:
				p.TimeNanos = int64(v)
			case fProfileDuration:
				p.DurationNanos = int64(v)
			case fProfilePeriod:
				p.Period = int64(v)
			}
			continue
		}
		n, err := cr.varint()
		if err != nil {
			return nil, err
		}
		if n > math.MaxInt32 {
			return nil, errMalformed
		}
		if scratch, err = cr.bytes(scratch[:0], int(n)); err != nil {
			return nil, err
		}
		switch field {
		case fProfileSample:
			if err := p.decodeSample(scratch); err != nil {
				return nil, err
			}
		case fProfileLocation:
			if err := p.decodeLocation(scratch); err != nil {
				return nil, err
			}
		case fProfileFunction:
			if err := p.decodeFunction(scratch); err != nil {
				return nil, err
			}
		case fProfileString:
			p.strings = append(p.strings, string(scratch))
		case fProfileSampleType, fProfilePeriodType:
			vt, err := decodeFields12(scratch)
			if err != nil {
				return nil, err
			}
			if field == fProfileSampleType {
				sampleTypes = append(sampleTypes, vt)
			} else {
				periodType = append(periodType, vt)
			}
		}
	}
	p.locOff = append(p.locOff, int32(len(p.locLines)))
	// check every reference and resolve the value types' strings
	str := func(i int64) (string, bool) {
		if i < 0 || i >= int64(len(p.strings)) {
			return "", false
		}
		return p.strings[i], true
	}
	if len(p.strings) == 0 || p.strings[0] != "" {
		return nil, errors.New("the string table does not start with the empty string")
	}
	for _, vt := range sampleTypes {
		t, ok1 := str(vt[0])
		u, ok2 := str(vt[1])
		if !ok1 || !ok2 {
			return nil, errMalformed
		}
		p.SampleTypes = append(p.SampleTypes, ValueType{t, u})
	}
	if len(periodType) > 0 {
		vt := periodType[len(periodType)-1]
		t, ok1 := str(vt[0])
		u, ok2 := str(vt[1])
		if !ok1 || !ok2 {
			return nil, errMalformed
		}
		p.PeriodType = ValueType{t, u}
	}
	if len(p.SampleTypes) == 0 {
		return nil, errors.New("no sample types")
	}
	for _, n := range p.funcNames {
		if _, ok := str(n); !ok {
			return nil, errMalformed
		}
	}
	// every sample has nvalues values (decodeSample holds them equal),
	// which must be one per sample type: none too
	if len(p.sampleOff) > 0 && p.nvalues != len(p.SampleTypes) {
		return nil, fmt.Errorf("samples have %d values for %d sample types", p.nvalues, len(p.SampleTypes))
	}
	p.nvalues = len(p.SampleTypes)
	return p, nil
}

func (p *Profile) decodeSample(b []byte) error {
	p.sampleOff = append(p.sampleOff, len(p.sampleLocs))
	nv := 0
	for len(b) > 0 {
		key, n := uvarint(b)
		if n <= 0 {
			return errMalformed
		}
		b = b[n:]
		field, wire := key>>3, key&7
		switch {
		case field == 1 && wire == wireBytes: // packed location IDs
			l, n := uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errMalformed
			}
			// kept as encoded; a malformed varint ends the stack when read
			p.sampleLocs = append(p.sampleLocs, b[n:n+int(l)]...)
			b = b[n+int(l):]
		case field == 1 && wire == wireVarint:
			v, n := uvarint(b)
			if n <= 0 {
				return errMalformed
			}
			p.sampleLocs = appendVarint(p.sampleLocs, v)
			b = b[n:]
		case field == 2 && wire == wireBytes: // packed values
			l, n := uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errMalformed
			}
			vals := b[n : n+int(l)]
			for len(vals) > 0 {
				v, m := uvarint(vals)
				if m <= 0 {
					return errMalformed
				}
				p.values = append(p.values, int64(v))
				nv++
				vals = vals[m:]
			}
			b = b[n+int(l):]
		case field == 2 && wire == wireVarint:
			v, n := uvarint(b)
			if n <= 0 {
				return errMalformed
			}
			p.values = append(p.values, int64(v))
			nv++
			b = b[n:]
		default:
			var err error
			if b, err = skip(b, wire); err != nil {
				return err
			}
		}
	}
	if p.nvalues == 0 && len(p.sampleOff) == 1 {
		p.nvalues = nv
	}
	if nv != p.nvalues {
		return fmt.Errorf("samples have %d and %d values", p.nvalues, nv)
	}
	return nil
}

func (p *Profile) decodeLocation(b []byte) error {
	var id uint64
	p.locOff = append(p.locOff, int32(len(p.locLines)))
	for len(b) > 0 {
		key, n := uvarint(b)
		if n <= 0 {
			return errMalformed
		}
		b = b[n:]
		field, wire := key>>3, key&7
		switch {
		case field == 1 && wire == wireVarint:
			v, n := uvarint(b)
			if n <= 0 {
				return errMalformed
			}
			id = v
			b = b[n:]
		case field == 4 && wire == wireBytes: // a line
			l, n := uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errMalformed
			}
			line := b[n : n+int(l)]
			b = b[n+int(l):]
			var fn uint64
			for len(line) > 0 {
				k, m := uvarint(line)
				if m <= 0 {
					return errMalformed
				}
				line = line[m:]
				if k>>3 == 1 && k&7 == wireVarint {
					v, m := uvarint(line)
					if m <= 0 {
						return errMalformed
					}
					fn = v
					line = line[m:]
					continue
				}
				var err error
				if line, err = skip(line, k&7); err != nil {
					return err
				}
			}
			if fn != 0 {
				p.locLines = append(p.locLines, fn)
			}
		default:
			var err error
			if b, err = skip(b, wire); err != nil {
				return err
			}
		}
	}
	if id == 0 {
		return errors.New("a location has no ID")
	}
	p.locIDs = append(p.locIDs, id)
	return nil
}

// decodeFunction reads a Function: its ID (field 1) and name (field 2).
func (p *Profile) decodeFunction(b []byte) error {
	f, err := decodeFields12(b)
	if err != nil {
		return err
	}
	if f[0] == 0 {
		return errors.New("a function has no ID")
	}
	p.funcIDs = append(p.funcIDs, uint64(f[0]))
	p.funcNames = append(p.funcNames, f[1])
	return nil
}

// decodeFields12 reads the varint fields 1 and 2 of a message, skipping
// the others: a ValueType's type and unit, a Function's ID and name.
func decodeFields12(b []byte) ([2]int64, error) {
	var vt [2]int64
	for len(b) > 0 {
		key, n := uvarint(b)
		if n <= 0 {
			return vt, errMalformed
		}
		b = b[n:]
		field, wire := key>>3, key&7
		if wire == wireVarint && (field == 1 || field == 2) {
			v, n := uvarint(b)
			if n <= 0 {
				return vt, errMalformed
			}
			vt[field-1] = int64(v)
			b = b[n:]
			continue
		}
		var err error
		if b, err = skip(b, wire); err != nil {
			return vt, err
		}
	}
	return vt, nil
}

// skip drops one field's value of the given wire type from b.
func skip(b []byte, wire uint64) ([]byte, error) {
	switch wire {
	case wireVarint:
		_, n := uvarint(b)
		if n <= 0 {
			return nil, errMalformed
		}
		return b[n:], nil
	case wire64:
		if len(b) < 8 {
			return nil, errMalformed
		}
		return b[8:], nil
	case wire32:
		if len(b) < 4 {
			return nil, errMalformed
		}
		return b[4:], nil
	case wireBytes:
		l, n := uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return nil, errMalformed
		}
		return b[n+int(l):], nil
	}
	return nil, errMalformed
}

// uvarint decodes a varint; n ≤ 0 when b does not hold a whole one.
func uvarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	var x uint64
	var s uint
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		if c < 0x80 {
			return x | uint64(c)<<s, i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return 0, 0
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// chunkReader reads r ahead on its own goroutine, in chunks, so that
// decompression and decoding run at the same time.
type chunkReader struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}
	once   sync.Once
	buf    []byte // the current chunk's unread part
	cur    []byte // the current chunk, to hand back
	err    error
}

type chunk struct {
	b   []byte
	err error
}

const chunkSize = 1 << 20

func newChunkReader(r io.Reader) *chunkReader {
	cr := &chunkReader{chunks: make(chan chunk, 4), free: make(chan []byte, 6), done: make(chan struct{})}
	go func() {
		defer close(cr.chunks)
		for {
			var b []byte
			select {
			case b = <-cr.free:
			default:
				b = make([]byte, chunkSize)
			}
			n, err := io.ReadFull(r, b[:chunkSize])
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			select {
			case cr.chunks <- chunk{b[:n], err}:
			case <-cr.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return cr
}

func (cr *chunkReader) close() { cr.once.Do(func() { close(cr.done) }) }

// fill makes buf non-empty, or returns the reader's error (io.EOF at
// the end).
func (cr *chunkReader) fill() error {
	for len(cr.buf) == 0 {
		if cr.err != nil {
			return cr.err
		}
		if cr.cur != nil {
			select {
			case cr.free <- cr.cur[:cap(cr.cur)]:
			default:
			}
			cr.cur = nil
		}
		c, ok := <-cr.chunks
		if !ok {
			cr.err = io.EOF
			return cr.err
		}
		cr.buf, cr.cur = c.b, c.b
		if c.err != nil && c.err != io.EOF {
			cr.err = fmt.Errorf("%w: %v", ErrNotPprof, c.err)
		} else if c.err == io.EOF {
			cr.err = io.EOF
		}
	}
	return nil
}

// varint reads a varint: io.EOF only when the input ends before it.
func (cr *chunkReader) varint() (uint64, error) {
	if len(cr.buf) >= 10 || (len(cr.buf) > 0 && cr.buf[0] < 0x80) {
		v, n := uvarint(cr.buf)
		if n > 0 {
			cr.buf = cr.buf[n:]
			return v, nil
		}
		if n < 0 {
			return 0, errMalformed
		}
	}
	var x uint64
	var s uint
	for i := 0; ; i++ {
		if err := cr.fill(); err != nil {
			if i > 0 && err == io.EOF {
				return 0, errMalformed
			}
			return 0, err
		}
		if i == 10 {
			return 0, errMalformed
		}
		c := cr.buf[0]
		cr.buf = cr.buf[1:]
		if c < 0x80 {
			return x | uint64(c)<<s, nil
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
}

func (cr *chunkReader) skipOrVarint(wire uint64) (uint64, error) {
	switch wire {
	case wireVarint:
		v, err := cr.varint()
		if err == io.EOF {
			err = errMalformed
		}
		return v, err
	case wire64:
		_, err := cr.bytes(nil, 8)
		return 0, err
	case wire32:
		_, err := cr.bytes(nil, 4)
		return 0, err
	}
	return 0, errMalformed
}

// bytes appends the next n bytes to dst.
func (cr *chunkReader) bytes(dst []byte, n int) ([]byte, error) {
	for n > 0 {
		if err := cr.fill(); err != nil {
			if err == io.EOF {
				return nil, errMalformed
			}
			return nil, err
		}
		k := min(n, len(cr.buf))
		dst = append(dst, cr.buf[:k]...)
		cr.buf = cr.buf[k:]
		n -= k
	}
	return dst, nil
}
