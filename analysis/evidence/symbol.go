package evidence

import (
	"sort"
	"strconv"
	"strings"

	"decompose/analysis/model"
)

// Symbols maps function names, as the Go runtime writes them into
// profiles, to the declarations of a model.
//
// A declaration ID is "pkgpath.Name" or "pkgpath.Type.Method"; all init
// functions of a package share "pkgpath.init", and code in function
// literals belongs to the declaration around it. A runtime name is the
// package path (its last element's dots escaped as %2e), then the
// function: "F", "T.M" or "(*T).M" for a method, followed for code
// inside a function literal by the closure's suffixes (".func1",
// ".func1.2", ".gowrap1", ".deferwrap1", "-range1"), for a method value
// by "-fm", and for an instance of a generic function by its type
// arguments in brackets ("G[...]", "(*T[...]).M"). Package main is
// written "main", whatever its path.
type Symbols struct {
	ids   map[string]int32
	list  []string
	pkgs  map[string]bool
	mains []string
	// main is the main package that "main." names, when the profile is
	// known to be of one
	main string
	// cache of resolved names: index, or -1 for none
	cache map[string]int32
}

// NewSymbols indexes the declarations of a model. mains are the import
// paths of its main packages, which the runtime names "main".
func NewSymbols(decls []model.Decl, mains []string) *Symbols {
	s := &Symbols{ids: make(map[string]int32, len(decls)), pkgs: map[string]bool{}, cache: map[string]int32{}}
	sorted := make([]string, 0, len(decls))
	for _, d := range decls {
		sorted = append(sorted, d.ID)
		s.pkgs[d.Package] = true
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		if _, dup := s.ids[id]; dup {
			continue
		}
		s.ids[id] = int32(len(s.list))
		s.list = append(s.list, id)
	}
	s.mains = append([]string(nil), mains...)
	sort.Strings(s.mains)
	return s
}

// packages is the set of the model's package paths.
func (s *Symbols) packages() map[string]bool { return s.pkgs }

// ID returns the declaration ID of an index returned by Lookup.
func (s *Symbols) ID(i int32) string { return s.list[i] }

// Len is the number of declarations indexed.
func (s *Symbols) Len() int { return len(s.list) }

// withMain returns a copy of s that reads "main." as the main package
// path (no copy when that is already so).
func (s *Symbols) withMain(path string) *Symbols {
	if s.main == path {
		return s
	}
	c := *s
	c.main = path
	c.cache = map[string]int32{}
	return &c
}

// Resolve returns the declaration a runtime function name belongs to, or
// "" when it is none of the model's.
func (s *Symbols) Resolve(name string) string {
	if i := s.Lookup(name); i >= 0 {
		return s.list[i]
	}
	return ""
}

// Lookup is Resolve by index: -1 for none.
func (s *Symbols) Lookup(name string) int32 {
	if i, ok := s.cache[name]; ok {
		return i
	}
	i := s.lookup(name)
	s.cache[name] = i
	return i
}

func (s *Symbols) lookup(name string) int32 {
	pkg, rest, ok := SplitName(name)
	if !ok {
		return -1
	}
	if pkg == "main" {
		if s.main != "" {
			return s.inPackage(s.main, rest)
		}
		// the only main package that declares it
		found := int32(-1)
		for _, m := range s.mains {
			if i := s.inPackage(m, rest); i >= 0 {
				if found >= 0 {
					return -1 // ambiguous
				}
				found = i
			}
		}
		return found
	}
	if i := s.inPackage(pkg, rest); i >= 0 {
		return i
	}
	// a vendored copy is its import path below the vendor folder
	if j := strings.LastIndex(pkg, "/vendor/"); j >= 0 {
		return s.inPackage(pkg[j+len("/vendor/"):], rest)
	}
	if strings.HasPrefix(pkg, "vendor/") {
		return s.inPackage(pkg[len("vendor/"):], rest)
	}
	return -1
}

// inPackage resolves the function part of a name (generic arguments
// removed) within the package path.
func (s *Symbols) inPackage(pkg string, fn []string) int32 {
	if len(fn) == 0 {
		return -1
	}
	first := fn[0]
	if first == "init" || first == "glob" {
		// init, init.0, init.func1, and closures in package-level
		// initialisers (glob..func1 before Go 1.22)
		if i, ok := s.ids[pkg+".init"]; ok {
			return i
		}
		if first == "init" {
			return -1
		}
	}
	if strings.HasPrefix(first, "(*") && strings.HasSuffix(first, ")") {
		first = first[2 : len(first)-1]
	}
	if len(fn) > 1 {
		if i, ok := s.ids[pkg+"."+first+"."+fn[1]]; ok {
			return i // a method
		}
	}
	if i, ok := s.ids[pkg+"."+first]; ok {
		// a function, or a type whose method the model does not list
		// (a promoted method's wrapper, an interface method expression)
		return i
	}
	return -1
}

// SplitName splits a runtime function name into its package path and the
// dot-separated parts of the rest, with type arguments in brackets, the
// suffixes after a hyphen ("-fm", "-range1") and the escapes of the path
// removed: "example.com/shop/checkout.(*Service).Place.func1" gives
// "example.com/shop/checkout" and ["(*Service)", "Place", "func1"]. The
// compiler's equality and hash functions of a type ("type:.eq.pkg.T")
// give the type's package and name.
func SplitName(name string) (pkg string, rest []string, ok bool) {
	name = stripBrackets(name)
	for _, p := range []string{"type:.eq.", "type:.hash.", "type..eq.", "type..hash."} {
		if strings.HasPrefix(name, p) {
			name = name[len(p):]
			break
		}
	}
	if name == "" || strings.HasPrefix(name, "type:") || strings.HasPrefix(name, "type..") || strings.HasPrefix(name, "go:") {
		return "", nil, false
	}
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return "", nil, false
	}
	dot += slash + 1
	pkg = unescapePath(name[:dot])
	parts := strings.Split(name[dot+1:], ".")
	for i, p := range parts {
		if j := strings.IndexByte(p, '-'); j >= 0 {
			parts[i] = p[:j]
		}
	}
	// "(*T).M" splits into "(*T)" and "M" already; a receiver written
	// with a dot inside the parentheses cannot happen once brackets are
	// gone
	return pkg, parts, pkg != ""
}

// stripBrackets removes every bracketed part, nested brackets included:
// the type arguments of a generic instance, which may hold package paths
// with dots and slashes of their own.
func stripBrackets(name string) string {
	if strings.IndexByte(name, '[') < 0 {
		return name
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapePath undoes the linker's escaping of a package path in symbol
// names: %xx for a byte, used for the dots of the last element and for
// unusual characters.
func unescapePath(p string) string {
	if strings.IndexByte(p, '%') < 0 {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			if v, err := strconv.ParseUint(p[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
