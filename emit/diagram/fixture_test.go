package diagram

import (
	"fmt"
	"path/filepath"

	"decompose/analysis/model"
	"decompose/cluster"
)

const shop = "example.com/shop"

// fixture is a small shop: orders, shipping and catalog, a handlers and a
// store package split between them and the kernel, a money kernel, and
// infrastructure. Orders calls catalog (synchronously) and shipping (in
// go statements, asynchronously); shipping calls orders back.
func fixture() Input {
	p := func(rel string) string { return shop + "/" + rel }
	var decls []model.Decl
	decl := func(pkg, name string, kind model.DeclKind) {
		d := model.Decl{ID: p(pkg) + "." + name, Package: p(pkg), Name: name, Kind: kind}
		if kind == model.KindMethod {
			for i := range name {
				if name[i] == '.' {
					d.Recv, d.Name = name[:i], name[i+1:]
				}
			}
		}
		decls = append(decls, d)
	}
	F, M, T, V := model.KindFunc, model.KindMethod, model.KindType, model.KindVar
	decl("orders", "Service", T)
	decl("orders", "Service.Place", M)
	decl("orders", "Service.Order", M)
	decl("orders", "Order", T)
	decl("orders", "Repository", T)
	decl("orders", "cache", V)
	decl("orders", "NewService", F)
	decl("orders", "unused", F)
	decl("orders/pricing", "Total", F)
	decl("shipping", "Service", T)
	decl("shipping", "Service.Ship", M)
	decl("shipping", "Notify", F)
	decl("shipping", "OnOrderPlaced", F)
	decl("shipping", "NewService", F)
	decl("shipping/carrier", "Carrier", T)
	decl("shipping/carrier", "Carrier.Book", M)
	decl("catalog", "Service", T)
	decl("catalog", "Service.Price", M)
	decl("catalog", "NewService", F)
	decl("handlers", "Server", T)
	decl("handlers", "Server.PlaceOrder", M)
	decl("handlers", "Server.GetOrder", M)
	decl("handlers", "Server.Ship", M)
	decl("handlers", "Server.Products", M)
	decl("handlers", "writeJSON", F)
	decl("store", "OrderStore", T)
	decl("store", "OrderStore.Save", M)
	decl("store", "ShipmentStore", T)
	decl("store", "ShipmentStore.Save", M)
	decl("store", "scanner", T)
	decl("money", "Amount", T)
	decl("money", "Add", F)
	decl("platform/db", "Exec", F)
	decl("cmd/shop", "main", F)

	e := func(from, to string, kind model.EdgeKind, w, async int) model.Edge {
		return model.Edge{From: p(from), To: p(to), Kind: kind, Weight: w, Async: async, Pos: "x.go:1:1"}
	}
	call, dyn, ref, tref, impl, read, write := model.EdgeCall, model.EdgeDynamicCall, model.EdgeRef, model.EdgeTypeRef, model.EdgeImplements, model.EdgeRead, model.EdgeWrite
	edges := []model.Edge{
		e("orders.Service.Place", "catalog.Service.Price", call, 3, 0),
		e("orders.Service.Place", "shipping.Notify", call, 2, 2),
		e("orders.Service.Place", "orders/pricing.Total", call, 1, 0),
		e("orders.Service.Place", "store.OrderStore.Save", dyn, 1, 0),
		e("orders.Service.Place", "money.Add", call, 4, 0),
		e("orders.Service.Place", "orders.cache", write, 1, 0),
		e("orders.Service.Order", "orders.cache", read, 1, 0),
		e("orders.Service.Place", "orders.Order", tref, 2, 0),
		e("orders.Order", "money.Amount", tref, 2, 0),
		e("orders.NewService", "orders.Service", tref, 1, 0),
		e("shipping.Service.Ship", "orders.Service.Order", call, 1, 0),
		e("shipping.Service.Ship", "orders.Order", tref, 1, 0),
		e("shipping.Service.Ship", "shipping/carrier.Carrier.Book", dyn, 1, 0),
		e("shipping.Service.Ship", "store.ShipmentStore.Save", call, 1, 0),
		e("shipping.OnOrderPlaced", "shipping.Service.Ship", call, 1, 0),
		e("catalog.Service.Price", "money.Amount", tref, 1, 0),
		e("handlers.Server.PlaceOrder", "orders.Service.Place", call, 1, 0),
		e("handlers.Server.GetOrder", "orders.Service.Order", call, 1, 0),
		e("handlers.Server.PlaceOrder", "handlers.writeJSON", call, 2, 0),
		e("handlers.Server.Ship", "shipping.Service.Ship", call, 1, 0),
		e("handlers.Server.Products", "catalog.Service.Price", call, 2, 0),
		e("handlers.Server.Products", "handlers.writeJSON", call, 1, 0),
		e("store.OrderStore.Save", "platform/db.Exec", call, 2, 0),
		e("store.ShipmentStore.Save", "platform/db.Exec", call, 1, 0),
		e("store.OrderStore", "orders.Repository", impl, 1, 0),
		e("store.OrderStore.Save", "store.scanner", ref, 1, 0),
		e("cmd/shop.main", "orders.NewService", call, 1, 0),
		e("cmd/shop.main", "shipping.NewService", call, 1, 0),
		e("cmd/shop.main", "catalog.NewService", call, 1, 0),
		e("cmd/shop.main", "handlers.Server", tref, 1, 0),
	}
	eps := []model.EntryPoint{
		{Kind: model.EntryMain, Decl: p("cmd/shop.main"), Package: p("cmd/shop")},
		{Kind: model.EntryHTTP, Method: "POST", Route: "/orders", Decl: p("handlers.Server.PlaceOrder"), Package: p("handlers")},
		{Kind: model.EntryHTTP, Method: "GET", Route: "/orders/{id}", Decl: p("handlers.Server.GetOrder"), Package: p("handlers")},
		{Kind: model.EntryHTTP, Method: "POST", Route: "/shipments", Decl: p("handlers.Server.Ship"), Package: p("handlers")},
		{Kind: model.EntryHTTP, Method: "GET", Route: "/products", Decl: p("handlers.Server.Products"), Package: p("handlers")},
		{Kind: model.EntryConsumer, Decl: p("shipping.OnOrderPlaced"), Package: p("shipping")},
	}
	var pkgs []model.Package
	for _, rel := range []string{"catalog", "cmd/shop", "handlers", "money", "orders", "orders/pricing", "platform/db", "shipping", "shipping/carrier", "store"} {
		pkgs = append(pkgs, model.Package{Path: p(rel), Name: filepath.Base(rel), Dir: rel})
	}
	m := &model.Model{Schema: model.ModelSchema, Packages: pkgs, Decls: decls, Edges: edges, EntryPoints: eps}
	ctxEntries := func(decls ...string) []model.EntryPoint {
		var out []model.EntryPoint
		for _, ep := range eps {
			for _, d := range decls {
				if ep.Decl == p(d) {
					out = append(out, ep)
				}
			}
		}
		return out
	}
	d := &cluster.Decomposition{
		Module: shop,
		Root:   shop,
		Contexts: []cluster.Context{
			{Name: "catalog", Packages: []string{p("catalog")},
				Members:     []cluster.Member{{Package: p("handlers"), Decls: []string{"Server.Products"}}},
				EntryPoints: ctxEntries("handlers.Server.Products")},
			{Name: "orders", Packages: []string{p("orders"), p("orders/pricing")},
				Members: []cluster.Member{
					{Package: p("handlers"), Decls: []string{"Server.GetOrder", "Server.PlaceOrder"}},
					{Package: p("store"), Decls: []string{"OrderStore"}},
				},
				EntryPoints: ctxEntries("handlers.Server.PlaceOrder", "handlers.Server.GetOrder")},
			{Name: "shipping", Packages: []string{p("shipping"), p("shipping/carrier")},
				Members: []cluster.Member{
					{Package: p("handlers"), Decls: []string{"Server.Ship"}},
					{Package: p("store"), Decls: []string{"ShipmentStore", "ShipmentStore.Save"}},
				},
				EntryPoints: ctxEntries("handlers.Server.Ship", "shipping.OnOrderPlaced")},
		},
		Kernel: cluster.Kernel{
			Packages:       []string{p("money")},
			Infrastructure: []string{p("cmd/shop"), p("platform/db")},
			Members: []cluster.Member{
				{Package: p("handlers"), Decls: []string{"Server", "writeJSON"}},
				{Package: p("store"), Decls: []string{"scanner"}},
			},
		},
		Split: []string{p("handlers"), p("store")},
	}
	return Input{Model: m, Decomposition: d, Blockers: map[string]int{"orders": 2, "shipping": 1}}
}

