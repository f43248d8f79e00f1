package analysis

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"decompose/analysis/cache"
	"decompose/analysis/model"

	"golang.org/x/tools/go/packages"
)

// The model of an unchanged program is kept in the user's cache folder,
// keyed on everything that could change it: the analyzed files' contents,
// the dependencies' versions (or contents, for dependencies that are not
// immutable module-cache copies: vendored, replaced by a local folder), the
// go toolchain, the build settings, the algorithm and the decompose binary
// itself. A changed file changes the key, so a cached model is never stale.

// cacheVersion changes when the key's recipe changes.
const cacheVersion = "decompose-model-cache-3"

// CacheKey computes the key of the model Analyze(cfg, algo) would build. It
// costs one go list and a read of the files that are not in the module
// cache.
func CacheKey(ctx context.Context, cfg Config, algo string) (string, error) {
	k, err := ComputeKey(ctx, cfg, algo)
	if err != nil {
		return "", err
	}
	return k.Sum, nil
}

// Key is a cache key and what it read.
type Key struct {
	// Sum is the key.
	Sum    string
	start  time.Time
	stamps []stamp // the files, then their folders
	// roots are the Go files of each package the patterns match, as
	// the go command listed them; nil with tests.
	roots map[string][]string
}

// racy tells a file whose modification time is too close to the first
// read of the key or the load, at first, to tell whether it changed before
// that read or after: file times lag the clock by up to a tick (a few
// milliseconds on Linux), and some file systems keep whole seconds (two,
// on FAT), as a time with no fraction of a second suggests.
func racy(mtime int64, first time.Time) bool {
	margin := 50 * time.Millisecond
	if mtime%int64(time.Second) == 0 {
		margin = 2 * time.Second
	}
	return mtime >= first.Add(-margin).UnixNano()
}

// Describes tells whether a model whose load started at loadStart, parsed
// the Go files in parsed (path → the Sum of their contents, as
// Program.Parsed holds them) and found the packages and Go files in files
// (Program.Files), is the model of the files the key read: no file the
// key read has changed since, nor the names in their folders; each file
// that changed shortly before the first of the key and the load read it
// is a Go file the load parsed with the contents the key hashed; and the
// load found the packages and Go files the key listed. A model the key
// does not describe must not be stored under it: a file saved, added or
// removed while decompose runs would have the model of the files before
// served for the files after.
func (k *Key) Describes(loadStart time.Time, parsed map[string]string, files map[string][]string) bool {
	if k.roots != nil {
		if len(files) != len(k.roots) {
			return false
		}
		for p, fs := range files {
			if !slices.Equal(fs, k.roots[p]) {
				return false
			}
		}
	}
	first := k.start
	if loadStart.Before(first) {
		first = loadStart
	}
	for _, s := range k.stamps {
		st, err := os.Stat(s.Path)
		switch {
		case s.Size == -1:
			if err == nil {
				return false // an absent file appeared
			}
			continue
		case err != nil || s.Size < 0:
			return false
		case s.Dir:
			if !st.IsDir() || namesSum(s.Path) != s.Sum {
				return false
			}
		case st.IsDir() || st.Size() != s.Size || st.ModTime().UnixNano() != s.MTime:
			return false
		case racy(s.MTime, first) && parsed[s.Path] != s.Sum:
			return false
		}
	}
	return true
}

// listedPackage is what the key needs of one package, as the go command
// listed it: the same whether the key lists the program itself
// (ComputeKey) or takes the listing the load made (KeyOf), so that both
// give one key for one program.
type listedPackage struct {
	path, dir string
	files     []string // Go files, cgo's included, as absolute paths
	embeds    []string // embedded files, as absolute paths
	tests     []string // test files, with tests only
	module    *packages.Module
	dep       bool // only a dependency of the packages the patterns match
}

// Listing is the go command's listing of a loaded program and the
// contents of the files the load parsed: KeyOf computes the cache key
// from it without listing the program again.
type Listing struct {
	start  time.Time // when the load started
	pkgs   []listedPackage
	parsed map[string]string // path → Sum of the contents parsed
}

