package cluster

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestPins(t *testing.T) {
	m, _ := modularModel()
	cfg := DefaultConfig()
	cfg.Pin = map[string][]string{
		"fulfilment": {"./internal/shipping/...", shop + "/internal/orders/store.Repo"},
	}
	d, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	pl := placement(t, m, d)
	for _, id := range []string{shop + "/internal/shipping/app.Service", shop + "/internal/orders/store.Repo", shop + "/internal/orders/store.Repo.Save"} {
		if pl[id] != "fulfilment" {
			t.Errorf("%s in %q, want the pinned fulfilment", id, pl[id])
		}
	}
	if pl[shop+"/internal/orders/app.Service"] == "fulfilment" {
		t.Errorf("unpinned orders went with the pin")
	}
	var found bool
	for _, c := range d.Contexts {
		if c.Name == "fulfilment" {
			found = c.Pinned
		}
	}
	if !found {
		t.Errorf("no pinned context fulfilment")
	}
}

func TestPinsWinOverKernel(t *testing.T) {
	m, _ := modularModel()
	cfg := DefaultConfig()
	cfg.Pin = map[string][]string{"billing": {shop + "/pkg/money/..."}}
	cfg.SharedKernel = []string{shop + "/pkg/money/..."}
	d, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := placement(t, m, d)[shop+"/pkg/money.Money"]; got != "billing" {
		t.Errorf("pinned money in %q, want billing", got)
	}
}

func TestApart(t *testing.T) {
	m, _ := layeredModel()
	// keep cancelling an order apart from the rest of orders
	cfg := DefaultConfig()
	cfg.Apart = [][]string{{shop + "/handlers.CancelOrder", shop + "/services.OrderService.Cancel"}}
	d, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	pl := placement(t, m, d)
	if pl[shop+"/handlers.CancelOrder"] == pl[shop+"/services.OrderService.Cancel"] {
		t.Errorf("kept apart, yet both in %q", pl[shop+"/handlers.CancelOrder"])
	}
}

func TestSharedKernelAndIgnore(t *testing.T) {
	m, _ := modularModel()
	cfg := DefaultConfig()
	cfg.SharedKernel = []string{shop + "/internal/billing/domain"}
	cfg.Ignore = []string{shop + "/internal/shipping/store", shop + "/nothing/..."}
	d, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	if !slices.Contains(d.Kernel.Packages, shop+"/internal/billing/domain") {
		t.Errorf("configured kernel package missing: %+v", d.Kernel)
	}
	if !slices.Contains(d.Ignored, shop+"/internal/shipping/store") {
		t.Errorf("ignored package missing: %v", d.Ignored)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "nothing") {
		t.Errorf("warnings: %v", d.Warnings)
	}
}

func TestErrors(t *testing.T) {
	m, _ := modularModel()
	tests := []struct {
		name string
		cfg  func(c *Config)
		want string
	}{
		{"pin matches nothing", func(c *Config) { c.Pin = map[string][]string{"orders": {"example.com/nope/..."}} }, `cluster.pin.orders: pattern "example.com/nope/..." matches no package or declaration`},
		{"two pins claim a unit", func(c *Config) {
			c.Pin = map[string][]string{"orders": {"./internal/orders/..."}, "sales": {shop + "/internal/orders/app.Service"}}
		}, "orders (\"./internal/orders/...\") and sales"},
		{"two pins claim a package", func(c *Config) {
			c.Pin = map[string][]string{"orders": {"./internal/orders/..."}, "sales": {shop + "/internal/orders/app"}}
		}, "orders and sales both claim package"},
		{"bad pin name", func(c *Config) { c.Pin = map[string][]string{"Order-s": {"./internal/orders/..."}} }, `"Order-s" is not a context name`},
		{"too many contexts", func(c *Config) { c.Contexts = 1000 }, "asked for 1000 contexts but the model has only"},
		{"apart not a pair", func(c *Config) { c.Apart = [][]string{{"a"}} }, "cluster.apart[0]: want a pair"},
		{"apart matches nothing", func(c *Config) { c.Apart = [][]string{{"./internal/orders/...", "ghost"}} }, `"ghost" is neither a pinned context nor a pattern`},
		{"apart pinned together", func(c *Config) {
			c.Pin = map[string][]string{"orders": {"./internal/orders/..."}}
			c.Apart = [][]string{{shop + "/internal/orders/app", shop + "/internal/orders/api"}}
		}, "both sides are pinned to orders"},
		{"negative weight", func(c *Config) { c.Weights.Call = -1 }, "cluster.weights.call"},
		{"share out of range", func(c *Config) { c.Cohesive = 2 }, "cluster.cohesive"},
		{"huge resolution", func(c *Config) { c.Resolution = 1e307 }, "cluster.resolution: 1e+307 is not a resolution"},
		{"resolution past the bound", func(c *Config) { c.Resolution = 1e4 }, "cluster.resolution"},
		{"infinite weight", func(c *Config) { c.Weights.File = 1e308 }, "cluster.weights.file: 1e+308 is not a weight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.cfg(&cfg)
			_, err := Cluster(m, cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Cluster(nil, DefaultConfig()); err == nil {
		t.Errorf("no error for a nil model")
	}
	cfg := DefaultConfig()
	cfg.Resolution = MaxResolution
	if _, err := Cluster(m, cfg); err != nil {
		t.Errorf("resolution %v: %v", MaxResolution, err)
	}
}

func TestConfigYAML(t *testing.T) {
	src := `
resolution: 1.5
contexts: 3
weights: {call: 2, vocabulary: 0}
pin:
  orders: [example.com/shop/checkout/..., example.com/shop/handlers.PlaceOrder]
apart: [[orders, shipping]]
shared_kernel: [example.com/shop/money]
ignore: [example.com/shop/tools/...]
`
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Weights.Call != 2 || cfg.Weights.Vocabulary != 0 || cfg.Weights.Ref != DefaultWeights().Ref {
		t.Errorf("weights: %+v", cfg.Weights)
	}
	if cfg.Resolution != 1.5 || cfg.Contexts != 3 || len(cfg.Pin["orders"]) != 2 || cfg.Apart[0][1] != "shipping" {
		t.Errorf("config: %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Error(err)
	}
	bad := yaml.NewDecoder(strings.NewReader("weights: {cal: 2}\n"))
	bad.KnownFields(true)
	if err := bad.Decode(&cfg); err == nil {
		t.Errorf("a misspelt weight decodes")
	}
}

func TestContextsN(t *testing.T) {
	m, _ := layeredModel()
	for _, n := range []int{1, 2, 3, 5} {
		cfg := DefaultConfig()
		cfg.Contexts = n
		d, err := Cluster(m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, m, d)
		if len(d.Contexts) != n {
			t.Errorf("asked for %d contexts, got %d (%v)", n, len(d.Contexts), d.Warnings)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		b    func() *builder
	}{
		{"empty", func() *builder { return newBuilder(shop) }},
		{"one package", func() *builder {
			b := newBuilder(shop)
			b.fn(shop + "/a.F")
			b.fn(shop + "/a.G")
			b.call(shop+"/a.F", shop+"/a.G")
			return b
		}},
		{"no edges", func() *builder {
			b := newBuilder(shop)
			for _, p := range []string{"a", "b", "c"} {
				b.fn(shop + "/" + p + ".F")
			}
			b.pkg(shop + "/empty")
			return b
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.b().model()
			d, err := Cluster(m, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, m, d)
		})
	}
}
