package main

import (
	"os"
	"testing"
)

// TestMain keeps the tests' model cache out of the user's cache folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "decompose-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv("DECOMPOSE_CACHE", dir) // not XDG_CACHE_HOME: the go build cache lives there too
	code := m.Run()
	os.RemoveAll(dir)
	for _, d := range fixtureDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
