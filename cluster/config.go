package cluster

import (
	"fmt"
	"math"
	"strings"
)

// Config tunes clustering. It lives under the `cluster:` key of
// decompose.yaml. Start from DefaultConfig and decode the file over it, so
// that a key the file leaves out keeps its default:
//
//	cluster:
//	  resolution: 1.2
//	  contexts: 4
//	  weights: {dynamic_call: 0.3, vocabulary: 1}
//	  pin:
//	    orders: [example.com/shop/checkout/..., example.com/shop/handlers.PlaceOrder]
//	  apart: [[orders, shipping]]
//	  shared_kernel: [example.com/shop/money]
//	  ignore: [example.com/shop/internal/testutil/...]
//	  cochange: {enabled: true, commits: 500}
//
// Patterns (in pin, apart, shared_kernel and ignore) are matched against the
// model's units:
//   - "path/..." matches the package path and every package below it;
//   - a package path matches that package;
//   - a declaration ID ("path.Name", "path.Type.Method") matches that
//     declaration, and a type's ID its methods too;
//   - "path.Glob", with * or ? in Glob, matches the declarations of the
//     package path whose name ("Name" or "Type.Method") matches Glob;
//   - a leading "./" stands for the first main module's path.
type Config struct {
	// Weights scale each signal; see Weights for what each one is.
	Weights Weights `yaml:"weights" json:"weights"`
	// Resolution is the modularity resolution γ: above 1 gives more,
	// smaller contexts, below 1 fewer, larger ones. Default 1.
	Resolution float64 `yaml:"resolution" json:"resolution"`
	// Contexts asks for exactly this many contexts (0: as many as the
	// structure suggests). The resolution is searched for a partition with
	// at least that many, and the closest contexts are then merged.
	Contexts int `yaml:"contexts" json:"contexts,omitempty"`
	// Pin maps a context name to the patterns of the units it must hold.
	// Pins always win over every signal, over shared_kernel and over
	// ignore. Two pins may not claim the same unit.
	Pin map[string][]string `yaml:"pin" json:"pin,omitempty"`
	// Apart lists pairs that must end in different contexts. Each side is
	// a pinned context's name or a pattern.
	Apart [][]string `yaml:"apart" json:"apart,omitempty"`
	// SharedKernel patterns name units that belong to no context: the
	// library every service vendors.
	SharedKernel []string `yaml:"shared_kernel" json:"shared_kernel,omitempty"`
	// Ignore patterns name units left out of the analysis altogether
	// (listed as ignored in the plan).
	Ignore []string `yaml:"ignore" json:"ignore,omitempty"`
	// StopWords are extra words the vocabulary signal and context naming
	// skip, beside the built-in English, Go and infrastructure words.
	StopWords []string `yaml:"stop_words" json:"stop_words,omitempty"`
	// Borderline is the margin below which a placement is listed as
	// borderline: (best − second) / best of the unit's affinities.
	// Default 0.25.
	Borderline float64 `yaml:"borderline" json:"borderline"`
	// KernelSpread is the share of the contexts that must use a unit (with
	// none of them holding most of its use) before it is moved to the
	// shared kernel. Default 0.5.
	KernelSpread float64 `yaml:"kernel_spread" json:"kernel_spread"`
	// Cohesive is the share of a package's declarations that one context
	// must hold for the package to be placed whole; below it the package is
	// split. Default 0.7.
	Cohesive float64 `yaml:"cohesive" json:"cohesive"`
	// Seed seeds the node order of community detection. The result depends
	// on it only in ties; it is fixed so that runs are reproducible.
	Seed uint64 `yaml:"seed" json:"seed"`
	// CoChange turns on the co-change signal, files committed together,
	// and limits the history it reads. Off by default.
	CoChange CoChange `yaml:"cochange" json:"cochange"`

	// Extra are further edges the model does not hold (the model's table
	// accesses, Model.Tables, are read directly). An endpoint that is not
	// a declaration of the model (say "table:orders") becomes a shared
	// resource that joins the declarations touching it; its name (after
	// the colon) feeds the vocabulary.
	Extra []ExtraEdge `yaml:"-" json:"-"`
	// CPU is the input of the observed-CPU signal: the calls a profile
	// saw, with their CPU time as a share of the profile's attributed
	// time (package analysis/evidence). Empty without a profile, which
	// leaves every output as it is without the signal.
	CPU []CPUEdge `yaml:"-" json:"-"`
	// History is the input of the co-change signal: the files each commit
	// changed, relative to the model's root (Model.Root) like the model's
	// positions. The caller reads it (package analysis/history) when
	// CoChange.Enabled is set; it is used only then.
	History [][]string `yaml:"-" json:"-"`
}

// CPUEdge is a call seen in a CPU profile: caller and callee
// declarations, and the share of the profile's attributed CPU time spent
// in samples where the caller called the callee.
type CPUEdge struct {
	From, To string
	Share    float64
}

// DefaultObservedCPU is the weight of the observed-CPU signal when a
// profile is given and the settings name none.
const DefaultObservedCPU = 1.0

