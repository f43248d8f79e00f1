package diagram

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"

	"decompose/analysis/cache"
)

// Cache keeps rendered SVGs in a folder, named by the hash of their DOT
// and of a salt naming the renderer (the running binary), so that a re-run
// whose diagrams did not change does not lay them out again: graphviz is
// most of the drawing time (0.6-0.8 s on 20-35 diagrams of a large
// program). The same DOT gives the same SVG, so an entry is never stale.
// A nil Cache, or one without a folder, renders every time.
type Cache struct {
	Dir  string
	Salt string

	render func(context.Context, []byte) ([]byte, error) // SVG, or a test's
}

// SVG is the package-level SVG, through the cache. The cache is an
// optimisation, never a reason to fail: an entry that cannot be read or
// written is rendered, and the error of rendering is the only one
// returned.
func (c *Cache) SVG(ctx context.Context, dot []byte) ([]byte, error) {
	render := SVG
	if c != nil && c.render != nil {
		render = c.render
	}
	if c == nil || c.Dir == "" {
		return render(ctx, dot)
	}
	h := sha256.New()
	h.Write([]byte("decompose-svg-1\n" + c.Salt + "\n"))
	h.Write(dot)
	path := filepath.Join(c.Dir, hex.EncodeToString(h.Sum(nil))+".svg")
	if data, err := cache.ReadFile(path); err == nil && bytes.HasPrefix(data, []byte("<?xml")) && bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>")) {
		return data, nil
	}
	svg, err := render(ctx, dot)
	if err != nil {
		return nil, err
	}
	cache.WriteFile(path, svg)
	return svg, nil
}
