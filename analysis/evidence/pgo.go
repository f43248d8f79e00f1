package evidence

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MainPackage is a main package of the analyzed program and its
// directory.
type MainPackage struct{ Path, Dir string }

// Found is a profile found beside a main package.
type Found struct {
	// Path is the profile's file; Main the import path of the main
	// package it is beside.
	Path, Main string
}

// DefaultPGO returns the default.pgo of each main package that has one,
// as `go build -pgo=auto` (the default) picks it: a file named default.pgo
// in the main package's directory. Sorted by main package.
func DefaultPGO(mains []MainPackage) []Found {
	var out []Found
	for _, m := range mains {
		p := filepath.Join(m.Dir, "default.pgo")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			out = append(out, Found{Path: p, Main: m.Path})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Main < out[j].Main })
	return out
}

// preprofileHeader starts a profile that `go tool preprofile` has turned
// into the compiler's own form, which keeps call-edge weights only.
const preprofileHeader = "GO PREPROFILE V1"

// ReadProfile reads a profile file. The error is one line naming the
// file: unreadable, not pprof, or the compiler's preprocessed form.
func ReadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile: %v", err)
	}
	if strings.HasPrefix(string(data[:min(len(data), len(preprofileHeader))]), preprofileHeader) {
		return nil, fmt.Errorf("profile %s: %w: it is the compiler's preprocessed form (go tool preprofile), which keeps no samples; give the pprof profile it was made from", path, ErrNotPprof)
	}
	p, err := ParseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}
