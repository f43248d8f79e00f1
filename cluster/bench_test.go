package cluster

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"decompose/analysis/model"
)

// generated builds a model of about decls declarations and edges edges:
// services under internal/, each with packages of types, methods and
// functions that mostly call within their service, a few shared packages
// under pkg/ and occasional calls across services.
func generated(decls, edges int, seed uint64) *model.Model {
	r := rand.New(rand.NewPCG(seed, 42))
	b := newBuilder("example.com/big")
	services := max(3, decls/1000)
	pkgsPer := 8
	perPkg := decls / (services*pkgsPer + 4)
	var byService [][]string
	var shared []string
	nouns := []string{"order", "invoice", "shipment", "customer", "product", "cart", "payment", "review", "stock", "coupon"}
	for s := 0; s <= services; s++ {
		var ids []string
		np := pkgsPer
		root := fmt.Sprintf("example.com/big/internal/%s%d", nouns[s%len(nouns)], s)
		if s == services {
			np = 4
			root = "example.com/big/pkg"
		}
		for p := 0; p < np; p++ {
			pkg := fmt.Sprintf("%s/part%d", root, p)
			for i := 0; i < perPkg; i++ {
				noun := strings.ToUpper(nouns[s%len(nouns)][:1]) + nouns[s%len(nouns)][1:]
				var id string
				switch i % 4 {
				case 0:
					id = fmt.Sprintf("%s.T%s%d", pkg, noun, i)
					b.typ(id, fmt.Sprintf("f%d.go", i%5))
				case 1, 2:
					id = fmt.Sprintf("%s.T%s%d.M%d", pkg, noun, i-i%4, i)
					b.method(id, fmt.Sprintf("f%d.go", (i-i%4)%5))
				default:
					id = fmt.Sprintf("%s.F%s%d", pkg, noun, i)
					b.fn(id, fmt.Sprintf("f%d.go", i%5))
				}
				ids = append(ids, id)
				if i%50 == 1 && s < services {
					b.http(id, "GET", fmt.Sprintf("/%ss/%d", strings.ToLower(noun), i))
				}
			}
		}
		if s == services {
			shared = ids
		} else {
			byService = append(byService, ids)
		}
	}
	kinds := []model.EdgeKind{model.EdgeCall, model.EdgeCall, model.EdgeCall, model.EdgeTypeRef, model.EdgeRef, model.EdgeDynamicCall}
	for e := 0; e < edges; e++ {
		s := r.IntN(len(byService))
		from := byService[s][r.IntN(len(byService[s]))]
		var to string
		switch x := r.Float64(); {
		case x < 0.85:
			to = byService[s][r.IntN(len(byService[s]))]
		case x < 0.95:
			to = shared[r.IntN(len(shared))]
		default:
			o := r.IntN(len(byService))
			to = byService[o][r.IntN(len(byService[o]))]
		}
		if from != to {
			b.edge(from, to, kinds[r.IntN(len(kinds))], 1+r.IntN(3))
		}
	}
	return b.model()
}

func BenchmarkCluster(b *testing.B) {
	m := generated(20000, 100000, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Cluster(m, DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Decls)), "decls")
	b.ReportMetric(float64(len(m.Edges)), "edges")
}

func TestGeneratedRecovered(t *testing.T) {
	m := generated(3000, 15000, 3)
	d, err := Cluster(m, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, m, d)
	if len(d.Contexts) != 3 {
		var names []string
		for _, c := range d.Contexts {
			names = append(names, c.Name)
		}
		t.Errorf("contexts %v, want the 3 services", names)
	}
}
