package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"decompose/analysis/evidence"
	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/plan"
)

// evidenceInput is what analyze reads about the program in production:
// CPU profiles and a traffic file. Explicit profiles are read while the
// program loads, since reading needs no model.
type evidenceInput struct {
	profiles []string // --profile, relative to -C; "off" alone turns default.pgo off
	traffic  string   // --traffic

	read    sync.WaitGroup
	parsed  []*evidence.Profile
	readErr error
	tr      *evidence.Traffic
}

// profilesOff reports --profile off: no profile, not even default.pgo.
func (e *evidenceInput) profilesOff() bool {
	return len(e.profiles) == 1 && e.profiles[0] == "off"
}

// validate checks the flags and reads the traffic file: a wrong input
// stops the run before the program loads.
func (e *evidenceInput) validate(dir string) error {
	for i, p := range e.profiles {
		if p == "off" {
			if len(e.profiles) > 1 {
				return fmt.Errorf("--profile off excludes other profiles")
			}
			continue
		}
		e.profiles[i] = underDir(dir, p)
		fi, err := os.Stat(e.profiles[i])
		if err != nil {
			return fmt.Errorf("profile: %v", err)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("profile %s: not a file", e.profiles[i])
		}
	}
	if e.traffic != "" {
		tr, err := evidence.ReadTraffic(underDir(dir, e.traffic))
		if err != nil {
			return err
		}
		e.tr = tr
	}
	return nil
}

// underDir is a path named on the command line, relative to -C as go -C
// takes it.
func underDir(dir, p string) string {
	if dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// start reads the explicit profiles on their own goroutine.
func (e *evidenceInput) start() {
	if e.profilesOff() || len(e.profiles) == 0 {
		return
	}
	e.read.Add(1)
	go func() {
		defer e.read.Done()
		for _, p := range e.profiles {
			prof, err := evidence.ReadProfile(p)
			if err != nil {
				e.readErr = err
				return
			}
			e.parsed = append(e.parsed, prof)
		}
	}()
}

// measure ties the evidence to the model: the explicit profiles, or else
// the default.pgo of its main packages; the traffic's rows matched to its
// entry points. It sets the clustering's observed-CPU input and returns
// the plan's. An unreadable explicit profile, or one without CPU samples,
// is an error; a default.pgo that cannot be used, a profile of another
// program and traffic rows naming nothing are warnings.
func (e *evidenceInput) measure(m *model.Model, cl *cluster.Config) (*plan.Measured, error) {
	e.read.Wait()
	if e.readErr != nil {
		return nil, e.readErr
	}
	var warnings []string
	var inputs []evidence.Input
	for i, p := range e.parsed {
		inputs = append(inputs, evidence.Input{Path: displayPath(m.Root, e.profiles[i]), Profile: p})
	}
	e.parsed = nil // the samples are summed up below and not needed after
	if len(e.profiles) == 0 {
		var mains []evidence.MainPackage
		for _, p := range m.Packages {
			if p.Name == "main" {
				mains = append(mains, evidence.MainPackage{Path: p.Path, Dir: filepath.Join(m.Root, p.Dir)})
			}
		}
		for _, f := range evidence.DefaultPGO(mains) {
			prof, err := evidence.ReadProfile(f.Path)
			rel := relToRoot(m.Root, f.Path)
			if err != nil {
				warnings = append(warnings, strings.Replace(err.Error(), f.Path, rel, 1)+"; not used")
				continue
			}
			inputs = append(inputs, evidence.Input{Path: rel, Profile: prof, Main: f.Main})
		}
	}
	var cpu *evidence.CPU
	if len(inputs) > 0 {
		var mains []string
		for _, p := range m.Packages {
			if p.Name == "main" {
				mains = append(mains, p.Path)
			}
		}
		var err error
		if cpu, err = evidence.Attribute(inputs, evidence.NewSymbols(m.Decls, mains)); err != nil {
			if len(e.profiles) == 0 {
				// a default.pgo nobody named: say so, go on without
				warnings = append(warnings, err.Error()+"; not used")
				cpu = nil
			} else {
				return nil, err
			}
		}
	}
	if cpu != nil {
		warnings = append(warnings, cpu.Warnings...)
	}
	var rates []evidence.Rate
	var trafficPath string
	if e.tr != nil {
		entries := make([]evidence.Entry, len(m.EntryPoints))
		for i, ep := range m.EntryPoints {
			entries[i] = evidence.Entry{Kind: string(ep.Kind), Decl: ep.Decl, Method: ep.Method, Route: ep.Route}
		}
		var w []string
		rates, w = e.tr.Match(entries)
		warnings = append(warnings, w...)
		trafficPath = displayPath(m.Root, e.tr.Path)
	}
	if !cpu.Used() && len(rates) == 0 {
		if len(warnings) == 0 {
			return nil, nil
		}
		return &plan.Measured{Warnings: warnings}, nil
	}
	if cpu.Used() {
		for _, ed := range cpu.Edges {
			cl.CPU = append(cl.CPU, cluster.CPUEdge{From: ed.From, To: ed.To, Share: float64(ed.Nanos) / float64(cpu.MappedNanos)})
		}
		if cl.Weights.ObservedCPU == nil {
			// the plan echoes the weight that applied
			w := cluster.DefaultObservedCPU
			cl.Weights.ObservedCPU = &w
		}
	}
	return &plan.Measured{CPU: cpu, Traffic: trafficPath, Rates: rates, Warnings: warnings}, nil
}

// displayPath names a file given on the command line as the plan shows
// it: relative to the analyzed root when it lies below it, else as given.
func displayPath(root, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if rel := relToRoot(root, abs); rel != abs {
		return rel
	}
	return p
}

// relToRoot names a file below the analyzed root relative to it.
func relToRoot(root, p string) string {
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}
