// Package diagram draws a decomposition for review: the context map, the
// package graph grouped by context, and a view of each context from the
// inside, as DOT (rendered to SVG by SVG, through go-graphviz) and, for
// the first two, as Mermaid for Markdown.
//
// Every function is pure: it reads an Input (the model, its decomposition
// and the blockers per context) and returns bytes, the same for the same
// input; every list is sorted by a stable key and identifiers are derived
// from names. Only SVG uses graphviz, and only this package imports it.
//
// # Where a declaration is
//
// A package listed in a context (or in the kernel) places all its
// declarations there. A declaration of a split package is placed by the
// Members lists, which name it within its package ("PlaceOrder",
// "Server.PlaceOrder", or "Server" for every method of the type); one no
// list names stays in the shared kernel. Ignored packages and
// declarations are not drawn.
//
// # Calls, synchronous and asynchronous
//
// The context map weighs an edge from one place to another by its call
// sites: the weights of the model's call and dynamic-call edges from
// declarations of one to declarations of the other. An edge is
// asynchronous, and drawn dashed, when every one of its sites is: the
// model counts as asynchronous (Edge.Async) a call made in a go statement
// or whose results are all discarded, which can become an event or a
// queue message. A model that records no asynchronous site at all falls
// back to a rule of thumb: a dynamic call made by the handler of a
// background entry point is asynchronous. Every other edge is synchronous,
// drawn solid: it becomes a request whose answer the caller waits for.
// Calls into and out of the shared kernel stay in-process and are drawn
// grey and dotted. A synchronous call that the plan proposes to make
// asynchronous or invert, to end a dependency cycle between contexts
// (Input.Breaks), is drawn red, whatever the edge cap.
//
// # Large programs
//
// A diagram draws at most Options.MaxNodes nodes and Options.MaxEdges
// edges (60 and 150 by default; 30 and 60 for Mermaid). Past the caps it
// first aggregates: the package graph and the inside views collapse leaf
// packages into their parent directory ("catalog/…", with the number of
// packages), deepest directories first, never merging two contexts and
// never into the analyzed root; an inside view draws its declarations,
// then only those at its boundary, then its packages. Then it drops the
// least connected nodes (keeping one per context) and the lightest edges.
// A note node says what was collapsed and what was not drawn: "12
// packages and 40 edges not drawn", with the details.
//
// # Looking at the pictures
//
// The golden SVG files in testdata are what the diagrams look like. To
// look at them (or at any SVG files), render them to PNG with headless
// Chromium, which draws them as a browser does:
//
//	apt-get update && apt-get install -y chromium
//	DIAGRAM_PNG=/tmp/diagrams go test ./emit/diagram -run TestPNG
//	DIAGRAM_PNG=/tmp/diagrams DIAGRAM_SVG='/abs/out/*.svg' go test ./emit/diagram -run TestPNG
//
// TestPNG writes one PNG per SVG file into DIAGRAM_PNG; do not commit
// them. go-graphviz's own PNG output is no substitute: it drops edges and
// cluster borders.
//
// Text is laid out with the widths of DejaVu Sans, the font the SVG asks
// for first (see fontFamily). TestTextFits measures every label of the
// drawings against DejaVu Sans, without the font installed; with
// DIAGRAM_SVG it measures those files instead:
//
//	DIAGRAM_SVG='/abs/out/*.svg' go test ./emit/diagram -run TestTextFits
package diagram
