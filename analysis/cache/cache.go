// Package cache keeps what decompose can rebuild, models and rendered
// diagrams, in the user's cache folder. It is an optimisation, never a
// reason to fail: a write that does not succeed leaves nothing behind, and
// readers check what they read.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dir is where models are kept: $DECOMPOSE_CACHE when set, else
// decompose/models in the user's cache folder ($XDG_CACHE_HOME or
// ~/.cache on Linux).
func Dir() (string, error) {
	if dir := os.Getenv("DECOMPOSE_CACHE"); dir != "" {
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "decompose", "models"), nil
}

var binaryOnce = sync.OnceValue(func() string {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return "unknown-" + runtime.Version()
	}
	io.WriteString(h, "file "+exe+"\n")
	f, err := os.Open(exe)
	if err != nil {
		return "unknown-" + runtime.Version()
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown-" + runtime.Version()
	}
	return hex.EncodeToString(h.Sum(nil))
})

// BinaryID identifies the running decompose binary by its contents: a
// rebuilt tool may build a different model, or draw differently.
func BinaryID() string { return binaryOnce() }

// WriteFile writes a cache entry atomically: readers never see half an
// entry, and a failure leaves no file behind.
func WriteFile(path string, data []byte) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return
	}
	if root, err := Dir(); err == nil {
		maybeTrim(root)
	}
}

// Entries are trimmed the way the go command trims its build cache: an
// entry is marked used (its modification time set) when read, at most
// once an hour, and once a day, at a write, entries unused for five days
// are removed. A model is megabytes on a large program and every changed
// file makes a new one: without trimming the folder would only grow.
const (
	usedInterval = time.Hour
	trimInterval = 24 * time.Hour
	trimAge      = 5 * 24 * time.Hour
)

// ReadFile reads a cache entry and marks it used, so that Trim keeps it.
func ReadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		Used(path)
	}
	return data, err
}

// Used marks the entry at path as used now, unless that was done within
// the hour.
func Used(path string) {
	st, err := os.Stat(path)
	if err != nil {
		return
	}
	now := time.Now()
	if now.Sub(st.ModTime()) < usedInterval {
		return
	}
	os.Chtimes(path, now, now)
}

// entryName tells the names of the files this package writes in a
// folder of the cache: entries named by a hash, and temporary files.
// Trim removes nothing else, whoever put it there.
var entryName = regexp.MustCompile(`^([0-9a-f]{32}|[0-9a-f]{64})\.(json|svg)$|^\.tmp-[0-9]+$`)

// maybeTrim trims the cache at root if it was not trimmed within a day.
func maybeTrim(root string) {
	stamp := filepath.Join(root, "trim.txt")
	now := time.Now()
	if data, err := os.ReadFile(stamp); err == nil {
		if last, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err == nil && now.Sub(time.Unix(last, 0)) < trimInterval {
			return
		}
	}
	// the stamp first: two runs at once trim once
	if err := os.WriteFile(stamp, []byte(strconv.FormatInt(now.Unix(), 10)+"\n"), 0o644); err != nil {
		return
	}
	Trim(root, now.Add(-trimAge))
}

// Trim removes the entries of the cache at root, and of its svg and hints
// folders, last used before cutoff; temporary files older than an hour
// are left from a run that stopped mid-write.
func Trim(root string, cutoff time.Time) {
	for _, dir := range []string{root, filepath.Join(root, "svg"), filepath.Join(root, "hints")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || !entryName.MatchString(name) {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			old := info.ModTime().Before(cutoff)
			if strings.HasPrefix(name, ".tmp-") {
				old = time.Since(info.ModTime()) > time.Hour
			}
			if old {
				os.Remove(filepath.Join(dir, name))
			}
		}
	}
}
