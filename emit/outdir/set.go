package outdir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// LockName is the lock file a run keeps in the output folder it writes.
const LockName = ".decompose-lock"

// Names of the folders a run makes beside the output folder: the new
// content being assembled, and the old content while the new one is moved
// into place. Both end in "-" and digits (os.MkdirTemp).
const (
	tmpPrefix = ".decompose-tmp-"
	oldPrefix = ".decompose-old-"
)

// TestHook, when set (by tests only), is called before each step of
// writing an output set; an error it returns fails that step. The steps
// are "stage", "write <name>", "prune", "manifest", "lock", "aside",
// "swap" and "cleanup"; scaffold adds "write <context>".
var TestHook func(step string) error

func hook(step string) error {
	if TestHook != nil {
		return TestHook(step)
	}
	return nil
}

// Set is an output folder held by one run and replaced as a whole.
//
// Lock takes the folder: a lock file in it keeps a second run out (the
// second run fails at once, it does not wait). The new content is
// assembled in a staging folder beside the output folder (Stage: a copy of
// the folder made of hard links, which the run then changes), and Commit
// swaps it in with two renames: the output folder aside, the staging
// folder in its place. A run interrupted at any point leaves the old
// content or the new one; the next Lock puts the old folder back if the
// run died between the two renames, removes what is left over, and says
// so in Note.
type Set struct {
	display string // the path as the user gave it
	path    string // absolute, links resolved
	parent  string
	base    string
	created bool       // the folder did not exist before Lock
	locks   []*os.File // the lock files held (the folder's, the staged one's)
	note    string
}

// Lock takes path, creating it if it does not exist, after cleaning up
// after an interrupted run.
func Lock(path string) (*Set, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %v", path, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // the folder a link names is the one replaced
	}
	s := &Set{display: path, path: abs, parent: filepath.Dir(abs), base: filepath.Base(abs)}
	if s.parent == abs {
		return nil, fmt.Errorf("output folder %s: the root folder cannot be an output folder", path)
	}
	var notes []string
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		restored, err := s.restore()
		if err != nil {
			return nil, err
		}
		if restored != "" {
			notes = append(notes, "put back the previous output from "+restored)
			break
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("output folder %s: %v", path, unwrapPath(err))
		}
		s.created = true
	case err != nil:
		return nil, fmt.Errorf("output folder %s: %v", path, unwrapPath(err))
	case !st.IsDir():
		return nil, fmt.Errorf("output folder %s is a file", path)
	}
	if len(s.locks) == 0 {
		if err := s.lock(); err != nil {
			s.Unlock()
			return nil, err
		}
	}
	removed, restored, err := s.clean()
	if err != nil {
		s.Unlock()
		return nil, err
	}
	if len(restored) > 0 {
		notes = append(notes, "put back "+strings.Join(restored, ", "))
	}
	if len(removed) > 0 {
		notes = append(notes, "removed "+strings.Join(removed, ", "))
	}
	if len(notes) > 0 {
		s.note = fmt.Sprintf("%s: an earlier run was interrupted; %s", path, strings.Join(notes, "; "))
	}
	return s, nil
}

// Note says in one line what Lock did after an interrupted run, or is "".
func (s *Set) Note() string { return s.note }

// Path is the folder's path as given to Lock.
func (s *Set) Path() string { return s.display }

// lock takes the folder's lock file. A lock file can be replaced (a run
// swaps the folder it is in), so the file locked must still be the one at
// the path once it is locked.
func (s *Set) lock() error {
	name := filepath.Join(s.path, LockName)
	for range 10 {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("output folder %s is not writable: %v", s.display, unwrapPath(err))
		}
		if err := tryLock(f); err != nil {
			pid := holder(f)
			f.Close()
			if errors.Is(err, errLocked) {
				return fmt.Errorf("output folder %s is in use by another decompose run%s; run again when it has finished", s.display, pid)
			}
			return fmt.Errorf("lock %s: %v", name, err)
		}
		if !sameFile(f, name) {
			f.Close()
			continue
		}
		s.locks = append(s.locks, f)
		markHolder(f)
		return nil
	}
	return fmt.Errorf("output folder %s is in use by other decompose runs; run again when they have finished", s.display)
}

