package state

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// fileOps are the calls that write to the file system: the index of the
// path argument, and whether they make temporary files.
var fileOps = map[string]struct {
	path int
	temp bool
	verb string
}{
	"os.Create":           {0, false, "writes a file"},
	"os.WriteFile":        {0, false, "writes a file"},
	"os.OpenFile":         {0, false, "writes a file"},
	"os.Mkdir":            {0, false, "creates a directory"},
	"os.MkdirAll":         {0, false, "creates a directory"},
	"os.Rename":           {0, false, "renames a file"},
	"os.Remove":           {0, false, "removes a file"},
	"os.RemoveAll":        {0, false, "removes a file"},
	"os.Truncate":         {0, false, "truncates a file"},
	"os.Symlink":          {1, false, "links a file"},
	"os.Link":             {1, false, "links a file"},
	"os.CreateTemp":       {0, true, "creates a temporary file"},
	"os.MkdirTemp":        {0, true, "creates a temporary directory"},
	"io/ioutil.WriteFile": {0, false, "writes a file"},
	"io/ioutil.TempFile":  {0, true, "creates a temporary file"},
	"io/ioutil.TempDir":   {0, true, "creates a temporary directory"},
}

// writeFlags are the os.OpenFile flags that open a file for writing.
const writeFlags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREATE | os.O_TRUNC

// fileWrites reports writes to the local file system. Opening a file for
// reading is not reported; os.OpenFile is reported when its flags are a
// constant that asks for writing, or are not constant.
func (p *pass) fileWrites() {
	p.each(func(fn *ssa.Function, instr ssa.Instruction) {
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			return
		}
		c := call.Common()
		f := calleeFunc(c)
		if f == nil || f.Pkg() == nil || receiverArg(c) != nil {
			return
		}
		name := f.Pkg().Path() + "." + f.Name()
		op, ok := fileOps[name]
		if !ok {
			return
		}
		maybe := ""
		if name == "os.OpenFile" && len(c.Args) > 1 {
			flags, isConst := constInt(c.Args[1])
			if isConst && flags&int64(writeFlags) == 0 {
				return // read-only
			}
			if !isConst {
				maybe = " with flags not known statically"
			}
		}
		fd := p.siteFinding(FileWrite, fn, instr)
		fd.Object = strings.TrimPrefix(name, "io/")
		fd.Variant = VariantPersist
		target := "path computed at run time"
		if op.path < len(c.Args) {
			arg := c.Args[op.path]
			if s, ok := constString(arg); ok {
				fd.Detail = s
				target = fmt.Sprintf("%q", s)
				if op.temp && s == "" {
					target = "in the temporary directory"
				}
			}
			if op.temp || isTempPath(arg) {
				fd.Variant = VariantTemp
			}
		}
		fd.Message = fmt.Sprintf("%s in %s %s on the local disk: %s%s", fd.Object, shortName(fd.Decl), op.verb, target, maybe)
		if fd.Variant == VariantTemp {
			fd.Remedy = "none within one invocation (mind the temporary directory's size limit); object storage for files kept after it"
		}
		p.add(fd)
	})
}

// isTempPath reports paths in the temporary directory: a constant under
// /tmp, os.TempDir(), or a join that starts with either.
func isTempPath(v ssa.Value) bool {
	if s, ok := constString(v); ok {
		return s == "/tmp" || strings.HasPrefix(s, "/tmp/")
	}
	if ex, ok := v.(*ssa.Extract); ok {
		if call, ok := ex.Tuple.(*ssa.Call); ok {
			f := calleeFunc(&call.Call)
			return isFunc(f, "os", "CreateTemp", "MkdirTemp") || isFunc(f, "io/ioutil", "TempFile", "TempDir")
		}
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	f := calleeFunc(&call.Call)
	switch {
	case isFunc(f, "os", "TempDir"):
		return true
	case isMethod(f, "os", "File", "Name") && len(call.Call.Args) == 1:
		return isTempPath(call.Call.Args[0]) // a temporary file's own name
	case isFunc(f, "path/filepath", "Join") || isFunc(f, "path", "Join"):
		// filepath.Join(os.TempDir(), ...) passes a slice built from
		// stores into an array: look at its first element.
		if first := firstVariadic(call.Call.Args); first != nil {
			return isTempPath(first)
		}
	}
	return false
}

// firstVariadic returns the first value of a variadic slice argument.
func firstVariadic(args []ssa.Value) ssa.Value {
	if len(args) == 0 {
		return nil
	}
	sl, ok := args[len(args)-1].(*ssa.Slice)
	if !ok {
		return nil
	}
	refs := sl.X.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		if i, ok := constInt(ia.Index); !ok || i != 0 {
			continue
		}
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				return st.Val
			}
		}
	}
	return nil
}
