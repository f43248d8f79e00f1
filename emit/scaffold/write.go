package scaffold

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"decompose/emit/outdir"
)

// ManifestName is the file in each context folder that records what
// decompose wrote there: the SHA-256 of every file as written.
const ManifestName = ".decompose-scaffold"

const manifestHeader = "# written by decompose scaffold: the SHA-256 of each file as written; a file whose\n# content differs was edited, and decompose does not replace it without --force\n"

// WriteOptions tune Write.
type WriteOptions struct {
	// Force replaces files edited since they were generated and files
	// decompose did not write, and writes into context folders that
	// decompose did not create.
	Force bool
}

// Report says what Write did. Paths are slash-separated, from the output
// folder.
type Report struct {
	Created   []string
	Updated   []string // generated before, unedited, now with new content
	Unchanged []string
	// Overwritten are edited or foreign files replaced under Force.
	Overwritten []string
	// Skipped are files left as they were.
	Skipped []Skipped
	// Removed are files generated before and no longer, that nobody
	// edited; Kept those that were edited, which are now the user's.
	Removed []string
	Kept    []string
	// Orphans are folders written by decompose scaffold for contexts the
	// plan no longer has; they are left alone.
	Orphans []string
	// Note says in one line what was cleaned up after an interrupted
	// run, or is "".
	Note string
}

// Skipped is a file Write did not replace, and why.
type Skipped struct {
	Path   string
	Reason string
}

// Changed reports whether Write changed any file.
func (r *Report) Changed() bool {
	return len(r.Created)+len(r.Updated)+len(r.Overwritten)+len(r.Removed) > 0
}

// testHookStaged, when set by a test, is called after each context is
// staged; an error it returns fails the run there.
var testHookStaged func(context string) error

type action int

const (
	actCreate action = iota
	actUpdate
	actUnchanged
	actOverwrite
	actSkip
)

type contextPlan struct {
	ctx      Context
	target   string
	exists   bool
	actions  map[string]action
	reasons  map[string]string
	removes  []string
	manifest map[string]string // the new manifest
	changed  bool
}

// Write writes the scaffold into dir, one folder per context. The whole of
// dir is assembled in a staging folder beside it (a copy of hard links,
// with the user's own files), changed there, and swapped in as a whole
// (outdir.Set), so that a failure or an interrupt leaves the old scaffold
// or the new one, never half of one; a lock file in dir keeps a second run
// out. A file is replaced only if its content is what decompose wrote
// there last (recorded in the folder's manifest); an edited file, or one
// decompose did not write, is skipped and reported, unless Force. A
// cancelled ctx stops the run before anything is swapped in.
func Write(ctx context.Context, dir string, s *Scaffold, o WriteOptions) (*Report, error) {
	set, err := outdir.Lock(dir)
	if err != nil {
		return nil, err
	}
	defer set.Unlock()
	rep := &Report{Note: set.Note()}
	var plans []*contextPlan
	changed := false
	for _, c := range s.Contexts {
		cp, err := planContext(dir, c, o, rep)
		if err != nil {
			return nil, err
		}
		plans = append(plans, cp)
		changed = changed || cp.changed
	}
	if changed {
		staging, err := set.Stage()
		if err != nil {
			return nil, err
		}
		for _, cp := range plans {
			if !cp.changed {
				continue
			}
			err := stage(filepath.Join(staging, cp.ctx.Dir), cp)
			if err == nil && testHookStaged != nil {
				err = testHookStaged(cp.ctx.Name)
			}
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				set.Abort(staging)
				return nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			set.Abort(staging)
			return nil, err
		}
		if err := set.Commit(staging); err != nil {
			return nil, err
		}
	}
	for _, cp := range plans {
		for p, a := range cp.actions {
			rel := cp.ctx.Dir + "/" + p
			switch a {
			case actCreate:
				rep.Created = append(rep.Created, rel)
			case actUpdate:
				rep.Updated = append(rep.Updated, rel)
			case actUnchanged:
				rep.Unchanged = append(rep.Unchanged, rel)
			case actOverwrite:
				rep.Overwritten = append(rep.Overwritten, rel)
			case actSkip:
				rep.Skipped = append(rep.Skipped, Skipped{rel, cp.reasons[p]})
			}
		}
	}
	rep.Orphans = orphans(dir, s)
	for _, l := range [][]string{rep.Created, rep.Updated, rep.Unchanged, rep.Overwritten, rep.Removed, rep.Kept} {
		sort.Strings(l)
	}
	sort.Slice(rep.Skipped, func(i, j int) bool { return rep.Skipped[i].Path < rep.Skipped[j].Path })
	return rep, nil
}

