package diagram

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/goccy/go-graphviz"
)

// renderMu serialises rendering: go-graphviz runs every graph in one
// WebAssembly module.
var renderMu sync.Mutex

// SVG lays DOT out with graphviz's dot engine and renders it as SVG. It is
// the only function that uses graphviz; the same DOT gives the same bytes.
func SVG(ctx context.Context, dot []byte) ([]byte, error) {
	renderMu.Lock()
	defer renderMu.Unlock()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("diagram: start graphviz: %w", err)
	}
	// Close reports the errors of every graph rendered so far, not its
	// own: graphviz counts them for the whole process.
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("diagram: parse DOT: %w", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("diagram: render SVG: %w", err)
	}
	// graphviz names the font alone; add the fallbacks (see fontFamily)
	return bytes.ReplaceAll(buf.Bytes(), []byte(`font-family="`+fontName+`"`), []byte(`font-family="`+fontFamily+`"`)), nil
}
