package cluster

import "decompose/analysis/model"

// Decomposition is the proposed split of a program into bounded contexts.
// Every analyzed package appears exactly once: in one context's Packages,
// in the kernel's Packages or Infrastructure, or split, with its
// declarations in Members of contexts or of the kernel. Every slice is
// sorted.
type Decomposition struct {
	// Module is the main module's path (the first, for workspaces).
	Module string
	// Root is the common path prefix of the analyzed packages.
	Root     string
	Contexts []Context
	Kernel   Kernel
	// Split lists the packages whose declarations are spread over
	// contexts (and the kernel).
	Split []string
	// Ignored are the packages left out by the ignore patterns;
	// IgnoredDecls the declarations of kept packages left out.
	Ignored      []string
	IgnoredDecls []string
	// Borderline are the placements whose margin is below
	// Config.Borderline, for a human to decide.
	Borderline []Placement
	Metrics    Metrics
	// Config is the configuration the run used, defaults filled in.
	Config Config
	// Warnings are problems that did not stop the run.
	Warnings []string
}

// Context is a candidate bounded context: a future service.
type Context struct {
	// Name is unique, lower-case, and valid as a directory and a Go
	// identifier.
	Name string
	// Pinned is set when the name comes from a pin in the configuration.
	Pinned bool
	// Packages are the packages wholly in this context.
	Packages []string
	// Members are the declarations of split packages that belong here.
	Members []Member
	// EntryPoints are the entry points whose handler (or, for those
	// without one, whose package) is in this context.
	EntryPoints []model.EntryPoint
	// Vocabulary are the context's most distinctive domain words, best
	// first.
	Vocabulary []string
	// Placements explain every unit placed here: each package, and each
	// declaration of a split package.
	Placements []Placement
	Metrics    ContextMetrics
}

// Member lists the declarations of one split package, by their names
// within the package: "PlaceOrder", "OrderStore", "Server.PlaceOrder".
type Member struct {
	Package string
	Decls   []string
}

// Kernel holds the units that belong to no context.
type Kernel struct {
	// Packages are the shared kernel: value types, domain primitives and
	// utilities that several contexts use and that own no entry point.
	Packages []string
	// Infrastructure are shared technical packages (logging,
	// configuration, database plumbing, transport) and composition roots
	// that wire several contexts together.
	Infrastructure []string
	// Members are the declarations of split packages that stay shared,
	// such as a Server type whose methods serve different contexts.
	Members    []Member
	Placements []Placement
}

// Placement reasons.
const (
	ReasonPinned      = "pinned"
	ReasonSignals     = "signals"
	ReasonConfigured  = "configured-kernel"
	ReasonSpread      = "used-by-most-contexts"
	ReasonComposition = "composition-root"
	ReasonSharedType  = "methods-serve-several-contexts"
	ReasonUnconnected = "unconnected"
)

// Placement explains why one unit (a package, or a declaration of a split
// package) is where it is.
type Placement struct {
	// Unit is a package path or a declaration ID.
	Unit string
	// Package is the unit's package; Decl its name within the package
	// ("" for a package).
	Package string
	Decl    string
	// Context is where it is placed ("" for the kernel).
	Context string
	Reason  string
	// Score is the unit's affinity to Context: the summed weight of its
	// signals towards units there. Second is the best other context and
	// SecondScore its affinity.
	Score       float64
	Second      string
	SecondScore float64
	// Margin is (Score − SecondScore) / Score, 1 when nothing pulls the
	// unit elsewhere; it is negative when the unit was placed against its
	// own strongest pull (by its package's or type's majority).
	Margin float64
	// Evidence are the strongest signals towards Context, strongest first.
	Evidence []Evidence
	// UsedBy are, for kernel units, the contexts that use them.
	UsedBy []string
}

// Evidence is one signal behind a placement.
type Evidence struct {
	// Kind is a model edge kind (call, dynamic-call, ref, type-ref,
	// implements, read, write), table, receiver, same-file, co-change,
	// same-package, path or vocabulary.
	Kind string
	// From and To are the units joined; for path and vocabulary, To is
	// the shared word; for co-change, From and To are the two files.
	From, To string
	Weight   float64
}

// Metrics measure the whole decomposition. They are computed on the
// signal graph between declarations (edges of the model and extra edges,
// weighted as for clustering, taken undirected), without the kernel's
// declarations.
type Metrics struct {
	// Contexts is the number of contexts, Units the number of declarations
	// placed in them, KernelUnits those in the kernel.
	Contexts    int
	Units       int
	KernelUnits int
	// Resolution is the modularity resolution the partition was found at.
	Resolution float64
	// Modularity is Newman's Q at resolution 1:
	//   Q = Σ_c [ W_c / W − (S_c / 2W)² ]
	// where W is the total edge weight, W_c the weight of edges inside
	// context c and S_c the summed weighted degree of c's declarations.
	Modularity float64
	// StructuralModularity is SM (Jin et al. 2019), on unweighted edges:
	//   SM = (1/K) Σ_k μ_k / N_k²  −  (1/(K(K−1)/2)) Σ_{k<l} σ_kl / (2 N_k N_l)
	// with K contexts, N_k declarations in context k, μ_k the number of
	// edges inside k and σ_kl the number of edges between k and l (the
	// second term is 0 when K = 1).
	StructuralModularity float64
	// ICP is the inter-call percentage: the share of call weight (static
	// and dynamic call sites) between declarations of different contexts,
	// in [0, 1]; lower is better.
	ICP float64
	// IFN is the interface number: the mean, over contexts, of the number
	// of a context's declarations that another context uses (calls, refers
	// to, or names the type of); lower is better.
	IFN float64
	// NED is the non-extreme distribution: the share of placed
	// declarations that sit in contexts of extreme size, smaller than half
	// or larger than twice the mean context size N/K; lower is better.
	NED float64
}

// ContextMetrics measure one context on the same graph as Metrics.
type ContextMetrics struct {
	Packages int
	Decls    int
	// Cohesion is W_in / (W_in + W_out): the share of the weight of the
	// context's edges that stays inside it (W_in: edges with both ends in
	// the context, W_out: edges with one end in it and the other in
	// another context).
	Cohesion float64
	// Coupling is W_out / W: the weight of the context's edges to other
	// contexts as a share of the total edge weight.
	Coupling float64
	// Interfaces is the number of the context's declarations that other
	// contexts use.
	Interfaces int
	// DependsOn are the contexts this one uses, DependedOnBy those using it.
	DependsOn    []string
	DependedOnBy []string
}

// Placement is where d puts each declaration.
func (d *Decomposition) Placement() *model.Placement {
	p := model.NewPlacement()
	for _, c := range d.Contexts {
		for _, pkg := range c.Packages {
			p.Package(pkg, c.Name)
		}
		for _, m := range c.Members {
			p.Members(m.Package, m.Decls, c.Name)
		}
	}
	for _, pkg := range d.Kernel.Packages {
		p.Package(pkg, model.Kernel)
	}
	for _, pkg := range d.Kernel.Infrastructure {
		p.Package(pkg, model.Kernel)
	}
	for _, m := range d.Kernel.Members {
		p.Members(m.Package, m.Decls, model.Kernel)
	}
	for _, s := range d.Ignored {
		p.Ignore(s)
	}
	for _, s := range d.IgnoredDecls {
		p.Ignore(s)
	}
	return p
}
