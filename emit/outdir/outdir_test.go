package outdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, []byte("x"), 0o644)
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "notes"), []byte("mine"), 0o644)
	tests := []struct {
		name  string
		path  string
		force bool
		err   string
	}{
		{"new folder", filepath.Join(t.TempDir(), "a", "b"), false, ""},
		{"empty folder", t.TempDir(), false, ""},
		{"a file", file, false, "is a file"},
		{"under a file", filepath.Join(file, "sub"), false, "output folder"},
		{"foreign folder", foreign, false, ErrNotOurs.Error()},
		{"foreign folder, forced", foreign, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(tt.path, tt.force)
			if err == nil {
				d.Close()
			}
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Open(%s, %v) = %v, want error containing %q", tt.path, tt.force, err, tt.err)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Write("plan.yaml", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := d.Write("sub/graph.dot", []byte("two")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../escape", "/abs", ManifestName, LockName, "."} {
		if err := d.Write(bad, nil); err == nil {
			t.Errorf("Write(%q) succeeded", bad)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "plan.yaml")); err == nil {
		t.Error("plan.yaml is there before the commit")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Close()
	// A second run may replace what the first wrote, never anything else.
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	d2, err := Open(dir, false)
	if err != nil {
		t.Fatalf("reopening a folder with a manifest: %v", err)
	}
	if err := d2.Write("plan.yaml", []byte("three")); err != nil {
		t.Errorf("replacing our own file: %v", err)
	}
	if err := d2.Write("notes.txt", []byte("x")); err == nil {
		t.Error("replaced a file decompose did not write")
	}
	if err := d2.Commit(); err != nil {
		t.Fatal(err)
	}
	d2.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Error("foreign file changed")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "plan.yaml")); string(b) != "three" {
		t.Errorf("plan.yaml = %q", b)
	}
	m, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if !strings.Contains(string(m), "plan.yaml\nsub/graph.dot\n") {
		t.Errorf("manifest:\n%s", m)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".decompose-") && e.Name() != ManifestName {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestValidPath(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"plan.yaml", true},
		{"contexts/checkout.svg", true},
		{".hidden/x", true},
		{"a..b/c", true},
		{"", false},
		{".", false},
		{"..", false},
		{"../x", false},
		{"../../x/victim.txt", false},
		{"a/../../x", false},
		{"a/..", false},
		{"./a", false},
		{"a/./b", false},
		{"a//b", false},
		{"a/", false},
		{"/etc/passwd", false},
		{"..\\x", false},
		{"a\\..\\..\\x", false},
		{"a\nb", false},
		{"a\x1b[31m", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if err := ValidPath(tt.path); (err == nil) != tt.ok {
				t.Errorf("ValidPath(%q) = %v, want ok %v", tt.path, err, tt.ok)
			}
		})
	}
}

