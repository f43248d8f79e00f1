package cluster

import (
	"math"
	"reflect"
	"sort"
	"testing"

	"decompose/analysis/model"
)

// tipModel has two services, alpha and beta, under internal/, and a root
// package holding the unit X under test. X is tied to alpha by a weak
// baseline edge; the signal under test ties it to beta.
func tipModel(x string, base model.EdgeKind, sig func(b *builder)) *model.Model {
	b := newBuilder(shop)
	for _, svc := range []struct{ name, noun string }{{"alpha", "Parcel"}, {"beta", "Shipment"}} {
		root := shop + "/internal/" + svc.name
		b.typ(root + "/app.Service")
		b.method(root + "/app.Service.Handle" + svc.noun)
		b.method(root + "/app.Service.Find" + svc.noun)
		b.typ(root + "/domain." + svc.noun)
		b.fn(root + "/domain.New" + svc.noun)
		b.call(root+"/app.Service.Handle"+svc.noun, root+"/domain.New"+svc.noun)
		b.call(root+"/app.Service.Find"+svc.noun, root+"/domain.New"+svc.noun)
		b.edge(root+"/domain.New"+svc.noun, root+"/domain."+svc.noun, model.EdgeTypeRef, 1)
		b.http(root+"/app.Service.Handle"+svc.noun, "POST", "/"+svc.name)
	}
	b.fn(x)
	b.edge(shop+"/internal/alpha/app.Service.HandleParcel", x, base, 1)
	sig(b)
	return b.model()
}

func TestSignalsChangePlacement(t *testing.T) {
	beta := shop + "/internal/beta/app.Service.HandleShipment"
	x := shop + ".Label"
	edge := func(kind model.EdgeKind) func(b *builder) {
		return func(b *builder) { b.edge(beta, x, kind, 6) }
	}
	tests := []struct {
		name string
		base model.EdgeKind
		sig  func(b *builder)
		off  func(w *Weights)
		cfg  func(c *Config)
	}{
		{"call", model.EdgeRef, edge(model.EdgeCall), func(w *Weights) { w.Call = 0 }, nil},
		{"dynamic call", model.EdgeCall, edge(model.EdgeDynamicCall), func(w *Weights) { w.DynamicCall = 0 }, nil},
		{"ref", model.EdgeCall, edge(model.EdgeRef), func(w *Weights) { w.Ref = 0 }, nil},
		{"type ref", model.EdgeCall, edge(model.EdgeTypeRef), func(w *Weights) { w.TypeRef = 0 }, nil},
		{"implements", model.EdgeCall, func(b *builder) {
			b.edge(x, shop+"/internal/beta/domain.Shipment", model.EdgeImplements, 6)
		}, func(w *Weights) { w.Implements = 0 }, nil},
		{"shared variable", model.EdgeCall, func(b *builder) {
			b.decl(shop+".labels", model.KindVar, "")
			b.edge(x, shop+".labels", model.EdgeWrite, 3)
			b.edge(beta, shop+".labels", model.EdgeRead, 6)
			b.edge(shop+"/internal/beta/app.Service.FindShipment", shop+".labels", model.EdgeRead, 6)
		}, func(w *Weights) { w.SharedData = 0 }, nil},
		{"shared table", model.EdgeCall, func(b *builder) {}, func(w *Weights) { w.SharedTable = 0 }, func(c *Config) {
			c.Extra = []ExtraEdge{
				{From: x, To: "table:shipments", Kind: "table", Weight: 6},
				{From: beta, To: "table:shipments", Kind: "table", Weight: 6},
			}
		}},
		{"table in the model", model.EdgeCall, func(b *builder) {
			for _, d := range []string{x, beta, shop + "/internal/beta/app.Service.FindShipment"} {
				b.m.Tables = append(b.m.Tables, model.TableAccess{Table: "parcels", Decl: d, Write: d == x, Pos: "x.go:1:1"})
				b.m.Tables = append(b.m.Tables, model.TableAccess{Table: "parcels", Decl: d, Pos: "x.go:2:1"})
			}
		}, func(w *Weights) { w.SharedTable = 0 }, nil},
		{"observed cpu", model.EdgeCall, func(b *builder) {}, func(w *Weights) {
			zero := 0.0
			w.ObservedCPU = &zero
		}, func(c *Config) {
			c.CPU = []CPUEdge{{From: beta, To: x, Share: 0.3}, {From: x, To: "not.a.Decl", Share: 0.2}}
		}},
		{"vocabulary", model.EdgeRef, func(b *builder) {}, func(w *Weights) { w.Vocabulary = 0 }, func(c *Config) {
			c.Weights.Vocabulary = 2
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := x
			if tt.name == "vocabulary" {
				target = shop + ".ShipmentLabel"
			}
			m := tipModel(target, tt.base, tt.sig)
			on := DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&on)
			}
			off := on
			tt.off(&off.Weights)
			withSig := ctxOf(t, m, on, target)
			without := ctxOf(t, m, off, target)
			if withSig != "beta" || without != "alpha" {
				t.Errorf("%s: with the signal in %q, without in %q; want beta and alpha", target, withSig, without)
			}
		})
	}
}

