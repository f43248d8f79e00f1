package analysis

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
const cacheVersion = "decompose-model-cache-1"

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
	prev := ""
	for _, f := range files {
		if f == prev {
			continue
		}
		prev = f
		hashFile(h, f)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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

// hashFile adds a file's name and contents (or its absence) to h.
func hashFile(h io.Writer, path string) {
	fmt.Fprintf(h, "file %s\n", path)
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(h, "absent\n")
		return
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		fmt.Fprintf(h, "unreadable %v\n", err)
	}
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
