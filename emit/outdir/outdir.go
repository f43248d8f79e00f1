// Package outdir writes artefacts into an output folder without ever
// touching a file the tool did not write.
//
// The folder keeps a manifest of the files written into it. A later run may
// replace those files; any other file is left alone, and a run that would
// replace one fails instead. A folder that exists, is not empty and has no
// manifest is refused unless the caller forces it: it is somebody else's.
package outdir

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ManifestName is the file in which a folder records what was written.
const ManifestName = ".decompose-manifest"

const manifestHeader = "# files written by decompose; it replaces only these\n"

// Dir is an output folder opened for writing. The files a run writes, and
// the removals, are made in a staging copy of the folder that Commit puts
// in place as a whole (see Set): until then the folder is as it was.
type Dir struct {
	set       *Set
	path      string          // as given
	root      string          // absolute, links resolved
	owned     map[string]bool // from the manifest
	written   map[string]bool // by this run
	staging   string
	committed bool
}

// ErrNotOurs reports a folder with other files and no manifest.
var ErrNotOurs = errors.New("is not empty and was not written by decompose (use --force to write into it)")

// Open takes path for writing (Lock), creating it if needed. force allows
// a non-empty folder without a manifest; its files are still never
// replaced. Close releases it.
func Open(path string, force bool) (*Dir, error) {
	set, err := Lock(path)
	if err != nil {
		return nil, err
	}
	d := &Dir{set: set, path: path, root: set.path, written: map[string]bool{}}
	if err := d.open(force); err != nil {
		set.Unlock()
		return nil, err
	}
	return d, nil
}

func (d *Dir) open(force bool) error {
	owned, hasManifest, err := readManifest(filepath.Join(d.root, ManifestName))
	if err != nil {
		return err
	}
	d.owned = owned
	if !hasManifest && !force {
		entries, err := os.ReadDir(d.root)
		if err != nil {
			return fmt.Errorf("output folder %s: %v", d.path, unwrapPath(err))
		}
		for _, e := range entries {
			if e.Name() != LockName {
				return fmt.Errorf("output folder %s %w", d.path, ErrNotOurs)
			}
		}
	}
	// Prove that the new content can be staged beside the folder before
	// any work is done.
	probe, err := os.MkdirTemp(d.set.parent, tmpPrefix+d.set.base+"-")
	if err != nil {
		return fmt.Errorf("output folder %s: cannot stage the new content beside it: %v", d.path, unwrapPath(err))
	}
	os.Remove(probe)
	return nil
}

// Note says in one line what Open cleaned up after an interrupted run, or
// is "".
func (d *Dir) Note() string { return d.set.Note() }

// Close releases the folder. Without a Commit the folder is as it was
// (removed if Open created it).
func (d *Dir) Close() {
	if !d.committed {
		d.set.Abort(d.staging)
	}
	d.set.Unlock()
}

// Path is the folder's path.
func (d *Dir) Path() string { return d.path }

// Write writes name (a slash-separated path inside the folder) into the
// new content. It refuses to replace a file that the manifest does not
// list, and to write through a symbolic link inside the folder.
func (d *Dir) Write(name string, data []byte) error {
	clean, _, err := d.check(name)
	if err != nil {
		return err
	}
	if err := d.stage(); err != nil {
		return err
	}
	if err := hook("write " + clean); err != nil {
		return err
	}
	full := filepath.Join(d.staging, filepath.FromSlash(clean))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("write %s: %v", filepath.Join(d.path, clean), unwrapPath(err))
	}
	if err := writeAtomic(full, data); err != nil {
		return err
	}
	d.written[clean] = true
	return nil
}

func (d *Dir) stage() error {
	if d.staging != "" {
		return nil
	}
	staging, err := d.set.Stage()
	if err != nil {
		return err
	}
	d.staging = staging
	return nil
}

// Commit puts the new content, with its manifest, in place of the folder.
func (d *Dir) Commit() error {
	if err := d.stage(); err != nil {
		return err
	}
	if err := hook("manifest"); err != nil {
		return err
	}
	if err := d.saveManifest(); err != nil {
		return err
	}
	if err := d.set.Commit(d.staging); err != nil {
		d.staging = ""
		return err
	}
	d.committed = true
	return nil
}

// Check reports the first of names that Write would refuse, so that a
// set of files is refused before any of it is written.
func (d *Dir) Check(names []string) error {
	for _, n := range names {
		if _, _, err := d.check(n); err != nil {
			return err
		}
	}
	return nil
}