// listingOf is the listing of the packages go/packages loaded (roots, and
// their dependencies through their imports), without tests.
func listingOf(start time.Time, roots []*packages.Package, parsed map[string]string) *Listing {
	l := &Listing{start: start, parsed: parsed}
	isRoot := map[*packages.Package]bool{}
	for _, p := range roots {
		isRoot[p] = true
	}
	seen := map[*packages.Package]bool{}
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		l.pkgs = append(l.pkgs, listedPackage{
			path:   p.PkgPath,
			dir:    p.Dir,
			files:  p.GoFiles,
			embeds: p.EmbedFiles,
			module: p.Module,
			dep:    !isRoot[p],
		})
		for _, q := range p.Imports {
			visit(q)
		}
	}
	for _, p := range roots {
		visit(p)
	}
	return l
}

// KeyOf is ComputeKey for a program already loaded, from the listing the
// load made (Config.Listed): it lists nothing again, and takes the
// contents of the files the load parsed as it parsed them.
func KeyOf(ctx context.Context, cfg Config, algo string, l *Listing) (*Key, error) {
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return nil, err
	}
	return keyOf(ctx, cfg, algo, dir, ws, l)
}

// ComputeKey is CacheKey, with what the key read.
func ComputeKey(ctx context.Context, cfg Config, algo string) (*Key, error) {
	start := time.Now()
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return nil, err
	}
	// the fields go/packages asks for too; -pgo=off as it does, so that
	// no package is listed twice for the profiles of two programs
	args := []string{"list", "-e", "-deps", "-pgo=off", "-json=ImportPath,Dir,GoFiles,CgoFiles,EmbedFiles,TestGoFiles,XTestGoFiles,Module,DepOnly"}
	if len(cfg.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(cfg.Tags, ","))
	}
	if cfg.Tests {
		args = append(args, "-test")
	}
	out, err := goCmd(ctx, dir, cfg.environ(), append(args, keyPatterns(cfg, dir, ws)...)...)
	if err != nil {
		return nil, err
	}
	l := &Listing{start: start}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Dir string
			GoFiles, CgoFiles, EmbedFiles,
			TestGoFiles, XTestGoFiles []string
			Module  *packages.Module
			DepOnly bool
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		lp := listedPackage{
			path:   p.ImportPath,
			dir:    p.Dir,
			files:  goFiles(p.Dir, p.GoFiles, p.CgoFiles),
			embeds: goFiles(p.Dir, p.EmbedFiles),
			module: p.Module,
			dep:    p.DepOnly,
		}
		if cfg.Tests {
			lp.tests = goFiles(p.Dir, p.TestGoFiles, p.XTestGoFiles)
		}
		l.pkgs = append(l.pkgs, lp)
	}
	return keyOf(ctx, cfg, algo, dir, ws, l)
}

func keyPatterns(cfg Config, dir string, ws *workspace) []string {
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	return ws.expand(dir, patterns)
}