func ctxOf(t *testing.T, m *model.Model, cfg Config, id string) string {
	t.Helper()
	d, err := Cluster(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	return placement(t, m, d)[id]
}

func TestTableNode(t *testing.T) {
	b := newBuilder(shop)
	f, g := shop+"/a.OrderTotal", shop+"/b.LineCount"
	b.fn(f)
	b.fn(g)
	b.m.Tables = []model.TableAccess{
		{Table: "order_lines", Decl: g, Pos: "b.go:3:1"},
		{Table: "order_lines", Decl: f, Write: true, Pos: "a.go:3:1"},
		{Table: "order_lines", Decl: f, Pos: "a.go:4:1"},
		{Table: "order_lines", Decl: shop + "/gone.H", Pos: "gone.go:1:1"},
	}
	u, _, _ := newUniverse(b.model(), nil)
	cfg := DefaultConfig()
	s := buildSignals(u, cfg, newVocab(nil))
	if len(s.resNames) != 1 || s.resNames[0] != "table:order_lines" {
		t.Fatalf("resources %q, want [table:order_lines]", s.resNames)
	}
	weights := map[string]float64{}
	for _, e := range s.sig {
		if e.kind == kindTable && s.nodeName(int(e.to)) == "table:order_lines" {
			weights[s.nodeName(int(e.from))] = e.w
		}
	}
	if w := weights[f]; w != cfg.Weights.SharedTable*(1+math.Log(2)) {
		t.Errorf("two accesses weigh %v", w)
	}
	if w := weights[g]; w != cfg.Weights.SharedTable {
		t.Errorf("one access weighs %v", w)
	}
	var words []string
	for _, e := range s.structure {
		if int(e.from) == s.nd && int(e.to) >= s.wordBase {
			words = append(words, s.words[int(e.to)-s.wordBase])
		}
	}
	sort.Strings(words)
	if !reflect.DeepEqual(words, []string{"line", "order"}) {
		t.Errorf("the table's words %q, want [line order]", words)
	}
}

func TestProximitySignal(t *testing.T) {
	// beta/extra sits in beta's directory but is called more by alpha;
	// the two folders do not repeat one layout, so no service folder
	// holds it there: only proximity does
	b := newBuilder(shop)
	for _, svc := range [][3]string{{"alpha", "app", "domain"}, {"beta", "core", "model"}} {
		root := shop + "/" + svc[0]
		b.fn(root + "/" + svc[1] + ".Run")
		b.fn(root + "/" + svc[1] + ".step")
		b.fn(root + "/" + svc[2] + ".Rule")
		b.call(root+"/"+svc[1]+".Run", root+"/"+svc[1]+".step")
		b.call(root+"/"+svc[1]+".step", root+"/"+svc[2]+".Rule")
		b.call(root+"/"+svc[1]+".Run", root+"/"+svc[2]+".Rule")
		b.http(root+"/"+svc[1]+".Run", "GET", "/"+svc[0])
	}
	b.fn(shop + "/beta/extra.Helper")
	b.edge(shop+"/alpha/app.Run", shop+"/beta/extra.Helper", model.EdgeCall, 3)
	b.edge(shop+"/beta/core.Run", shop+"/beta/extra.Helper", model.EdgeCall, 1)
	m := b.model()
	on := DefaultConfig()
	off := on
	off.Weights.Proximity = 0
	if got := ctxOf(t, m, on, shop+"/beta/extra.Helper"); got != "beta" {
		t.Errorf("with proximity: in %q, want beta", got)
	}
	if got, caller := ctxOf(t, m, off, shop+"/beta/extra.Helper"), ctxOf(t, m, off, shop+"/alpha/app.Run"); got != caller {
		t.Errorf("without proximity: in %q, want its heaviest caller's %q", got, caller)
	}
}

func TestFileSignal(t *testing.T) {
	// in a layered package, a declaration follows the rest of its file
	m, _ := layeredModel()
	b := &builder{m: *m}
	b.pkgs, b.decls = map[string]bool{}, map[string]bool{}
	for _, p := range m.Packages {
		b.pkgs[p.Path] = true
	}
	b.fn(shop+"/handlers.orderForm", "order.go")
	b.call(shop+"/handlers.Register", shop+"/handlers.orderForm")
	m = b.model()
	on := DefaultConfig()
	on.Weights.File = 3
	off := on
	off.Weights.File = 0
	for _, c := range []struct {
		cfg  Config
		with string
	}{{on, shop + "/handlers.PlaceOrder"}, {off, shop + "/handlers.Register"}} {
		d, err := Cluster(m, c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		pl := placement(t, m, d)
		if pl[shop+"/handlers.orderForm"] != pl[c.with] {
			t.Errorf("file weight %v: orderForm in %q, want with %s in %q", c.cfg.Weights.File, pl[shop+"/handlers.orderForm"], c.with, pl[c.with])
		}
	}
}

func TestHubDamping(t *testing.T) {
	b := newBuilder(shop)
	b.fn(shop + "/log.Info")
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		b.fn(shop + "/" + p + ".F")
		b.call(shop+"/"+p+".F", shop+"/log.Info")
	}
	b.fn(shop + "/a.G")
	b.call(shop+"/a.G", shop+"/a.F")
	m := b.model()
	weight := func(cfg Config, from, to string) float64 {
		u, _, _ := newUniverse(m, nil)
		s := buildSignals(u, cfg, newVocab(nil))
		for _, e := range s.sig {
			if s.nodeName(int(e.from)) == from && s.nodeName(int(e.to)) == to {
				return e.w
			}
		}
		return 0
	}
	cfg := DefaultConfig()
	hub := weight(cfg, shop+"/a.F", shop+"/log.Info")
	plain := weight(cfg, shop+"/a.G", shop+"/a.F")
	if !(hub < plain/2) {
		t.Errorf("a call of a helper used by 5 packages weighs %v, a plain call %v", hub, plain)
	}
	cfg.Weights.HubDamping = 0
	if w := weight(cfg, shop+"/a.F", shop+"/log.Info"); w != plain {
		t.Errorf("without damping the helper's call weighs %v, want %v", w, plain)
	}
	cfg = DefaultConfig()
	for i := range m.Decls {
		if m.Decls[i].ID == shop+"/a.G" {
			m.Decls[i].Generated = true
		}
	}
	if w := weight(cfg, shop+"/a.G", shop+"/a.F"); w != plain*cfg.Weights.Generated {
		t.Errorf("a call from generated code weighs %v, want %v", w, plain*cfg.Weights.Generated)
	}
}
