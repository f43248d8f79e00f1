package cluster

import (
	"slices"
	"testing"
)

func TestLayeredRecovered(t *testing.T) {
	m, want := layeredModel()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	got := placement(t, m, d)
	for id, ctx := range want {
		if got[id] != ctx {
			t.Errorf("%s: in %q, want %q", id, got[id], ctx)
		}
	}
	if t.Failed() {
		for _, g := range groups(got) {
			t.Log(g)
		}
	}
	for _, p := range []string{shop + "/handlers", shop + "/services", shop + "/store", shop + "/models"} {
		if !slices.Contains(d.Split, p) {
			t.Errorf("%s is not split: %v", p, d.Split)
		}
	}
	if !slices.Contains(d.Kernel.Infrastructure, shop+"/cmd/shop") {
		t.Errorf("the composition root is not infrastructure: %+v", d.Kernel)
	}
}

func TestModularRecovered(t *testing.T) {
	m, want := modularModel()
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	got := placement(t, m, d)
	for id, ctx := range want {
		if got[id] != ctx {
			t.Errorf("%s: in %q, want %q", id, got[id], ctx)
		}
	}
	if t.Failed() {
		for _, g := range groups(got) {
			t.Log(g)
		}
	}
	if len(d.Split) != 0 {
		t.Errorf("split packages in a modular code base: %v", d.Split)
	}
	if !slices.Contains(d.Kernel.Packages, shop+"/pkg/money") || !slices.Contains(d.Kernel.Infrastructure, shop+"/pkg/log") {
		t.Errorf("kernel: %+v", d.Kernel)
	}
}