// TestOpenRefusesBadManifest: a manifest naming a path outside its folder
// stops the run, whatever else it lists.
func TestOpenRefusesBadManifest(t *testing.T) {
	tests := []struct {
		name, line string
	}{
		{"parent", "../victim.txt"},
		{"deep", "../../x/victim.txt"},
		{"inside then out", "contexts/../../victim.txt"},
		{"absolute", "/tmp/victim.txt"},
		{"backslash", "..\\victim.txt"},
		{"unclean", "./plan.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ManifestName), []byte(manifestHeader+"plan.yaml\n"+tt.line+"\n"), 0o644)
			_, err := Open(dir, false)
			if err == nil || !strings.Contains(err.Error(), ManifestName+":3: path ") {
				t.Fatalf("Open = %v, want an error naming line 3", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// TestWriteRefusesLinks: a symbolic link inside the folder, to a folder or
// in place of a file the manifest lists, is never written through.
func TestWriteRefusesLinks(t *testing.T) {
	tests := []struct {
		name string
		link string // made a link to elsewhere
		file string // then written
	}{
		{"folder", "contexts", "contexts/a.svg"},
		{"nested folder", "contexts/deep", "contexts/deep/a.svg"},
		{"file", "contexts/a.svg", "contexts/a.svg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, elsewhere := t.TempDir(), t.TempDir()
			d, err := Open(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Write(tt.file, []byte("first")); err != nil {
				t.Fatal(err)
			}
			if err := d.Commit(); err != nil {
				t.Fatal(err)
			}
			d.Close()
			link := filepath.Join(dir, filepath.FromSlash(tt.link))
			os.RemoveAll(link)
			os.MkdirAll(filepath.Dir(link), 0o755)
			victim := filepath.Join(elsewhere, "a.svg")
			os.WriteFile(victim, []byte("mine"), 0o644)
			target := elsewhere
			if tt.link == tt.file {
				target = victim
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			d2, err := Open(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			defer d2.Close()
			for _, try := range []func() error{
				func() error { return d2.Check([]string{"plan.yaml", tt.file}) },
				func() error { return d2.Write(tt.file, []byte("second")) },
			} {
				if err := try(); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
					t.Errorf("err %v, want a refusal of the link", err)
				}
			}
			if b, _ := os.ReadFile(victim); string(b) != "mine" {
				t.Errorf("wrote through the link: %s holds %q", victim, b)
			}
			if entries, _ := os.ReadDir(elsewhere); len(entries) != 1 {
				t.Errorf("%d files in the link's target, want 1", len(entries))
			}
		})
	}
}

// TestPrune: what an earlier run wrote and this one did not is removed
// with the folders it leaves empty, and leaves the manifest; nothing else.
func TestPrune(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	d, _ := Open(dir, false)
	for _, n := range []string{"plan.yaml", "contexts/a.svg", "contexts/gone.svg", "old/deep/x.dot", "linked/y.svg", "now-a-folder.svg"} {
		if err := d.Write(n, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Close()
	os.WriteFile(filepath.Join(dir, "contexts", "mine.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(elsewhere, "y.svg"), []byte("theirs"), 0o644)
	os.RemoveAll(filepath.Join(dir, "linked"))
	os.Symlink(elsewhere, filepath.Join(dir, "linked"))
	os.Remove(filepath.Join(dir, "now-a-folder.svg"))
	os.MkdirAll(filepath.Join(dir, "now-a-folder.svg", "inside"), 0o755)

	d2, err := Open(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"plan.yaml", "contexts/a.svg"} {
		if err := d2.Write(n, []byte("y")); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := d2.Prune()
	if err != nil {
		t.Fatal(err)
	}
	if err := d2.Commit(); err != nil {
		t.Fatal(err)
	}
	d2.Close()
	if got, want := strings.Join(gone, " "), "contexts/gone.svg old/deep/x.dot"; got != want {
		t.Errorf("pruned %s, want %s", got, want)
	}
	tests := []struct {
		path  string
		there bool
	}{
		{"contexts/gone.svg", false},
		{"old", false},
		{"contexts/a.svg", true},
		{"contexts/mine.txt", true},
		{"now-a-folder.svg/inside", true},
		{"plan.yaml", true},
	}
	for _, tt := range tests {
		if _, err := os.Stat(filepath.Join(dir, tt.path)); (err == nil) != tt.there {
			t.Errorf("%s: %v, want there %v", tt.path, err, tt.there)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(elsewhere, "y.svg")); string(b) != "theirs" {
		t.Error("pruned through a link")
	}
	m, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if want := manifestHeader + "contexts/a.svg\nlinked/y.svg\nnow-a-folder.svg\nplan.yaml\n"; string(m) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", m, want)
	}
}

// FuzzReadManifest: whatever a manifest holds, a path it yields is one
// that stays inside the folder, and an error is one line.
func FuzzReadManifest(f *testing.F) {
	for _, s := range []string{
		manifestHeader + "plan.yaml\ncontexts/a.svg\n",
		"../../x/victim.txt\n",
		"/etc/passwd\n",
		"contexts/../../x\n",
		"..\\x\n",
		"a\x00b\n",
		"  plan.yaml  \n# comment\n\n",
		"./plan.yaml\n",
		"a//b\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), ManifestName)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		owned, _, err := readManifest(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		for p := range owned {
			if ValidPath(p) != nil || !filepath.IsLocal(filepath.FromSlash(p)) {
				t.Errorf("manifest %q yields %q", s, p)
			}
		}
	})
}
