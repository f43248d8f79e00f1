package main

import (
	"os"
	"testing"
)

// TestMain keeps the tests' model cache out of the user's cache folder.
//
// With DECOMPOSE_TEST_MAIN=1 the test binary is the decompose command, for
// tests that run it as a process (signals).
func TestMain(m *testing.M) {
	if os.Getenv("DECOMPOSE_TEST_MAIN") == "1" {
		main()
	}
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