// restore puts back the output folder that an interrupted run moved aside
// and did not replace, unless that run is still going.
func (s *Set) restore() (string, error) {
	olds := s.leftovers(oldPrefix)
	if len(olds) == 0 {
		return "", nil
	}
	// the newest first: an older one would be one a run had put back
	sort.Slice(olds, func(i, j int) bool { return modTime(olds[i]) > modTime(olds[j]) })
	old := olds[0]
	f, err := os.OpenFile(filepath.Join(old, LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %v", s.display, unwrapPath(err))
	}
	if err := tryLock(f); err != nil {
		pid := holder(f)
		f.Close()
		return "", fmt.Errorf("output folder %s is in use by another decompose run%s; run again when it has finished", s.display, pid)
	}
	if err := os.Rename(old, s.path); err != nil {
		f.Close()
		return "", fmt.Errorf("put back %s: %v", s.display, unwrapPath(err))
	}
	s.locks = append(s.locks, f)
	markHolder(f)
	return filepath.Base(old), nil
}

// leftovers are the staging and old folders of runs into this folder that
// are still beside it.
func (s *Set) leftovers(prefix string) []string {
	entries, err := os.ReadDir(s.parent)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix+s.base+"-")
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			out = append(out, filepath.Join(s.parent, e.Name()))
		}
	}
	return out
}

// clean removes, with the lock held, what interrupted runs left: their
// staging and old folders beside the output folder, and the temporary
// files and folders earlier versions of decompose made inside it. An old
// folder inside it (an earlier scaffold moved context folders aside into
// one) first gives back the folders that are missing.
func (s *Set) clean() (removed, restored []string, err error) {
	for _, p := range append(s.leftovers(tmpPrefix), s.leftovers(oldPrefix)...) {
		if err := os.RemoveAll(p); err != nil {
			return nil, nil, fmt.Errorf("remove %s: %v", p, unwrapPath(err))
		}
		removed = append(removed, filepath.Base(p))
	}
	entries, err := os.ReadDir(s.path)
	if err != nil {
		return nil, nil, fmt.Errorf("output folder %s: %v", s.display, unwrapPath(err))
	}
	for _, e := range entries {
		n := e.Name()
		if !legacyTemp(n) {
			continue
		}
		p := filepath.Join(s.path, n)
		if strings.HasPrefix(n, oldPrefix) && e.IsDir() {
			inner, _ := os.ReadDir(p)
			for _, c := range inner {
				back := filepath.Join(s.path, c.Name())
				if _, err := os.Lstat(back); errors.Is(err, fs.ErrNotExist) && os.Rename(filepath.Join(p, c.Name()), back) == nil {
					restored = append(restored, c.Name())
				}
			}
		}
		if err := os.RemoveAll(p); err != nil {
			return nil, nil, fmt.Errorf("remove %s: %v", p, unwrapPath(err))
		}
		removed = append(removed, n)
	}
	sort.Strings(removed)
	sort.Strings(restored)
	return removed, restored, nil
}

// legacyTemp reports whether n is the name of a temporary file or folder
// that a run makes, or made, inside an output folder.
func legacyTemp(n string) bool {
	return strings.HasPrefix(n, tmpPrefix) || strings.HasPrefix(n, oldPrefix) || strings.HasPrefix(n, ".decompose-probe-")
}

// Stage makes the staging folder: a copy of the output folder, of hard
// links where the file system allows, beside it. The run changes the copy;
// Commit puts it in place, Abort removes it.
func (s *Set) Stage() (string, error) {
	if err := hook("stage"); err != nil {
		return "", err
	}
	staging, err := os.MkdirTemp(s.parent, tmpPrefix+s.base+"-")
	if err != nil {
		return "", fmt.Errorf("output folder %s: cannot stage the new content beside it: %v", s.display, unwrapPath(err))
	}
	if st, err := os.Stat(s.path); err == nil {
		os.Chmod(staging, st.Mode().Perm())
	}
	if err := replicate(s.path, staging); err != nil {
		os.RemoveAll(staging)
		return "", err
	}
	return staging, nil
}