// large is a generated program of n packages: contexts of services with
// modules of packages three directories deep, a kernel, and edges inside
// modules, between modules and between contexts.
func large(contexts, services, modules, pkgs int) Input {
	m := &model.Model{Schema: model.ModelSchema}
	d := &cluster.Decomposition{Module: "big.example", Root: "big.example"}
	next := uint32(1)
	rnd := func(n int) int { // a fixed sequence, the same on every run
		next = next*1664525 + 1013904223
		return int(next>>8) % n
	}
	var all [][]string // per context, its declarations
	for c := 0; c < contexts; c++ {
		ctx := cluster.Context{Name: fmt.Sprintf("ctx%02d", c)}
		var ids []string
		for s := 0; s < services; s++ {
			for mod := 0; mod < modules; mod++ {
				for k := 0; k < pkgs; k++ {
					pkg := fmt.Sprintf("big.example/c%02d/svc%d/mod%d/p%d", c, s, mod, k)
					ctx.Packages = append(ctx.Packages, pkg)
					id := pkg + ".F"
					m.Decls = append(m.Decls, model.Decl{ID: id, Package: pkg, Name: "F", Kind: model.KindFunc})
					ids = append(ids, id)
				}
			}
		}
		all = append(all, ids)
		d.Contexts = append(d.Contexts, ctx)
	}
	for k := 0; k < 10; k++ {
		pkg := fmt.Sprintf("big.example/kernel/k%d", k)
		d.Kernel.Packages = append(d.Kernel.Packages, pkg)
		m.Decls = append(m.Decls, model.Decl{ID: pkg + ".K", Package: pkg, Name: "K", Kind: model.KindFunc})
	}
	for c, ids := range all {
		for i, id := range ids {
			if i > 0 {
				m.Edges = append(m.Edges, model.Edge{From: id, To: ids[rnd(i)], Kind: model.EdgeCall, Weight: 1 + rnd(5)})
			}
			if rnd(10) == 0 {
				other := all[rnd(len(all))]
				m.Edges = append(m.Edges, model.Edge{From: id, To: other[rnd(len(other))], Kind: model.EdgeCall, Weight: 1 + rnd(3)})
			}
			if rnd(5) == 0 {
				m.Edges = append(m.Edges, model.Edge{From: id, To: fmt.Sprintf("big.example/kernel/k%d.K", rnd(10)), Kind: model.EdgeTypeRef, Weight: 1})
			}
		}
		_ = c
	}
	return Input{Model: m, Decomposition: d}
}
