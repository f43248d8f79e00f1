package cache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTrim: entries unused since the cutoff go, used ones and files the
// cache did not write stay, and a trim runs at most once a day.
func TestTrim(t *testing.T) {
	root := t.TempDir()
	t.Setenv("DECOMPOSE_CACHE", root)
	now := time.Now()
	old, recent := now.Add(-6*24*time.Hour), now.Add(-time.Minute)
	hash64, hash32 := strings.Repeat("ab", 32), strings.Repeat("cd", 16)
	files := []struct {
		name string
		at   time.Time
		kept bool
	}{
		{hash64 + ".json", old, false},                     // a model unused for six days
		{strings.Repeat("12", 32) + ".json", recent, true}, // one used a minute ago
		{"svg/" + hash64 + ".svg", old, false},
		{"svg/" + strings.Repeat("34", 32) + ".svg", recent, true},
		{"hints/" + hash32 + ".json", old, false},
		{".tmp-123456", now.Add(-2 * time.Hour), false}, // left by a run that stopped
		{".tmp-654321", recent, true},                   // a write under way
		{"notes.txt", old, true},                        // not the cache's
		{"ABCD.json", old, true},                        // not a hash the cache writes
		{"svg/" + hash64 + ".svg.bak", old, true},
	}
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, f.at, f.at); err != nil {
			t.Fatal(err)
		}
	}
	// a write trims: the first of the day
	WriteFile(filepath.Join(root, strings.Repeat("ef", 32)+".json"), []byte("{}"))
	for _, f := range files {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(f.name)))
		if kept := err == nil; kept != f.kept {
			t.Errorf("%s: kept %v, want %v", f.name, kept, f.kept)
		}
	}
	// the next write of the day does not trim again
	late := filepath.Join(root, strings.Repeat("99", 32)+".json")
	if err := os.WriteFile(late, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(late, old, old); err != nil {
		t.Fatal(err)
	}
	WriteFile(filepath.Join(root, strings.Repeat("ee", 32)+".json"), []byte("{}"))
	if _, err := os.Stat(late); err != nil {
		t.Error("a second write the same day trimmed again")
	}
}

// TestUsed: reading an entry keeps it, but marks it at most once an hour.
func TestUsed(t *testing.T) {
	path := filepath.Join(t.TempDir(), strings.Repeat("ab", 32)+".json")
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		age    time.Duration
		marked bool
	}{
		{2 * time.Hour, true},
		{10 * time.Minute, false},
	} {
		at := time.Now().Add(-c.age).Truncate(time.Second)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
		Used(path)
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if marked := !st.ModTime().Equal(at); marked != c.marked {
			t.Errorf("an entry last used %v ago: marked %v, want %v", c.age, marked, c.marked)
		}
	}
}
