package analysis

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
)

// The model of an unchanged program is kept in the user's cache folder,
// keyed on everything that could change it: the analyzed files' contents,
// the dependencies' versions (or contents, for dependencies that are not
// immutable module-cache copies: vendored, replaced by a local folder), the
// go toolchain, the build settings, the algorithm and the decompose binary
// itself. A changed file changes the key, so a cached model is never stale.

// cacheVersion changes when the key's recipe changes.
const cacheVersion = "decompose-model-cache-2"

// listed is what the key needs from go list about one package.
type listed struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	CgoFiles   []string
	OtherFiles []string
	EmbedFiles []string
	TestGoFiles,
	XTestGoFiles []string
	Module *struct {
		Path, Version, Dir, GoMod string
		Main                      bool
		Replace                   *struct{ Path, Version, Dir string }
	}
	DepOnly bool
}

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

// ComputeKey is CacheKey, with what the key read.
func ComputeKey(ctx context.Context, cfg Config, algo string) (*Key, error) {
	start := time.Now()
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return nil, err
	}
	env := cfg.environ()
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	patterns = ws.expand(dir, patterns)
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Dir,Standard,GoFiles,CgoFiles,OtherFiles,EmbedFiles,TestGoFiles,XTestGoFiles,Module,DepOnly"}
	if len(cfg.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(cfg.Tags, ","))
	}
	if cfg.Tests {
		args = append(args, "-test")
	}
	out, err := goCmd(ctx, dir, env, append(args, patterns...)...)
	if err != nil {
		return nil, err
	}
	goEnv, err := goCmd(ctx, dir, env, "env", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOMODCACHE")
	if err != nil {
		return nil, err
	}
	modCache := strings.TrimSpace(lastLine(string(goEnv)))

	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\nalgo=%s tags=%v tests=%v patterns=%q dir=%s\n", cacheVersion, cache.BinaryID(), goEnv, algo, cfg.Tags, cfg.Tests, patterns, dir)
	dec := json.NewDecoder(bytes.NewReader(out))
	var files []string
	var roots map[string][]string // with tests, the variants differ
	if !cfg.Tests {
		roots = map[string][]string{}
	}
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		switch {
		case p.Standard:
			fmt.Fprintf(h, "std %s\n", p.ImportPath) // the toolchain version covers it
		case p.Module != nil && p.Module.Version != "" && p.Module.Replace == nil && inside(modCache, p.Dir):
			fmt.Fprintf(h, "mod %s %s@%s\n", p.ImportPath, p.Module.Path, p.Module.Version)
		default:
			if roots != nil && !p.DepOnly {
				roots[p.ImportPath] = goFiles(p.Dir, p.GoFiles, p.CgoFiles)
			}
			fmt.Fprintf(h, "src %s %s\n", p.ImportPath, p.Dir)
			for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.OtherFiles, p.EmbedFiles, p.TestGoFiles, p.XTestGoFiles} {
				for _, f := range list {
					files = append(files, filepath.Join(p.Dir, f))
				}
			}
			if p.Module != nil && p.Module.GoMod != "" {
				files = append(files, p.Module.GoMod)
			}
		}
	}
	for _, f := range []string{"go.work", "go.work.sum"} {
		if ws.work {
			files = append(files, filepath.Join(ws.root, f))
		}
	}
	for _, m := range ws.modules {
		files = append(files, filepath.Join(ws.root, m.Dir, "go.sum"), filepath.Join(ws.root, m.Dir, "vendor", "modules.txt"))
	}
	sort.Strings(files)
	files = slices.Compact(files)
	stamps := make([]stamp, 0, len(files))
	for _, f := range files {
		stamps = append(stamps, hashFile(h, f))
	}
	stamps = withFolders(stamps)
	writeHint(hintPath(cfg, algo, dir, patterns), stamps)
	return &Key{Sum: hex.EncodeToString(h.Sum(nil)), start: start, stamps: stamps, roots: roots}, nil
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

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func inside(dir, path string) bool {
	return dir != "" && strings.HasPrefix(path, dir+string(filepath.Separator))
}

// hashFile adds a file's name and the hash of its contents (or its
// absence) to h, and returns its stamp as of before it was read.
func hashFile(h io.Writer, path string) stamp {
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
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil {
		fmt.Fprintf(h, "file %s unreadable %v\n", path, err)
		return stamp{Path: path, Size: -2}
	}
	sum := fh.Sum(nil)
	fmt.Fprintf(h, "file %s %x\n", path, sum)
	s.Sum = hex.EncodeToString(sum[:16])
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
	data, err := os.ReadFile(filepath.Join(dir, key+".json"))
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