// ObservedCPUWeight is the observed-CPU weight in force: the one set, or
// the default.
func (w Weights) ObservedCPUWeight() float64 {
	if w.ObservedCPU != nil {
		return *w.ObservedCPU
	}
	return DefaultObservedCPU
}

// CoChange configures the co-change signal: files changed in the same
// commits are coupled, however the code ties them (history-based coupling
// is among the strongest signals of what belongs together). It needs the
// repository's Git history:
//
//	cluster:
//	  cochange: {enabled: true, commits: 1000, max_files: 50, min_support: 2}
//	  weights: {cochange: 0.5}
type CoChange struct {
	// Enabled reads the history and adds the signal (--cochange).
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Commits is how many of the newest commits touching the analyzed
	// tree are read, merges left out. Default 1000: recent history says
	// more about today's design than the first years of a project.
	Commits int `yaml:"commits" json:"commits"`
	// MaxFiles leaves out commits that changed more files than this:
	// reformatting, renames, dependency updates touch everything and
	// couple nothing. Default 50.
	MaxFiles int `yaml:"max_files" json:"max_files"`
	// MinSupport is the number of commits two files must share before
	// they count as coupled: one shared commit is chance. Default 2.
	MinSupport int `yaml:"min_support" json:"min_support"`
}

// Weights scale the signals. Every weight is ≥ 0; 0 switches a signal off.
type Weights struct {
	// Call is a static call; the site count c enters as 1+ln(c).
	Call float64 `yaml:"call" json:"call"`
	// DynamicCall is a call through an interface or a function value, as
	// resolved by the call-graph algorithm (less certain than a static call).
	DynamicCall float64 `yaml:"dynamic_call" json:"dynamic_call"`
	// Ref is a reference to a function, method or constant that is not a call.
	Ref float64 `yaml:"ref" json:"ref"`
	// TypeRef is a use of a type.
	TypeRef float64 `yaml:"type_ref" json:"type_ref"`
	// Implements joins a concrete type to an interface it satisfies.
	Implements float64 `yaml:"implements" json:"implements"`
	// SharedData joins a declaration to a package-level variable it reads
	// or writes, so that declarations touching the same variable meet.
	SharedData float64 `yaml:"shared_data" json:"shared_data"`
	// SharedTable joins a declaration to a database table it reads or
	// writes (Model.Tables, and ExtraEdge kind "table"); the number of
	// accesses c weighs 1+ln(c).
	SharedTable float64 `yaml:"shared_table" json:"shared_table"`
	// Receiver joins a method to its receiver type.
	Receiver float64 `yaml:"receiver" json:"receiver"`
	// File joins the declarations of one source file.
	File float64 `yaml:"file" json:"file"`
	// Proximity joins the files of a package, and a package to its parent
	// directory, more weakly further up the path.
	Proximity float64 `yaml:"proximity" json:"proximity"`
	// Vocabulary joins units that share a domain word in their names,
	// routes, package paths or table names, weighted by the word's rarity.
	Vocabulary float64 `yaml:"vocabulary" json:"vocabulary"`
	// Generated scales every edge of a declaration in generated code.
	Generated float64 `yaml:"generated" json:"generated"`
	// CoChange joins two source files changed together in at least
	// CoChange.MinSupport commits by their coupling c_ab / √(n_a·n_b),
	// where n_a counts the commits changing file a and c_ab sums, over the
	// commits changing both, 1/(k−1) for a commit changing k files (a
	// cosine that counts a commit across many files less), times the
	// smaller file's number of declarations: two files always changed
	// together, alone, are tied about as strongly as the declarations of
	// one file are (Weights.File). Used only when CoChange.Enabled is set.
	CoChange float64 `yaml:"cochange" json:"cochange"`
	// ObservedCPU joins a caller to a callee by the CPU time that a
	// profile saw the call take (Config.CPU): s, its share of the
	// profile's attributed CPU, weighs ln(1 + 100·s), so an edge on a hot
	// path (10% of the CPU: 2.4) counts about as much as a few static call
	// sites and one seen once counts next to nothing. It applies only when
	// a profile is given; unset, it is DefaultObservedCPU then, and the
	// plan's echo of the settings shows it only when it applied.
	ObservedCPU *float64 `yaml:"observed_cpu,omitempty" json:"observed_cpu,omitempty"`
	// HubDamping divides an edge's weight by 1+HubDamping·ln(n) where n is
	// the number of other packages using its target: widely used helpers
	// (logging, errors, config) stop gluing contexts together.
	HubDamping float64 `yaml:"hub_damping" json:"hub_damping"`
}

// ExtraEdge is an edge supplied beside the model's. Kind "table" is
// weighted by Weights.SharedTable, a model edge kind by its own weight, any
// other kind by 1.
type ExtraEdge struct {
	From, To string
	Kind     string
	Weight   float64
}

// Default values of the settings.
const (
	DefaultResolution   = 1.0
	DefaultBorderline   = 0.25
	DefaultKernelSpread = 0.5
	DefaultCohesive     = 0.7
	DefaultSeed         = 1

	DefaultCoChangeCommits    = 1000
	DefaultCoChangeMaxFiles   = 50
	DefaultCoChangeMinSupport = 2
)

