package plan

import (
	"cmp"
	"slices"

	"decompose/analysis/model"
)

// Contract is an in-process call between two contexts that becomes a
// remote call once they are separate services.
type Contract struct {
	// From and To are the calling and the called context.
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
	// Caller and Callee are declaration IDs; Signature is the callee's
	// type, which the remote API must carry.
	Caller    string `yaml:"caller" json:"caller"`
	Callee    string `yaml:"callee" json:"callee"`
	Signature string `yaml:"signature,omitempty" json:"signature,omitempty"`
	// Sites counts the call sites (Pos is the first); Async those that do
	// not wait for an outcome.
	Sites int    `yaml:"sites" json:"sites"`
	Async int    `yaml:"async,omitempty" json:"async,omitempty"`
	Pos   string `yaml:"pos" json:"pos"`
	// Style is "sync" (request/response: the caller uses the result on
	// its path) or "async" (an event or queue message: every site is fire
	// and forget).
	Style string `yaml:"style" json:"style"`
}

// contracts lists the calls (static and dynamic) from one context into
// another. Calls into or out of the shared kernel stay in-process: the
// kernel is a library each service carries.
func contracts(m *model.Model, locate func(string) string) []Contract {
	sigs := map[string]string{}
	for _, d := range m.Decls {
		sigs[d.ID] = d.Signature
	}
	byKey := map[[2]string]*Contract{}
	for _, e := range m.Edges {
		if e.Kind != model.EdgeCall && e.Kind != model.EdgeDynamicCall {
			continue
		}
		from, to := locate(e.From), locate(e.To)
		if from == "" || to == "" || from == to || from == model.Kernel || to == model.Kernel {
			continue
		}
		k := [2]string{e.From, e.To}
		c := byKey[k]
		if c == nil {
			c = &Contract{From: from, To: to, Caller: e.From, Callee: e.To, Signature: sigs[e.To], Pos: e.Pos}
			byKey[k] = c
		}
		c.Sites += e.Weight
		c.Async += e.Async
		if e.Pos < c.Pos {
			c.Pos = e.Pos
		}
	}
	out := make([]Contract, 0, len(byKey))
	for _, c := range byKey {
		c.Style = "sync"
		if c.Async == c.Sites {
			c.Style = "async"
		}
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Contract) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
			cmp.Compare(a.Callee, b.Callee),
			cmp.Compare(a.Caller, b.Caller),
		)
	})
	return out
}
