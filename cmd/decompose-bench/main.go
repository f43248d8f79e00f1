// Command decompose-bench times decompose on any Go repository beside two
// references measured in the same run: the go command building the export
// data the loader reads (go list -deps -export), and the floor — a plain
// program that loads the same packages the same way (dependencies from
// export data), builds SSA for them and runs VTA. It prints medians over
// several runs, each phase broken down, and peak memory.
//
//	go run ./cmd/decompose-bench -C ../some/repo -n 5 ./...
//
// With -check FILE it times decompose check instead, on a copy of the
// repository, against the bars of its speed: with the model cached and FILE
// changed, against go vet after the same change; without the cache,
// against analyze without it (see benchCheck).
//
//	go run ./cmd/decompose-bench -C ../some/repo -n 5 -check internal/x/x.go ./...
//
// Every measurement runs in a fresh process, so peak memory is that
// process's own maximum resident set.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	if os.Getenv(floorEnv) != "" {
		if err := floor(context.Background(), os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(2)
		}
		return
	}
	dir := flag.String("C", ".", "the repository to measure")
	n := flag.Int("n", 3, "runs of each measurement")
	algo := flag.String("algo", "vta", "call-graph algorithm for decompose")
	checkFile := flag.String("check", "", "time decompose check instead, changing this Go `FILE` of the repository (a copy of it)")
	planFile := flag.String("plan", "", "with -check: the accepted plan, a `FILE` of the repository (default: the plan.yaml analyze writes)")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	var err error
	if *checkFile != "" {
		err = benchCheck(*dir, *checkFile, *planFile, *n, *algo, patterns)
	} else {
		err = bench(*dir, *n, *algo, patterns)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "decompose-bench:", err)
		os.Exit(2)
	}
}

const floorEnv = "DECOMPOSE_BENCH_FLOOR"

// sample is one run: its wall time, peak memory and phases.
type sample struct {
	wall   time.Duration
	maxRSS int64 // bytes
	phases map[string]time.Duration
	size   string // "18 packages (5277 lines, ...)" from decompose -v
}

func bench(dir string, n int, algo string, patterns []string) error {
	tmp, bin, err := buildDecompose()
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	golist := append([]string{"go", "list", "-deps", "-export", "-f", "{{.ImportPath}}"}, patterns...)
	floorCmd := append([]string{self}, patterns...)
	// decompose writes every artefact, as a user's run with --out does;
	// the folders are its own, so later runs replace their files.
	decompose := append([]string{bin, "analyze", "-v", "--no-cache", "--algo", algo, "--out", filepath.Join(tmp, "out-cold")}, patterns...)
	// the warm re-run of an unchanged program, from decompose's own cache
	// (kept in the temporary folder)
	cached := append([]string{bin, "analyze", "-v", "--algo", algo, "--out", filepath.Join(tmp, "out-warm")}, patterns...)
	os.Setenv("DECOMPOSE_CACHE", filepath.Join(tmp, "cache"))

	// One untimed run of each warms the build cache and the file cache,
	// so that the medians measure steady state.
	fmt.Fprintf(os.Stderr, "warming up in %s ...\n", dir)
	runs := [][]string{golist, floorCmd, decompose, cached}
	for _, argv := range runs {
		if _, err := measure(dir, argv, argv[0] == self); err != nil {
			return err
		}
	}
	results := map[string][]sample{}
	var size string // decompose's own count of packages and lines
	names := []string{"go list -deps -export", "floor (load+SSA+VTA)", "decompose analyze", "decompose analyze, cached model"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(os.Stderr, "run %d/%d\n", i+1, n)
		// Interleaved, so that machine noise hits all three alike.
		for j, argv := range runs {
			s, err := measure(dir, argv, argv[0] == self)
			if err != nil {
				return err
			}
			results[names[j]] = append(results[names[j]], s)
			if s.size != "" {
				size = s.size
			}
		}
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "repository\t%s\t(%s, %d runs, medians)\n", dir, strings.Join(patterns, " "), n)
	if size != "" {
		fmt.Fprintf(tw, "size\t%s\n", size)
	}
	fmt.Fprintln(tw, "measurement\twall\tmin..max\tpeak RSS\tphases")
	for _, name := range names {
		ss := results[name]
		fmt.Fprintf(tw, "%s\t%s\t%s..%s\t%s\t%s\n", name, round(median(ss, wallOf)), round(minOf(ss)), round(maxOf(ss)),
			mib(medianRSS(ss)), phaseMedians(ss))
	}
	fl, dc := median(results[names[1]], wallOf), median(results[names[2]], wallOf)
	fmt.Fprintf(tw, "ratio\tdecompose / floor = %.2f\n", float64(dc)/float64(fl))
	fmt.Fprintf(tw, "ratio\tcached / floor = %.2f\n", float64(median(results[names[3]], wallOf))/float64(fl))
	return tw.Flush()
}

