package cluster

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"decompose/analysis/model"
)

// repeat lists a commit n times.
func repeat(n int, files ...string) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = files
	}
	return out
}

func concat(hs ...[][]string) [][]string {
	var out [][]string
	for _, h := range hs {
		out = append(out, h...)
	}
	return out
}

func TestCoChangeWeights(t *testing.T) {
	b := newBuilder(shop)
	b.fn(shop+"/a.A1", "a.go")
	b.fn(shop+"/a.A2", "a.go")
	b.fn(shop+"/b.B1", "b.go")
	b.fn(shop+"/b.B2", "b.go")
	b.fn(shop+"/c.C1", "c.go")
	b.fn(shop+"/g.G1", "g.go")
	m := b.model()
	for i := range m.Decls {
		if m.Decls[i].ID == shop+"/g.G1" {
			m.Decls[i].Generated = true
		}
	}
	a, bf, c, g := shop+"/a/a.go", shop+"/b/b.go", shop+"/c/c.go", shop+"/g/g.go"
	tests := []struct {
		name    string
		history [][]string
		cfg     func(c *Config)
		want    map[[2]string]float64 // file pair → weight before Weights.CoChange
	}{
		{"always together", repeat(3, a, bf), nil, map[[2]string]float64{{a, bf}: 1}},
		{"backwards", repeat(3, bf, a), nil, map[[2]string]float64{{a, bf}: 1}},
		{"once is chance", repeat(1, a, bf), nil, map[[2]string]float64{}},
		{"support threshold", repeat(2, a, bf), func(c *Config) { c.CoChange.MinSupport = 3 }, map[[2]string]float64{}},
		{"cosine", concat(repeat(2, a, bf), repeat(2, a), repeat(6, bf)), nil,
			map[[2]string]float64{{a, bf}: 2 / math.Sqrt(4*8)}},
		{"a commit of three files counts half per pair", repeat(2, a, bf, c), nil,
			map[[2]string]float64{{a, bf}: 0.5, {a, c}: 0.5, {bf, c}: 0.5}},
		{"files outside the model do not count", repeat(2, a, bf, "README.md", "x/y.sql"), nil,
			map[[2]string]float64{{a, bf}: 1}},
		{"declaration count of the smaller file", repeat(2, a, c), nil, map[[2]string]float64{{a, c}: 1}},
		{"bulk commits left out", concat(repeat(2, a, bf), repeat(4, a, bf, c)), func(c *Config) { c.CoChange.MaxFiles = 2 },
			map[[2]string]float64{{a, bf}: 1}},
		{"generated code weighs less", repeat(2, bf, g), nil, map[[2]string]float64{{bf, g}: DefaultWeights().Generated}},
		{"duplicates in a commit", repeat(2, a, a, bf), nil, map[[2]string]float64{{a, bf}: 1}},
		{"off", repeat(3, a, bf), func(c *Config) { c.CoChange.Enabled = false }, map[[2]string]float64{}},
		{"weight 0", repeat(3, a, bf), func(c *Config) { c.Weights.CoChange = 0 }, map[[2]string]float64{}},
		// a and b: ½ + ½ + 1 over √(3·3); a and c: ½ + ½ over √(3·2)
		{"mixed", concat(repeat(2, a, bf, c), repeat(1, a, bf)), nil,
			map[[2]string]float64{{a, bf}: 2.0 / 3, {a, c}: 1 / math.Sqrt(3*2), {bf, c}: 1 / math.Sqrt(3*2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.CoChange.Enabled = true
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			cfg.History = tt.history
			u, _, _ := newUniverse(m, nil)
			s := buildSignals(u, cfg, newVocab(nil))
			got := map[[2]string]float64{}
			for _, e := range s.cochange {
				if e.kind != kindCoChange || int(e.from) >= int(e.to) {
					t.Errorf("edge %+v is not a co-change edge from the lower file node", e)
				}
				got[[2]string{s.nodeName(int(e.from)), s.nodeName(int(e.to))}] = e.w
			}
			size := map[string]float64{a: 2, bf: 2, c: 1, g: 1}
			for k, w := range tt.want {
				want := cfg.Weights.CoChange * w * math.Min(size[k[0]], size[k[1]])
				if math.Abs(got[k]-want) > 1e-12 {
					t.Errorf("%s–%s weighs %v, want %v", k[0], k[1], got[k], want)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("edges %v, want %v", got, tt.want)
			}
		})
	}
}

// handlersModel is the layered shop with a report handler that the code
// ties to no domain: it only writes JSON.
func handlersModel() *model.Model {
	m, _ := layeredModel()
	b := &builder{m: *m, pkgs: map[string]bool{}, decls: map[string]bool{}}
	for _, p := range m.Packages {
		b.pkgs[p.Path] = true
	}
	for _, d := range m.Decls {
		b.decls[d.ID] = true
	}
	b.fn(shop+"/handlers.ExportCSV", "export.go")
	b.fn(shop+"/handlers.exportRows", "export.go")
	b.call(shop+"/handlers.ExportCSV", shop+"/handlers.exportRows")
	b.call(shop+"/handlers.ExportCSV", shop+"/handlers.writeJSON")
	b.http(shop+"/handlers.ExportCSV", "GET", "/export")
	return b.model()
}

func TestCoChangePlacement(t *testing.T) {
	beta := func(f string) string { return shop + "/internal/beta/" + f }
	tests := []struct {
		name    string
		m       *model.Model
		unit    string
		history [][]string
		weight  float64
		with    string // the unit's context with the signal
		without string // and without; "" is the kernel
		same    bool   // with: the context of another unit, not a name
	}{
		{
			name: "declaration at the root", m: tipModel(shop+".Label", model.EdgeRef, func(*builder) {}),
			unit: shop + ".Label", weight: 4, with: "beta", without: "alpha",
			history: concat(repeat(3, shop+"/shop.go", beta("app/app.go")), repeat(3, shop+"/shop.go", beta("domain/domain.go"))),
		},
		{
			// the orders files always change with export.go: the report
			// is the orders context's
			name: "handler of a layered package", m: handlersModel(), unit: shop + "/handlers.ExportCSV",
			history: concat(repeat(3, shop+"/handlers/export.go", shop+"/services/order.go"),
				repeat(3, shop+"/handlers/export.go", shop+"/store/order.go", shop+"/models/order.go"),
				repeat(3, shop+"/handlers/user.go", shop+"/services/user.go")),
			with: shop + "/handlers.PlaceOrder", same: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on := DefaultConfig()
			on.CoChange.Enabled = true
			if tt.weight > 0 {
				on.Weights.CoChange = tt.weight
			}
			on.History = tt.history
			off := on
			off.CoChange.Enabled = false
			dOn, err := Cluster(tt.m, on)
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, tt.m, dOn)
			dOff, err := Cluster(tt.m, off)
			if err != nil {
				t.Fatal(err)
			}
			plOn, plOff := placement(t, tt.m, dOn), placement(t, tt.m, dOff)
			want := tt.with
			if tt.same {
				want = plOn[tt.with]
				if plOff[tt.unit] == plOff[tt.with] {
					t.Errorf("without co-change %s is already with %s in %q", tt.unit, tt.with, plOff[tt.unit])
				}
			} else if plOff[tt.unit] != tt.without {
				t.Errorf("without co-change %s is in %q, want %q", tt.unit, plOff[tt.unit], tt.without)
			}
			if plOn[tt.unit] != want {
				t.Errorf("with co-change %s is in %q, want %q", tt.unit, plOn[tt.unit], want)
			}
			if !hasEvidence(dOn, kindCoChange) {
				t.Errorf("no placement gives co-change as evidence")
			}
			if hasEvidence(dOff, kindCoChange) {
				t.Errorf("a placement gives co-change as evidence with the signal off")
			}
		})
	}
}

func hasEvidence(d *Decomposition, kind string) bool {
	for _, c := range d.Contexts {
		for _, pl := range c.Placements {
			for _, e := range pl.Evidence {
				if e.Kind == kind {
					return true
				}
			}
		}
	}
	return false
}

func TestCoChangeDeterministic(t *testing.T) {
	m := handlersModel()
	cfg := DefaultConfig()
	cfg.CoChange.Enabled = true
	var files []string
	for _, p := range m.Packages {
		for _, f := range p.Files {
			files = append(files, f.Path)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		n := 2 + r.IntN(6)
		c := make([]string, n)
		for j := range c {
			c[j] = files[r.IntN(len(files))]
		}
		cfg.History = append(cfg.History, c)
	}
	want, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		c := cfg
		c.History = append([][]string(nil), cfg.History...)
		rand.New(rand.NewPCG(seed, seed)).Shuffle(len(c.History), func(i, j int) { c.History[i], c.History[j] = c.History[j], c.History[i] })
		got, err := Cluster(shuffled(m, seed), c)
		if err != nil {
			t.Fatal(err)
		}
		// the history is not part of the result's configuration
		got.Config.History, want.Config.History = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("history in another order (seed %d) gives another decomposition", seed)
		}
	}
}