// DefaultWeights are the signal weights used unless decompose.yaml says
// otherwise.
func DefaultWeights() Weights {
	return Weights{
		Call:        1,
		DynamicCall: 0.5,
		Ref:         0.8,
		TypeRef:     0.5,
		Implements:  0.5,
		SharedData:  1,
		SharedTable: 1,
		Receiver:    1,
		File:        0.5,
		Proximity:   0.5,
		Vocabulary:  0.5,
		Generated:   0.25,
		CoChange:    0.5,
		HubDamping:  1,
	}
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{
		Weights:      DefaultWeights(),
		Resolution:   DefaultResolution,
		Borderline:   DefaultBorderline,
		KernelSpread: DefaultKernelSpread,
		Cohesive:     DefaultCohesive,
		Seed:         DefaultSeed,
		CoChange: CoChange{
			Commits:    DefaultCoChangeCommits,
			MaxFiles:   DefaultCoChangeMaxFiles,
			MinSupport: DefaultCoChangeMinSupport,
		},
	}
}

// withDefaults fills the settings a zero Config leaves unset: all weights
// (when every weight is zero), the resolution, the thresholds and the seed.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Weights == (Weights{}) {
		c.Weights = d.Weights
	}
	if c.Resolution == 0 {
		c.Resolution = d.Resolution
	}
	if c.Borderline == 0 {
		c.Borderline = d.Borderline
	}
	if c.KernelSpread == 0 {
		c.KernelSpread = d.KernelSpread
	}
	if c.Cohesive == 0 {
		c.Cohesive = d.Cohesive
	}
	if c.Seed == 0 {
		c.Seed = d.Seed
	}
	if c.CoChange.Commits == 0 {
		c.CoChange.Commits = d.CoChange.Commits
	}
	if c.CoChange.MaxFiles == 0 {
		c.CoChange.MaxFiles = d.CoChange.MaxFiles
	}
	if c.CoChange.MinSupport == 0 {
		c.CoChange.MinSupport = d.CoChange.MinSupport
	}
	return c
}

// Validate checks the settings that do not depend on the model. Cluster
// also checks the patterns against the model.
// MaxWeight and MaxResolution bound the settings: sums of weights, and
// the resolutions solveN tries (up to 8γ), must stay finite in float64.
const (
	MaxWeight     = 1e6
	MaxResolution = 1000.0
)

func (c Config) Validate() error {
	w := c.Weights
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"call", w.Call}, {"dynamic_call", w.DynamicCall}, {"ref", w.Ref}, {"type_ref", w.TypeRef},
		{"implements", w.Implements}, {"shared_data", w.SharedData}, {"shared_table", w.SharedTable},
		{"receiver", w.Receiver}, {"file", w.File}, {"proximity", w.Proximity}, {"vocabulary", w.Vocabulary},
		{"generated", w.Generated}, {"cochange", w.CoChange}, {"hub_damping", w.HubDamping},
		{"observed_cpu", w.ObservedCPUWeight()},
	} {
		if f.v < 0 || f.v > MaxWeight || math.IsNaN(f.v) {
			return fmt.Errorf("cluster.weights.%s: %v is not a weight in [0, %g]", f.name, f.v, MaxWeight)
		}
	}
	if c.Resolution < 0 || c.Resolution > MaxResolution || math.IsNaN(c.Resolution) {
		return fmt.Errorf("cluster.resolution: %v is not a resolution in (0, %g] (0: the default)", c.Resolution, MaxResolution)
	}
	if c.Contexts < 0 {
		return fmt.Errorf("cluster.contexts: %d: want a count ≥ 0", c.Contexts)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"borderline", c.Borderline}, {"kernel_spread", c.KernelSpread}, {"cohesive", c.Cohesive}} {
		if f.v < 0 || f.v > 1 || math.IsNaN(f.v) {
			return fmt.Errorf("cluster.%s: %v is not a share in [0, 1]", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"commits", c.CoChange.Commits}, {"max_files", c.CoChange.MaxFiles}, {"min_support", c.CoChange.MinSupport}} {
		if f.v < 0 {
			return fmt.Errorf("cluster.cochange.%s: %d: want a count ≥ 0 (0: the default)", f.name, f.v)
		}
	}
	for name, pats := range c.Pin {
		if !ValidName(name) {
			return fmt.Errorf("cluster.pin: %q is not a context name (lower-case letters and digits, starting with a letter, not a Go keyword)", name)
		}
		if len(pats) == 0 {
			return fmt.Errorf("cluster.pin.%s: no patterns", name)
		}
		for _, p := range pats {
			if strings.TrimSpace(p) == "" {
				return fmt.Errorf("cluster.pin.%s: empty pattern", name)
			}
		}
	}
	for i, pair := range c.Apart {
		if len(pair) != 2 {
			return fmt.Errorf("cluster.apart[%d]: want a pair [a, b], got %d entries", i, len(pair))
		}
		if pair[0] == pair[1] {
			return fmt.Errorf("cluster.apart[%d]: %q is kept apart from itself", i, pair[0])
		}
	}
	return nil
}