// buildDecompose builds decompose from this repository (the current
// directory) into bin.
// buildDecompose builds decompose from this repository into a new
// temporary folder, for the caller to remove, and returns both.
func buildDecompose() (tmp, bin string, err error) {
	tmp, err = os.MkdirTemp("", "decompose-bench")
	if err != nil {
		return "", "", err
	}
	bin = filepath.Join(tmp, "decompose")
	build := exec.Command("go", "build", "-o", bin, "./cmd/decompose")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(tmp)
		return "", "", fmt.Errorf("build decompose: %v", err)
	}
	return tmp, bin, nil
}

// measure runs argv in dir and returns its wall time, peak memory and the
// phases it printed ("timings  load 1.2s, ssa 300ms, ...").
func measure(dir string, argv []string, isFloor bool) (sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if isFloor {
		cmd.Env = append(cmd.Env, floorEnv+"=1")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		// decompose exits 1 when parts of the program did not load: the
		// rest was still measured.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, lastLines(stderr.String(), 5))
		}
	}
	s := sample{wall: wall, phases: parsePhases(stdout.String() + stderr.String()), size: parseSize(stdout.String())}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.maxRSS = ru.Maxrss * 1024
	}
	return s, nil
}

var phaseRE = regexp.MustCompile(`([a-z][a-z ]*?) ([0-9.]+(?:ns|µs|ms|s|m[0-9.]+s|h[0-9.]+m[0-9.]+s))`)

func parsePhases(out string) map[string]time.Duration {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "timings") {
			continue
		}
		phases := map[string]time.Duration{}
		for _, m := range phaseRE.FindAllStringSubmatch(strings.TrimSpace(strings.TrimPrefix(line, "timings")), -1) {
			if d, err := time.ParseDuration(m[2]); err == nil {
				phases[strings.TrimSpace(m[1])] = d
			}
		}
		return phases
	}
	return nil
}

// parseSize returns the packages line of decompose -v's summary.
func parseSize(out string) string {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "packages"); ok {
			n, detail, _ := strings.Cut(strings.TrimSpace(rest), " ")
			return n + " packages " + detail
		}
	}
	return ""
}

func wallOf(s sample) time.Duration { return s.wall }

func median(ss []sample, f func(sample) time.Duration) time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = f(s)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) == 0 {
		return 0
	}
	if len(ds)%2 == 1 {
		return ds[len(ds)/2]
	}
	return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
}

func medianRSS(ss []sample) int64 {
	xs := make([]int64, len(ss))
	for i, s := range ss {
		xs[i] = s.maxRSS
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	return xs[len(xs)/2]
}

func minOf(ss []sample) time.Duration {
	m := ss[0].wall
	for _, s := range ss {
		m = min(m, s.wall)
	}
	return m
}

func maxOf(ss []sample) time.Duration {
	m := ss[0].wall
	for _, s := range ss {
		m = max(m, s.wall)
	}
	return m
}

func phaseMedians(ss []sample) string {
	if len(ss) == 0 || len(ss[0].phases) == 0 {
		return "-"
	}
	var names []string
	for name := range ss[0].phases {
		names = append(names, name)
	}
	order := map[string]int{"plan": 0, "cached model": 1, "cache key": 1, "load": 2, "ssa": 3, "call graph": 4, "vta": 4, "model": 5,
		"cluster": 6, "check": 6, "emit": 7, "drift": 7}
	sort.Slice(names, func(i, j int) bool {
		oi, ok1 := order[names[i]]
		oj, ok2 := order[names[j]]
		if ok1 && ok2 {
			return oi < oj
		}
		if ok1 != ok2 {
			return ok1
		}
		return names[i] < names[j]
	})
	var parts []string
	for _, name := range names {
		parts = append(parts, name+" "+round(median(ss, func(s sample) time.Duration { return s.phases[name] })).String())
	}
	return strings.Join(parts, ", ")
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
