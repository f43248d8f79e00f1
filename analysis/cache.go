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
}

// CacheKey computes the key of the model Analyze(cfg, algo) would build. It
// costs one go list and a read of the files that are not in the module
// cache.
func CacheKey(ctx context.Context, cfg Config, algo string) (string, error) {
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return "", err
	}
	env := cfg.environ()
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	patterns = ws.expand(dir, patterns)
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Dir,Standard,GoFiles,CgoFiles,OtherFiles,EmbedFiles,TestGoFiles,XTestGoFiles,Module"}
	if len(cfg.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(cfg.Tags, ","))
	}
	if cfg.Tests {
		args = append(args, "-test")
	}
	out, err := goCmd(ctx, dir, env, append(args, patterns...)...)
	if err != nil {
		return "", err
	}
	goEnv, err := goCmd(ctx, dir, env, "env", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOMODCACHE")
	if err != nil {
		return "", err
	}
	modCache := strings.TrimSpace(lastLine(string(goEnv)))

	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\nalgo=%s tags=%v tests=%v patterns=%q dir=%s\n", cacheVersion, cache.BinaryID(), goEnv, algo, cfg.Tags, cfg.Tests, patterns, dir)
	dec := json.NewDecoder(bytes.NewReader(out))
	var files []string
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return "", fmt.Errorf("go list: %v", err)
		}
		switch {
		case p.Standard:
			fmt.Fprintf(h, "std %s\n", p.ImportPath) // the toolchain version covers it
		case p.Module != nil && p.Module.Version != "" && p.Module.Replace == nil && inside(modCache, p.Dir):
			fmt.Fprintf(h, "mod %s %s@%s\n", p.ImportPath, p.Module.Path, p.Module.Version)
		default:
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
	writeHint(hintPath(cfg, algo, dir, patterns), stamps)
	return hex.EncodeToString(h.Sum(nil)), nil
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

func writeHint(path string, stamps []stamp) {
	if path == "" {
		return
	}
	// the folders of the files, too: a file added to one changes the
	// names in it
	dirs := map[string]bool{}
	for _, s := range stamps {
		dirs[filepath.Dir(s.Path)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			s := stampOf(d, st)
			s.Size = 0 // a folder's size says nothing
			s.Sum = namesSum(d)
			stamps = append(stamps, s)
		}
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
		case st.IsDir():
			if st.ModTime().UnixNano() != s.MTime && namesSum(s.Path) != s.Sum {
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
