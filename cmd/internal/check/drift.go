package check

import (
	"fmt"
	"sort"

	"decompose/analysis/model"
	"decompose/cluster"
	"decompose/emit/plan"
)

// drift clusters the program as it is now, with the plan's clustering
// settings (without the co-change signal: check reads no history), and
// reports as advice the units it would place in another context than the
// accepted one. The clustering's contexts are matched with the accepted
// ones by overlap, not by name: each takes the name of the accepted
// context that holds most of its declarations. A package whose every
// declaration moves to the same context is one report; otherwise each
// declaration that moves is.
func (c *checker) drift() error {
	cfg := cluster.DefaultConfig()
	if c.a.Config != nil {
		cfg = *c.a.Config
	}
	cfg.CoChange.Enabled = false
	cfg.History = nil
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%s: config: %v", c.a.File, err)
	}
	dec, err := cluster.Cluster(c.m, cfg)
	if err != nil {
		return err
	}
	now := plan.Locate(c.m, dec)

	overlap := map[string]map[string]int{} // current → accepted → declarations
	for _, d := range c.m.Decls {
		acc, cur := c.owner(d.ID), now(d.ID)
		if acc == nobody || acc == ignored || cur == "" {
			continue
		}
		if overlap[cur] == nil {
			overlap[cur] = map[string]int{}
		}
		overlap[cur][acc]++
	}
	named := map[string]string{model.Kernel: model.Kernel}
	for cur, accs := range overlap {
		if cur == model.Kernel {
			continue
		}
		best, n := "", 0
		for acc, k := range accs {
			if acc != model.Kernel && (k > n || k == n && acc < best) {
				best, n = acc, k
			}
		}
		if best == "" {
			best = "new context " + cur
		}
		named[cur] = best
	}

	type move struct{ id, from, to string }
	byPkg := map[string][]move{}
	total := map[string]int{}
	for _, d := range c.m.Decls {
		acc, cur := c.owner(d.ID), now(d.ID)
		if acc == nobody || acc == ignored || cur == "" {
			continue
		}
		total[d.Package]++
		if to := named[cur]; to != acc {
			byPkg[d.Package] = append(byPkg[d.Package], move{d.ID, acc, to})
		}
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		moves := byPkg[p]
		whole := len(moves) == total[p]
		for _, mv := range moves[1:] {
			whole = whole && mv.from == moves[0].from && mv.to == moves[0].to
		}
		if whole {
			if _, split := c.packageOwner(p); !split {
				c.driftReport(c.packagePos(c.pkgs[p]), p, moves[0].from, moves[0].to, "package")
				continue
			}
		}
		for _, mv := range moves {
			c.driftReport(c.decls[mv.id].Pos, mv.id, mv.from, mv.to, "declaration")
		}
	}
	return nil
}

func (c *checker) driftReport(pos, unit, from, to, what string) {
	c.add(Report{
		Rule: RuleDrift, Advice: true, Pos: pos, From: from, To: to, Source: unit,
		Message:     fmt.Sprintf("drift: the clustering would now place %s %s in %s, not %s", what, c.short(unit), to, from),
		Fingerprint: fingerprint(RuleDrift, unit, from, to),
	})
}
