package scaffold

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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

// test hooks: failures between staging and moving into place
var (
	testHookStaged func(context string) error
	testHookSwap   func(context string) error
)

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

// Write writes the scaffold into dir, one folder per context. Each context
// folder is assembled in full in a temporary folder (with the user's own
// files carried over), then moved into place, so that a failure leaves the
// old folder or nothing, never half a scaffold. A file is replaced only if
// its content is what decompose wrote there last (recorded in the folder's
// manifest); an edited file, or one decompose did not write, is skipped
// and reported, unless Force.
func Write(dir string, s *Scaffold, o WriteOptions) (*Report, error) {
	rep := &Report{}
	st, err := os.Stat(dir)
	createdDir := false
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("output folder %s: %v", dir, unwrapPath(err))
		}
		createdDir = true
	case err != nil:
		return nil, fmt.Errorf("output folder %s: %v", dir, unwrapPath(err))
	case !st.IsDir():
		return nil, fmt.Errorf("output folder %s is a file", dir)
	}
	var staging, old string
	fail := func(err error) (*Report, error) {
		if staging != "" {
			os.RemoveAll(staging)
		}
		if old != "" {
			os.RemoveAll(old)
		}
		if createdDir {
			os.Remove(dir) // only if still empty
		}
		return nil, err
	}
	var plans []*contextPlan
	for _, c := range s.Contexts {
		cp, err := planContext(dir, c, o, rep)
		if err != nil {
			return fail(err)
		}
		plans = append(plans, cp)
	}
	staging, err = os.MkdirTemp(dir, ".decompose-tmp-")
	if err != nil {
		return fail(fmt.Errorf("output folder %s is not writable: %v", dir, unwrapPath(err)))
	}
	defer os.RemoveAll(staging)
	for _, cp := range plans {
		if !cp.changed {
			continue
		}
		if err := stage(filepath.Join(staging, cp.ctx.Dir), cp); err != nil {
			return fail(err)
		}
		if testHookStaged != nil {
			if err := testHookStaged(cp.ctx.Name); err != nil {
				return fail(err)
			}
		}
	}
	old, err = os.MkdirTemp(dir, ".decompose-old-")
	if err != nil {
		return fail(fmt.Errorf("output folder %s is not writable: %v", dir, unwrapPath(err)))
	}
	defer os.RemoveAll(old)
	// move into place, undoing every move if one fails
	type move struct{ target, saved string }
	var done []move
	undo := func() {
		for i := len(done) - 1; i >= 0; i-- {
			mv := done[i]
			os.RemoveAll(mv.target)
			if mv.saved != "" {
				os.Rename(mv.saved, mv.target)
			}
		}
	}
	for _, cp := range plans {
		if !cp.changed {
			continue
		}
		mv := move{target: cp.target}
		if testHookSwap != nil {
			if err := testHookSwap(cp.ctx.Name); err != nil {
				undo()
				return fail(err)
			}
		}
		if cp.exists {
			mv.saved = filepath.Join(old, cp.ctx.Dir)
			if err := os.Rename(cp.target, mv.saved); err != nil {
				undo()
				return fail(fmt.Errorf("move %s aside: %v", cp.target, unwrapPath(err)))
			}
		}
		if err := os.Rename(filepath.Join(staging, cp.ctx.Dir), cp.target); err != nil {
			if mv.saved != "" {
				os.Rename(mv.saved, cp.target)
			}
			undo()
			return fail(fmt.Errorf("move %s into place: %v", cp.target, unwrapPath(err)))
		}
		done = append(done, mv)
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

// stage assembles the new context folder at to: the current folder's
// files (hard links where possible), with the generated files written,
// stale ones removed, and the new manifest.
func stage(to string, cp *contextPlan) error {
	if cp.exists {
		if err := replicate(cp.target, to); err != nil {
			return err
		}
	} else if err := os.MkdirAll(to, 0o755); err != nil {
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
		// a hard link shares the old file: replace it, never write through
		os.Remove(full)
		if err := os.WriteFile(full, cp.ctx.Files[p], 0o644); err != nil {
			return fmt.Errorf("stage %s: %v", p, unwrapPath(err))
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

// replicate copies the tree at from to to: folders, hard links of regular
// files (copies where links fail), symbolic links. The manifest is left
// out; stage writes a new one.
func replicate(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %v", p, unwrapPath(err))
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("read %s: %v", p, unwrapPath(err))
		}
		switch {
		case d.IsDir():
			if err := os.MkdirAll(dst, info.Mode().Perm()|0o700); err != nil {
				return fmt.Errorf("stage %s: %v", rel, unwrapPath(err))
			}
		case rel == ManifestName:
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return fmt.Errorf("read %s: %v", p, unwrapPath(err))
			}
			if err := os.Symlink(target, dst); err != nil {
				return fmt.Errorf("stage %s: %v", rel, unwrapPath(err))
			}
		case info.Mode().IsRegular():
			if os.Link(p, dst) != nil {
				if err := copyFile(p, dst, info.Mode().Perm()); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s is not a file, folder or link; move it out of the scaffold", p)
		}
		return nil
	})
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("read %s: %v", from, unwrapPath(err))
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("stage %s: %v", to, unwrapPath(err))
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("stage %s: %v", to, err)
	}
	return nil
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
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %v", path, unwrapPath(err))
	}
	return nil
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
