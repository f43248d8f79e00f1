// Command decompose-look renders the pictures of a decompose output folder
// to PNG with headless Chromium, so that a reviewer can look at what a user
// will see: every SVG diagram as a browser shows it, report.html as a whole
// page, and report.html once per context as a click on that context shows
// it. PNGs are written to a folder of their own; the output folder is only
// read.
//
//	go run ./cmd/decompose-look -out /tmp/shop-plan -to /tmp/shop-look
//
// It needs a Chromium binary (Debian's chromium package); -chromium names
// one that is not on PATH. go-graphviz's own PNG output is not used because
// it has been seen to drop edges and cluster borders.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "", "a folder written by decompose analyze --out")
	to := flag.String("to", "", "where to write the PNGs (default: a new temporary folder)")
	width := flag.Int("width", 1600, "browser window width in pixels")
	browser := flag.String("chromium", "", "the Chromium binary (default: chromium, chromium-browser or google-chrome on PATH)")
	flag.Parse()
	if err := run(*out, *to, *browser, *width); err != nil {
		fmt.Fprintln(os.Stderr, "decompose-look:", err)
		os.Exit(2)
	}
}

func run(out, to, browser string, width int) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(out, "plan.json")); err != nil {
		return fmt.Errorf("%s is not a decompose output folder (no plan.json)", out)
	}
	if browser == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				browser = p
				break
			}
		}
		if browser == "" {
			return fmt.Errorf("no Chromium on PATH (install Debian's chromium package, or pass -chromium)")
		}
	}
	if to == "" {
		if to, err = os.MkdirTemp("", "decompose-look"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	to, err = filepath.Abs(to)
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp("", "decompose-look-pages")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)

	var shots []shot
	svgs, err := svgFiles(out)
	if err != nil {
		return err
	}
	for _, rel := range svgs {
		// A wrapper page shows the SVG at most window-wide, as report.html's
		// "fit width" does, on white.
		page := filepath.Join(scratch, strings.ReplaceAll(rel, string(filepath.Separator), "_")+".html")
		src := (&url.URL{Scheme: "file", Path: filepath.Join(out, rel)}).String()
		body := fmt.Sprintf(`<!doctype html><html><body style="margin:0;background:#fff"><img src="%s" style="max-width:100%%;display:block"></body></html>`, html.EscapeString(src))
		if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
			return err
		}
		shots = append(shots, shot{
			url:    (&url.URL{Scheme: "file", Path: page}).String(),
			png:    strings.TrimSuffix(strings.ReplaceAll(rel, string(filepath.Separator), "-"), ".svg") + ".png",
			height: 1200,
		})
	}
	report := filepath.Join(out, "report.html")
	if _, err := os.Stat(report); err == nil {
		base := (&url.URL{Scheme: "file", Path: report}).String()
		shots = append(shots, shot{url: base, png: "report.png", height: 6000})
		names, err := contextNames(out)
		if err != nil {
			return err
		}
		for _, name := range names {
			// Tall enough that the page need not scroll to its panel:
			// headless screenshots of a scrolled page come out blank above.
			shots = append(shots, shot{url: base + "#ctx-" + url.PathEscape(name), png: "report-" + name + ".png", height: 3200})
		}
	}
	for _, s := range shots {
		if err := s.take(browser, to, width); err != nil {
			return err
		}
		fmt.Println(filepath.Join(to, s.png))
	}
	return nil
}

type shot struct {
	url    string
	png    string
	height int
}

func (s shot) take(browser, dir string, width int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	png := filepath.Join(dir, s.png)
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--allow-file-access-from-files", "--virtual-time-budget=2000",
		fmt.Sprintf("--window-size=%d,%d", width, s.height),
		"--screenshot="+png, s.url)
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("chromium on %s: %v: %s", s.url, err, lastLine(string(outb)))
	}
	if _, err := os.Stat(png); err != nil {
		return fmt.Errorf("chromium wrote no %s: %s", png, lastLine(string(outb)))
	}
	return nil
}

func svgFiles(out string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".svg") {
			rel, err := filepath.Rel(out, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func contextNames(out string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(out, "plan.json"))
	if err != nil {
		return nil, err
	}
	var p struct {
		Contexts []struct {
			Name string `json:"name"`
		} `json:"contexts"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("plan.json: %v", err)
	}
	var names []string
	for _, c := range p.Contexts {
		names = append(names, c.Name)
	}
	return names, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
