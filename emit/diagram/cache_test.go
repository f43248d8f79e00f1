package diagram

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCache(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "svg")
	renders := 0
	render := func(ctx context.Context, dot []byte) ([]byte, error) {
		renders++
		if bytes.Contains(dot, []byte("broken")) {
			return nil, errors.New("diagram: parse DOT: syntax error")
		}
		return SVG(ctx, dot)
	}
	c := &Cache{Dir: dir, Salt: "binary-1", render: render}
	a := []byte("digraph { a -> b; }")

	first, err := c.SVG(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.SVG(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if renders != 1 || !bytes.Equal(first, second) {
		t.Errorf("%d renders for the same DOT twice; same bytes %v", renders, bytes.Equal(first, second))
	}
	if !bytes.Contains(first, []byte("<title>a&#45;&gt;b</title>")) {
		t.Errorf("not the rendered SVG:\n%s", first)
	}

	// another DOT, another binary: rendered anew
	if _, err := c.SVG(ctx, []byte("digraph { a -> c; }")); err != nil {
		t.Fatal(err)
	}
	other := &Cache{Dir: dir, Salt: "binary-2", render: render}
	if _, err := other.SVG(ctx, a); err != nil {
		t.Fatal(err)
	}
	if renders != 3 {
		t.Errorf("%d renders, want 3", renders)
	}

	// a damaged entry is rendered again and replaced
	files, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	if len(files) != 3 {
		t.Fatalf("%d entries, want 3", len(files))
	}
	for _, f := range files {
		if err := os.WriteFile(f, []byte("<?xml version"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	again, err := c.SVG(ctx, a)
	if err != nil || !bytes.Equal(again, first) || renders != 4 {
		t.Errorf("damaged entry: %d renders, same bytes %v, %v", renders, bytes.Equal(again, first), err)
	}

	// errors are not cached
	for range 2 {
		if _, err := c.SVG(ctx, []byte("broken")); err == nil {
			t.Error("no error for a DOT that does not render")
		}
	}
	if renders != 6 {
		t.Errorf("%d renders, want 6: a failure is not cached", renders)
	}

	// an unusable folder renders every time, without failing
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	bad := &Cache{Dir: filepath.Join(file, "svg"), Salt: "x"}
	if svg, err := bad.SVG(ctx, a); err != nil || !bytes.Equal(svg, first) {
		t.Errorf("unusable cache folder: %v", err)
	}
	var none *Cache
	if svg, err := none.SVG(ctx, a); err != nil || !bytes.Equal(svg, first) {
		t.Errorf("nil cache: %v", err)
	}
}