// keyOf computes the key of a listed program. A package of the toolchain
// is known by the toolchain's version, one of the
// module cache by its module's version (those copies are read-only); any
// other by the contents of its files: the analyzed packages, and those
// vendored or replaced by a local folder. Test files count only with
// tests: the model of a program without them never reads them.
func keyOf(ctx context.Context, cfg Config, algo, dir string, ws *workspace, l *Listing) (*Key, error) {
	goEnv, err := goCmd(ctx, dir, cfg.environ(), "env", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOMODCACHE", "GOROOT")
	if err != nil {
		return nil, err
	}
	env := strings.Split(strings.TrimRight(string(goEnv), "\n"), "\n")
	if len(env) != 8 {
		return nil, fmt.Errorf("go env: %d values for 8 variables", len(env))
	}
	modCache, goroot := env[6], env[7]

	patterns := keyPatterns(cfg, dir, ws)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\nalgo=%s tags=%v tests=%v patterns=%q dir=%s\n", cacheVersion, cache.BinaryID(), goEnv, algo, cfg.Tags, cfg.Tests, patterns, dir)
	pkgs := slices.Clone(l.pkgs)
	slices.SortFunc(pkgs, func(a, b listedPackage) int {
		return cmp.Or(strings.Compare(a.path, b.path), strings.Compare(a.dir, b.dir))
	})
	var files []string
	var roots map[string][]string // with tests, the variants differ
	if !cfg.Tests {
		roots = map[string][]string{}
	}
	std := filepath.Join(goroot, "src")
	for _, p := range pkgs {
		m := p.module
		switch {
		case m == nil && inside(std, p.dir):
			// the toolchain's version covers it; which of its packages
			// the program needs follows from the files hashed (the go
			// command lists the ones a main package links as well,
			// go/packages only those imported)
		case m != nil && m.Version != "" && m.Replace == nil && inside(modCache, p.dir):
			fmt.Fprintf(h, "mod %s %s@%s\n", p.path, m.Path, m.Version)
		default:
			if roots != nil && !p.dep {
				roots[p.path] = slices.Sorted(slices.Values(p.files))
			}
			fmt.Fprintf(h, "src %s %s\n", p.path, p.dir)
			files = append(files, p.files...)
			files = append(files, p.embeds...)
			files = append(files, p.tests...)
			if m != nil && m.GoMod != "" {
				files = append(files, m.GoMod)
			}
		}
	}
	if ws.work {
		files = append(files, filepath.Join(ws.root, "go.work"), filepath.Join(ws.root, "go.work.sum"))
	}
	for _, m := range ws.modules {
		files = append(files, filepath.Join(ws.root, m.Dir, "go.sum"), filepath.Join(ws.root, m.Dir, "vendor", "modules.txt"))
	}
	sort.Strings(files)
	files = slices.Compact(files)
	stamps := make([]stamp, 0, len(files))
	fh := newFileHasher()
	for _, f := range files {
		if sum, ok := l.parsed[f]; ok {
			stamps = append(stamps, parsedStamp(h, f, sum))
		} else {
			stamps = append(stamps, fh.hash(h, f))
		}
	}
	stamps = withFolders(stamps)
	writeHint(hintPath(cfg, algo, dir, patterns), stamps)
	return &Key{Sum: hex.EncodeToString(h.Sum(nil)), start: l.start, stamps: stamps, roots: roots}, nil
}

// goFiles is the sorted union of lists of file names in dir, as paths.
func goFiles(dir string, lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, f := range l {
			out = append(out, filepath.Join(dir, f))
		}
	}
	sort.Strings(out)
	return out
}

// The files a key read, as they were, are kept for the next key of the
// same settings: FilesChanged tells from their sizes, modification times
// and hashes, mostly at the cost of a stat each, whether the cached model
// is likely to serve. It is a hint, never a key: the key alone says
// whether a cached model serves.

// stamp is a file's size and modification time, and the start of the
// hash of its contents; Size is -1 for a file that did not exist. A
// folder's Sum hashes the names in it.
type stamp struct {
	Path  string `json:"p"`
	Size  int64  `json:"s"`
	MTime int64  `json:"m"`
	Sum   string `json:"h,omitempty"`
	Dir   bool   `json:"d,omitempty"`
}

func stampOf(path string, st os.FileInfo) stamp {
	return stamp{Path: path, Size: st.Size(), MTime: st.ModTime().UnixNano()}
}

// hintPath is where the stamps of the last key for these settings are
// kept; "" when there is no cache folder.
func hintPath(cfg Config, algo, dir string, patterns []string) string {
	cdir, err := cache.Dir()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\n%s\nalgo=%s tags=%v tests=%v patterns=%q dir=%s\n", cacheVersion, cache.BinaryID(), algo, cfg.Tags, cfg.Tests, patterns, dir))
	return filepath.Join(cdir, "hints", hex.EncodeToString(sum[:16])+".json")
}

// withFolders adds the stamps of the files' folders: a file added to one
// changes the names in it.
func withFolders(stamps []stamp) []stamp {
	dirs := map[string]bool{}
	for _, s := range stamps {
		dirs[filepath.Dir(s.Path)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			s := stampOf(d, st)
			s.Size = 0 // a folder's size says nothing
			s.Sum = namesSum(d)
			s.Dir = true
			stamps = append(stamps, s)
		}
	}
	return stamps
}

func writeHint(path string, stamps []stamp) {
	if path == "" {
		return
	}
	data, err := json.Marshal(stamps)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	cache.WriteFile(path, data)
}

