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
	"runtime"
	"sync"
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
	}
}