// Abort removes a staging folder that is not to be committed.
func (s *Set) Abort(staging string) {
	if staging != "" {
		os.RemoveAll(staging)
	}
}

// Commit replaces the output folder with staging. On an error the output
// folder is what it was.
func (s *Set) Commit(staging string) error {
	fail := func(err error) error {
		os.RemoveAll(staging)
		return err
	}
	if err := hook("lock"); err != nil {
		return fail(err)
	}
	// the new folder comes with its own lock file, held: a run that opens
	// the lock file once the new folder is in place finds it taken
	f, err := os.OpenFile(filepath.Join(staging, LockName), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fail(fmt.Errorf("stage %s: %v", LockName, unwrapPath(err)))
	}
	if err := tryLock(f); err != nil {
		f.Close()
		return fail(fmt.Errorf("lock %s: %v", f.Name(), err))
	}
	s.locks = append(s.locks, f)
	markHolder(f)
	if err := hook("aside"); err != nil {
		return fail(err)
	}
	// a fresh name (os.Rename does not replace a folder, even an empty one)
	old, err := os.MkdirTemp(s.parent, oldPrefix+s.base+"-")
	if err == nil {
		os.Remove(old)
		err = os.Rename(s.path, old)
	}
	if err != nil {
		return fail(fmt.Errorf("output folder %s: cannot move it aside: %v", s.display, unwrapPath(err)))
	}
	err = hook("swap")
	if err == nil {
		if err = os.Rename(staging, s.path); err != nil {
			err = fmt.Errorf("output folder %s: cannot move the new content into place: %v", s.display, unwrapPath(err))
		}
	}
	if err != nil {
		os.Rename(old, s.path)
		return fail(err)
	}
	s.created = false // it holds a result now
	if hook("cleanup") == nil {
		os.RemoveAll(old) // else the next run removes it
	}
	return nil
}

// Unlock releases the folder: the lock file is removed, and so is the
// folder if Lock created it and nothing was committed into it.
func (s *Set) Unlock() {
	name := filepath.Join(s.path, LockName)
	for _, f := range s.locks {
		if sameFile(f, name) {
			os.Remove(name)
		}
	}
	for _, f := range s.locks {
		f.Close()
	}
	s.locks = nil
	if s.created {
		os.Remove(s.path) // only if still empty
	}
}

func sameFile(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(name)
	return err == nil && os.SameFile(a, b)
}

// markHolder writes this process's id into a lock file it holds, for the
// message of a run that finds it taken.
func markHolder(f *os.File) {
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
}

// holder is " (pid N)" from a lock file, or "".
func holder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	if err != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d)", pid)
}

func modTime(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.ModTime().UnixNano()
}

// replicate copies the tree at from to to: folders, hard links of regular
// files (copies where links fail), symbolic links as links. The lock file
// and temporary files of interrupted runs are left out.
func replicate(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %v", p, unwrapPath(err))
		}
		rel, _ := filepath.Rel(from, p)
		if rel == "." {
			return nil
		}
		if rel == LockName || legacyTemp(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(to, rel)
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("read %s: %v", p, unwrapPath(err))
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(dst, info.Mode().Perm()|0o700); err != nil {
				return fmt.Errorf("stage %s: %v", rel, unwrapPath(err))
			}
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
			return fmt.Errorf("%s is not a file, folder or link; move it out of the output folder", p)
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

// WriteNew writes data to path as a new file: a file there (a hard link
// to the output folder's copy, in a staging folder) is replaced, never
// written through.
func WriteNew(path string, data []byte) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %v", path, unwrapPath(err))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %v", path, unwrapPath(err))
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %v", path, unwrapPath(err))
	}
	return nil
}
