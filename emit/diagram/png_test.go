package diagram

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPNG renders SVG files to PNG with headless Chromium, so that a
// person can look at them; it runs only when DIAGRAM_PNG names the
// directory to write to. DIAGRAM_SVG is a glob of the files to render,
// testdata/*.svg by default. See the package documentation.
func TestPNG(t *testing.T) {
	out := os.Getenv("DIAGRAM_PNG")
	if out == "" {
		t.Skip("set DIAGRAM_PNG to a directory to render the SVG files to PNG")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium: %v (apt-get install -y chromium)", err)
	}
	glob := os.Getenv("DIAGRAM_SVG")
	if glob == "" {
		glob = filepath.Join("testdata", "*.svg")
	}
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no SVG files match %s", glob)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			png, err := filepath.Abs(filepath.Join(out, strings.TrimSuffix(filepath.Base(f), ".svg")+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := screenshot(chromium, f, png); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s → %s", f, png)
		})
	}
}

var svgSize = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)

// screenshot renders one SVG at its own size (scaled down to 2400 pixels
// wide at most) in a page of its own, and saves the page as PNG.
func screenshot(chromium, svg, png string) error {
	data, err := os.ReadFile(svg)
	if err != nil {
		return err
	}
	m := svgSize.FindSubmatch(data)
	if m == nil {
		return fmt.Errorf("no size in the SVG")
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	w, h = w*4/3, h*4/3 // points to pixels
	if w > 2400 {
		w, h = 2400, h*2400/w
	}
	width, height := int(w)+16, min(int(h)+16, 16000)
	abs, err := filepath.Abs(svg)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "diagram-png")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "page.html")
	html := fmt.Sprintf(`<!doctype html><html><body style="margin:8px;background:#fff"><img src="file://%s" width="%d"></body></html>`, abs, int(w))
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--hide-scrollbars", "--allow-file-access-from-files", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+png,
		fmt.Sprintf("--window-size=%d,%d", width, height), "file://"+page)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, msg)
	}
	return nil
}
