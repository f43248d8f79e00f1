package cluster

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// constrain resolves pins, apart pairs and shared-kernel patterns.
func (r *run) constrain() error {
	u := r.u
	nd := len(u.decls)
	r.declPin = make([]int32, nd)
	for i := range r.declPin {
		r.declPin[i] = -1
	}
	r.pkgPin = make([]int32, len(u.pkgs))
	for i := range r.pkgPin {
		r.pkgPin[i] = -1
	}
	for name := range r.cfg.Pin {
		r.pinNames = append(r.pinNames, name)
	}
	sort.Strings(r.pinNames)
	claimP := map[int]string{} // package → pin that claimed it wholly
	claimD := map[int]string{}
	patOf := map[int]string{}
	for pi, name := range r.pinNames {
		for _, pat := range r.cfg.Pin[name] {
			ps, ds := u.match(pat)
			if len(ps) == 0 && len(ds) == 0 {
				return fmt.Errorf("cluster.pin.%s: pattern %q matches no package or declaration", name, pat)
			}
			for _, p := range ps {
				if other, ok := claimP[p]; ok && other != name {
					return fmt.Errorf("cluster.pin: %s and %s both claim package %s", other, name, u.pkgs[p].path)
				}
				claimP[p] = name
				r.pkgPin[p] = int32(pi)
			}
			for _, d := range ds {
				if other, ok := claimD[d]; ok && other != name {
					return fmt.Errorf("cluster.pin: %s (%q) and %s (%q) both claim %s", other, patOf[d], name, pat, u.decls[d].id)
				}
				claimD[d] = name
				patOf[d] = pat
				r.declPin[d] = int32(pi)
			}
		}
	}
	r.tags = make([][]int32, nd)
	for i, pair := range r.cfg.Apart {
		for side, x := range pair {
			var ds []int
			if pi := sort.SearchStrings(r.pinNames, x); pi < len(r.pinNames) && r.pinNames[pi] == x {
				for d := range r.declPin {
					if r.declPin[d] == int32(pi) {
						ds = append(ds, d)
					}
				}
			} else {
				_, ds = u.match(x)
			}
			if len(ds) == 0 {
				return fmt.Errorf("cluster.apart[%d]: %q is neither a pinned context nor a pattern matching a declaration", i, x)
			}
			t := int32(2*i + side)
			for _, d := range ds {
				if slices.Contains(r.tags[d], t^1) {
					return fmt.Errorf("cluster.apart[%d]: %s is on both sides", i, u.decls[d].id)
				}
				r.tags[d] = append(r.tags[d], t)
			}
		}
	}
	// two pinned sides of one pair in the same pin cannot be kept apart
	for i := range r.cfg.Apart {
		sides := [2]map[int32]bool{{}, {}}
		for d, ts := range r.tags {
			for _, t := range ts {
				if int(t/2) == i && r.declPin[d] >= 0 {
					sides[t%2][r.declPin[d]] = true
				}
			}
		}
		for p := range sides[0] {
			if sides[1][p] {
				return fmt.Errorf("cluster.apart[%d]: both sides are pinned to %s", i, r.pinNames[p])
			}
		}
	}
	r.forcedK = make([]bool, nd)
	r.forcedKP = make([]bool, len(u.pkgs))
	for _, pat := range r.cfg.SharedKernel {
		ps, ds := u.match(pat)
		if len(ps) == 0 && len(ds) == 0 {
			r.warnings = append(r.warnings, fmt.Sprintf("shared_kernel pattern %q matches nothing", pat))
		}
		for _, p := range ps {
			if r.pkgPin[p] < 0 {
				r.forcedKP[p] = true
			}
		}
		for _, d := range ds {
			if r.declPin[d] < 0 {
				r.forcedK[d] = true
			}
		}
	}
	// the units that can be placed in a context: packages placed whole
	// count once
	for p, pk := range u.pkgs {
		if r.forcedKP[p] {
			continue
		}
		free := 0
		for _, d := range pk.decls {
			if !r.forcedK[d] {
				free++
			}
		}
		if free > 0 || len(pk.decls) == 0 {
			r.placeable += free
			if free == 0 {
				r.placeable++
			}
		}
	}
	if r.cfg.Contexts > 0 && r.cfg.Contexts > r.placeable {
		return fmt.Errorf("cluster.contexts: asked for %d contexts but the model has only %d units that can be placed in one", r.cfg.Contexts, r.placeable)
	}
	if n := len(r.pinNames); r.cfg.Contexts > 0 && n > r.cfg.Contexts {
		return fmt.Errorf("cluster.contexts: asked for %d contexts but %d are pinned (%s)", r.cfg.Contexts, n, strings.Join(r.pinNames, ", "))
	}
	return nil
}

// constraintsFor returns the pins and apart tags as community-detection
// constraints over all nodes, or nil when there are none.
func (r *run) constraintsFor() *constraints {
	if len(r.pinNames) == 0 && len(r.cfg.Apart) == 0 {
		return nil
	}
	n := r.s.numNodes()
	c := &constraints{pin: make([]int32, n), tags: make([][]int32, n)}
	for i := range c.pin {
		c.pin[i] = -1
	}
	copy(c.pin, r.declPin)
	for p, pin := range r.pkgPin {
		c.pin[r.s.pkgBase+p] = pin
	}
	copy(c.tags, r.tags)
	return c
}

// apartFrom reports whether context c holds a declaration that an apart
// pair keeps from declaration d.
func (r *run) apartFrom(p *partition, d int, c int32) bool {
	if len(r.tags[d]) == 0 || c < 0 {
		return false
	}
	for o, ts := range r.tags {
		if o == d || p.ctx[o] != c {
			continue
		}
		for _, t := range ts {
			if slices.Contains(r.tags[d], t^1) {
				return true
			}
		}
	}
	return false
}

func (r *run) pinContext(p *partition, pin int32) int32 {
	for d := range r.declPin {
		if r.declPin[d] == pin {
			return p.ctx[d]
		}
	}
	return kernelCtx
}