// check says why name may not be written, or where it goes.
func (d *Dir) check(name string) (clean, full string, err error) {
	clean = filepath.ToSlash(filepath.Clean(name))
	if ValidPath(clean) != nil || filepath.IsAbs(name) || clean == ManifestName || clean == LockName {
		return "", "", fmt.Errorf("invalid output file name %q", name)
	}
	full = filepath.Join(d.root, filepath.FromSlash(clean))
	shown := filepath.Join(d.path, filepath.FromSlash(clean))
	link, err := ParentLink(d.root, clean)
	if err != nil {
		return "", "", err
	}
	if link != "" {
		rel, _ := filepath.Rel(d.root, link)
		return "", "", fmt.Errorf("%s is a symbolic link; decompose does not write through links (remove it)", filepath.Join(d.path, rel))
	}
	fi, err := os.Lstat(full)
	if err == nil && !d.owned[clean] && !d.written[clean] {
		return "", "", fmt.Errorf("%s exists and was not written by decompose; not replacing it", shown)
	}
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", "", fmt.Errorf("%s is a symbolic link; decompose does not write through links (remove it)", shown)
	}
	return clean, full, nil
}

// Prune removes the files the manifest lists that this run did not write
// (a run writes its whole set: they are what an earlier run wrote for
// contexts that are gone), and the folders that leaves empty, and drops
// them from the manifest. It returns them, sorted. A file under a folder
// that is a symbolic link, or that is a folder now, is left, and listed,
// as it is.
func (d *Dir) Prune() ([]string, error) {
	if err := d.stage(); err != nil {
		return nil, err
	}
	if err := hook("prune"); err != nil {
		return nil, err
	}
	var gone []string
	for n := range d.owned {
		if d.written[n] {
			continue
		}
		if link, err := ParentLink(d.staging, n); err != nil || link != "" {
			continue
		}
		full := filepath.Join(d.staging, filepath.FromSlash(n))
		if fi, err := os.Lstat(full); err == nil && fi.IsDir() {
			continue // somebody's folder now
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove %s: %v", full, unwrapPath(err))
		}
		for dir := path.Dir(n); dir != "."; dir = path.Dir(dir) {
			if os.Remove(filepath.Join(d.staging, filepath.FromSlash(dir))) != nil {
				break // not empty
			}
		}
		delete(d.owned, n)
		gone = append(gone, n)
	}
	sort.Strings(gone)
	return gone, nil
}

// Written lists the files this run wrote, sorted.
func (d *Dir) Written() []string {
	out := make([]string, 0, len(d.written))
	for n := range d.written {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (d *Dir) saveManifest() error {
	all := map[string]bool{}
	for n := range d.owned {
		all[n] = true
	}
	for n := range d.written {
		all[n] = true
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(manifestHeader)
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return writeAtomic(filepath.Join(d.staging, ManifestName), []byte(b.String()))
}

func readManifest(path string) (map[string]bool, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	owned := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := ValidPath(line); err != nil {
			return nil, false, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		owned[line] = true
	}
	if err := sc.Err(); err != nil {
		return nil, false, fmt.Errorf("read %s: %v", path, err)
	}
	return owned, true, nil
}

// ValidPath reports why p, a path read from a manifest, could name a file
// outside the manifest's folder: a manifest is a file anyone may edit or
// commit, and the paths in it are replaced and removed. It must be
// slash-separated, relative, clean (no "." or ".." element, no empty one)
// and free of backslashes and control characters, which some systems read
// as separators and a manifest as line breaks.
func ValidPath(p string) error {
	bad := func(why string) error { return fmt.Errorf("path %q %s", p, why) }
	switch {
	case p == "" || p == ".":
		return bad("names no file")
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p) || filepath.VolumeName(p) != "":
		return bad("is absolute")
	case strings.Contains(p, "\\"):
		return bad("holds a backslash")
	case strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return bad("holds a control character")
	case path.Clean(p) != p:
		return bad("is not clean")
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." {
			return bad("leaves its folder")
		}
	}
	return nil
}

// ParentLink returns the first folder on the way from root to rel (a
// ValidPath), root and rel's last element left out, that is a symbolic
// link, or "" if there is none. A link inside an output folder would carry
// writes and removals out of it; root itself is the user's choice.
func ParentLink(root, rel string) (string, error) {
	dir := root
	parts := strings.Split(rel, "/")
	for _, el := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, el)
		fi, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", nil
		case err != nil:
			return "", fmt.Errorf("%s: %v", dir, unwrapPath(err))
		case fi.Mode()&fs.ModeSymlink != 0:
			return dir, nil
		}
	}
	return "", nil
}

// writeAtomic writes through a temporary file in the same folder, so that a
// reader never sees half a file and a failure leaves the old one.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".decompose-tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %v", path, unwrapPath(err))
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %v", path, unwrapPath(werr))
	}
	return nil
}

// unwrapPath drops the *PathError wrapping, whose path the callers say
// already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