// FilesChanged tells whether a file that the last CacheKey of the same
// settings read has changed since, or a file was added to or removed from
// their folders; true as well when there is no such record. It costs a
// stat per file, and a read of those whose size or modification time
// changed (a checkout that puts back the same contents), no go command: a
// caller can start loading the program at once when the cached model will
// likely not serve, and otherwise compute the key first.
func FilesChanged(ctx context.Context, cfg Config, algo string) bool {
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return true
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	path := hintPath(cfg, algo, dir, ws.expand(dir, patterns))
	if path == "" {
		return true
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return true
	}
	var stamps []stamp
	if err := json.Unmarshal(data, &stamps); err != nil || len(stamps) == 0 {
		return true
	}
	for _, s := range stamps {
		st, err := os.Stat(s.Path)
		switch {
		case err != nil:
			if s.Size != -1 {
				return true
			}
		case s.Dir || st.IsDir():
			if !s.Dir || !st.IsDir() || st.ModTime().UnixNano() != s.MTime && namesSum(s.Path) != s.Sum {
				return true
			}
		case s.Sum == "" || st.Size() != s.Size:
			return true
		case st.ModTime().UnixNano() != s.MTime && contentSum(s.Path) != s.Sum:
			return true
		}
	}
	return false
}

func inside(dir, path string) bool {
	return dir != "" && strings.HasPrefix(path, dir+string(filepath.Separator))
}

// fileHasher hashes files one after another with one buffer and one
// digest: a vendored program's key reads thousands of small files, and a
// buffer and a digest each was a good part of reading them.
type fileHasher struct {
	buf    []byte
	digest hash.Hash
}

func newFileHasher() *fileHasher {
	return &fileHasher{buf: make([]byte, 32<<10), digest: sha256.New()}
}

// hash adds a file's name and the hash of its contents (or its absence)
// to h, and returns its stamp as of before it was read.
func (fh *fileHasher) hash(h io.Writer, path string) stamp {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(h, "file %s absent\n", path)
		return stamp{Path: path, Size: -1}
	}
	defer f.Close()
	s := stamp{Path: path, Size: -2} // never matches a stat
	if st, err := f.Stat(); err == nil {
		s = stampOf(path, st)
	}
	fh.digest.Reset()
	// the Reader alone, so that the copy goes through the buffer
	if _, err := io.CopyBuffer(fh.digest, struct{ io.Reader }{f}, fh.buf); err != nil {
		fmt.Fprintf(h, "file %s unreadable %v\n", path, err)
		return stamp{Path: path, Size: -2}
	}
	s.Sum = hex.EncodeToString(fh.digest.Sum(nil)[:16])
	fmt.Fprintf(h, "file %s %s\n", path, s.Sum)
	return s
}

// parsedStamp adds a file the load parsed to h, by the Sum of the contents
// it parsed, and returns its stamp as of now, with that Sum: the key
// describes what the model was built from, even if the file changed since:
// a later key hashes the new contents.
func parsedStamp(h io.Writer, path, sum string) stamp {
	fmt.Fprintf(h, "file %s %s\n", path, sum)
	st, err := os.Stat(path)
	if err != nil {
		return stamp{Path: path, Size: -2} // never matches a stat
	}
	s := stampOf(path, st)
	s.Sum = sum
	return s
}

// namesSum is the Sum of a stamp for the folder at path now: the hash of
// the names in it; "" when it cannot be read.
func namesSum(path string) string {
	names, err := os.ReadDir(path)
	if err != nil {
		return ""
	}
	fh := sha256.New()
	for _, n := range names {
		fmt.Fprintf(fh, "%s\x00", n.Name())
	}
	return hex.EncodeToString(fh.Sum(nil)[:16])
}

// SourceSum is the Sum of a stamp for a file with these contents.
func SourceSum(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:16])
}

// contentSum is the Sum of a stamp for the file at path now; "" when it
// cannot be read.
func contentSum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil {
		return ""
	}
	return hex.EncodeToString(fh.Sum(nil)[:16])
}

// ReadCachedModel returns the cached model for key, or nil when there is
// none (or it cannot be read: the cache is an optimisation, never a
// reason to fail).
func ReadCachedModel(key string) *model.Model {
	dir, err := cache.Dir()
	if err != nil {
		return nil
	}
	data, err := cache.ReadFile(filepath.Join(dir, key+".json"))
	if err != nil {
		return nil
	}
	var m model.Model
	if err := json.Unmarshal(data, &m); err != nil || m.Schema != model.ModelSchema {
		return nil
	}
	return &m
}

// WriteCachedModel stores m under key, atomically; failures are ignored
// for the same reason.
func WriteCachedModel(key string, m *model.Model) {
	dir, err := cache.Dir()
	if err != nil {
		return
	}
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	cache.WriteFile(filepath.Join(dir, key+".json"), data)
}