// planContext decides what happens to every file of one context folder.
func planContext(dir string, c Context, o WriteOptions, rep *Report) (*contextPlan, error) {
	cp := &contextPlan{
		ctx: c, target: filepath.Join(dir, c.Dir),
		actions: map[string]action{}, reasons: map[string]string{}, manifest: map[string]string{},
	}
	st, err := os.Lstat(cp.target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("%s: %v", cp.target, unwrapPath(err))
	case !st.IsDir():
		return nil, fmt.Errorf("%s exists and is not a folder", cp.target)
	default:
		cp.exists = true
	}
	recorded := map[string]string{}
	if cp.exists {
		m, found, err := readManifest(filepath.Join(cp.target, ManifestName))
		if err != nil {
			return nil, err
		}
		recorded = m
		if !found && !o.Force {
			entries, err := os.ReadDir(cp.target)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", cp.target, unwrapPath(err))
			}
			if len(entries) > 0 {
				return nil, fmt.Errorf("%s is not empty and was not written by decompose scaffold (use --force to write into it)", cp.target)
			}
		}
	}
	paths := make([]string, 0, len(c.Files))
	for p := range c.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := noLink(cp.target, p); err != nil {
			return nil, err
		}
		want := c.Files[p]
		full := filepath.Join(cp.target, filepath.FromSlash(p))
		sum := hash(want)
		fi, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			cp.actions[p] = actCreate
			cp.manifest[p] = sum
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", full, unwrapPath(err))
		}
		if !fi.Mode().IsRegular() {
			cp.actions[p], cp.reasons[p] = actSkip, "is not a regular file"
			if h, ok := recorded[p]; ok {
				cp.manifest[p] = h
			}
			continue
		}
		cur, err := os.ReadFile(full)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", full, unwrapPath(err))
		}
		h, ok := recorded[p]
		switch {
		case bytes.Equal(cur, want):
			cp.actions[p] = actUnchanged
			cp.manifest[p] = sum
		case ok && hash(cur) == h:
			cp.actions[p] = actUpdate
			cp.manifest[p] = sum
		case o.Force:
			cp.actions[p] = actOverwrite
			cp.manifest[p] = sum
		case ok:
			cp.actions[p], cp.reasons[p] = actSkip, "edited since it was generated"
			cp.manifest[p] = h
		default:
			cp.actions[p], cp.reasons[p] = actSkip, "not written by decompose"
		}
	}
	var stale []string
	for p := range recorded {
		if _, ok := c.Files[p]; !ok {
			stale = append(stale, p)
		}
	}
	sort.Strings(stale)
	for _, p := range stale {
		if err := noLink(cp.target, p); err != nil {
			return nil, err
		}
		full := filepath.Join(cp.target, filepath.FromSlash(p))
		cur, err := os.ReadFile(full)
		if err != nil {
			continue // gone already, or not a file: forget it
		}
		if hash(cur) == recorded[p] {
			cp.removes = append(cp.removes, p)
			rep.Removed = append(rep.Removed, c.Dir+"/"+p)
		} else {
			rep.Kept = append(rep.Kept, c.Dir+"/"+p)
		}
	}
	for _, a := range cp.actions {
		if a == actCreate || a == actUpdate || a == actOverwrite {
			cp.changed = true
		}
	}
	if len(cp.removes) > 0 || !sameManifest(recorded, cp.manifest) {
		cp.changed = true
	}
	return cp, nil
}

// noLink refuses a path under a folder that is a symbolic link: the
// staged copy keeps the link, and writing or removing through it would
// reach outside the scaffold.
func noLink(target, p string) error {
	link, err := outdir.ParentLink(target, p)
	if err != nil {
		return err
	}
	if link != "" {
		return fmt.Errorf("%s is a symbolic link; decompose scaffold does not write through links (remove it)", link)
	}
	return nil
}

func sameManifest(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// stage changes the staged copy of one context folder, at to: the
// generated files written (never through a hard link to the current
// file), stale ones removed, and the new manifest.
func stage(to string, cp *contextPlan) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return fmt.Errorf("stage %s: %v", cp.ctx.Dir, unwrapPath(err))
	}
	paths := make([]string, 0, len(cp.actions))
	for p := range cp.actions {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		a := cp.actions[p]
		if a != actCreate && a != actUpdate && a != actOverwrite {
			continue
		}
		full := filepath.Join(to, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("stage %s: %v", p, unwrapPath(err))
		}
		if err := outdir.WriteNew(full, cp.ctx.Files[p]); err != nil {
			return err
		}
	}
	for _, p := range cp.removes {
		full := filepath.Join(to, filepath.FromSlash(p))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("stage %s: %v", p, unwrapPath(err))
		}
		// drop the folders this left empty
		for d := filepath.Dir(full); d != to && strings.HasPrefix(d, to); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	return writeManifest(filepath.Join(to, ManifestName), cp.manifest)
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// readManifest reads a manifest: "<sha256>  <path>" lines, # comments.
func readManifest(path string) (map[string]string, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, p, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || strings.TrimSpace(p) == "" {
			return nil, false, fmt.Errorf("%s:%d: not a manifest line (want \"<sha256>  <path>\")", path, n)
		}
		p = strings.TrimSpace(p)
		if err := outdir.ValidPath(p); err != nil {
			return nil, false, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		out[p] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, false, fmt.Errorf("read %s: %v", path, err)
	}
	return out, true, nil
}

func writeManifest(path string, m map[string]string) error {
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(manifestHeader)
	for _, p := range paths {
		b.WriteString(m[p] + "  " + p + "\n")
	}
	return outdir.WriteNew(path, []byte(b.String()))
}

// orphans are the folders in dir that decompose scaffold wrote for
// contexts the plan does not have.
func orphans(dir string, s *Scaffold) []string {
	known := map[string]bool{}
	for _, n := range s.All {
		known[n] = true
	}
	for _, c := range s.Contexts {
		known[c.Dir] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || known[e.Name()] || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), ManifestName)); err == nil {
			out = append(out, e.Name())
		}
	}
	return out
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
