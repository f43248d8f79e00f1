package cluster

import (
	"errors"

	"decompose/analysis/model"
)

// kernelCtx marks a declaration or package placed in the kernel.
const kernelCtx = -1

// Cluster proposes bounded contexts for the model. It is deterministic: the
// same model and configuration give the same decomposition, whatever the
// order of the model's slices.
func Cluster(m *model.Model, cfg Config) (*Decomposition, error) {
	if m == nil {
		return nil, errors.New("cluster: no model")
	}
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	u, warnings, err := newUniverse(m, cfg.Ignore)
	if err != nil {
		return nil, err
	}
	r := &run{u: u, cfg: cfg, warnings: warnings}
	if err := r.constrain(); err != nil {
		return nil, err
	}
	r.v = newVocab(cfg.StopWords)
	r.s = buildSignals(u, cfg, r.v)
	r.lay = newLayout(u, packageWeights(u))

	var p *partition
	if cfg.Contexts > 0 {
		p = r.solveN(cfg.Contexts)
	} else {
		p = r.solve(cfg.Resolution)
	}
	return r.decompose(p), nil
}

// run carries one clustering run.
type run struct {
	u        *universe
	cfg      Config
	v        *vocab
	s        *signals
	warnings []string

	pinNames  []string // sorted
	declPin   []int32  // per declaration: pin index or -1
	pkgPin    []int32  // per package: pin index when the whole package is pinned, or -1
	tags      [][]int32
	forcedK   []bool // declarations named by shared_kernel patterns (and not pinned)
	forcedKP  []bool // packages named wholly by shared_kernel patterns
	placeable int
	sharing   []bool // per package: its names share a domain word with another package
	lay       *layout
}

// partition is a placement of every declaration and package.
type partition struct {
	gamma float64
	nctx  int
	ctx   []int32 // per declaration: context, or kernelCtx
	// pkgCtx is the package's context when placed whole, kernelCtx for
	// the kernel, splitPkg when split.
	pkgCtx []int32
	// reason per declaration (kernel reasons, pins)
	reason []string
	// pkgReason per package placed whole in the kernel, or kept with
	// its service folder
	pkgReason []string
}

const splitPkg = -2

// solve clusters at resolution gamma: a first pass finds the units most
// contexts share, a second clusters the rest.
func (r *run) solve(gamma float64) *partition {
	u := r.u
	nd := len(u.decls)
	keep := make([]bool, nd)
	for d := range keep {
		di := u.decls[d]
		keep[d] = r.declPin[d] >= 0 || (!r.forcedK[d] && !r.forcedKP[di.pkg] && !u.pkgs[di.pkg].main)
	}
	g1 := r.groupPackages(keep, gamma)
	spread := r.spreadKernel(g1, keep)
	keep2 := append([]bool(nil), keep...)
	for d := range spread {
		keep2[d] = false
	}
	g2 := r.groupPackages(keep2, gamma)
	p := r.place(g2, keep2, spread)
	p.gamma = gamma
	return p
}
