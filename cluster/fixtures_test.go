package cluster

import (
	"strings"

	"decompose/analysis/model"
)

const shop = "example.com/shop"

// layeredModel is a shop written by layer: handlers, services, store and
// models packages each serve the orders, users and catalog domains, one
// file per domain. It returns the model and the intended context of every
// domain declaration.
func layeredModel() (*model.Model, map[string]string) {
	b := newBuilder(shop)
	want := map[string]string{}
	h, s, st, md := shop+"/handlers", shop+"/services", shop+"/store", shop+"/models"
	type domain struct {
		ctx, file, model, svc, repo string
		handlers                    []string
		routes                      [][2]string
		svcMethods                  []string
		repoMethods                 []string
		extraModel                  string
	}
	domains := []domain{
		{ctx: "orders", file: "order.go", model: "Order", svc: "OrderService", repo: "OrderStore",
			handlers: []string{"PlaceOrder", "GetOrder", "CancelOrder"}, routes: [][2]string{{"POST", "/orders"}, {"GET", "/orders/{id}"}, {"DELETE", "/orders/{id}"}},
			svcMethods: []string{"Place", "Get", "Cancel"}, repoMethods: []string{"Insert", "FindOrder", "UpdateStatus"}, extraModel: "OrderLine"},
		{ctx: "users", file: "user.go", model: "User", svc: "UserService", repo: "UserStore",
			handlers: []string{"Register", "Login", "Profile"}, routes: [][2]string{{"POST", "/users"}, {"POST", "/users/login"}, {"GET", "/users/{id}"}},
			svcMethods: []string{"Register", "Authenticate", "Profile"}, repoMethods: []string{"InsertUser", "FindByEmail", "FindUser"}, extraModel: "Credentials"},
		{ctx: "products", file: "product.go", model: "Product", svc: "CatalogService", repo: "ProductStore",
			handlers: []string{"ListProducts", "GetProduct", "SearchProducts"}, routes: [][2]string{{"GET", "/products"}, {"GET", "/products/{id}"}, {"GET", "/products/search"}},
			svcMethods: []string{"List", "Get", "Search"}, repoMethods: []string{"All", "FindProduct", "Match"}, extraModel: "Category"},
	}
	b.fn(h+".writeJSON", "respond.go")
	b.fn(h+".readJSON", "respond.go")
	b.typ(shop + "/platform/log.Logger")
	b.method(shop + "/platform/log.Logger.Info")
	for _, dm := range domains {
		want[md+"."+dm.model] = dm.ctx
		want[md+"."+dm.extraModel] = dm.ctx
		b.typ(md+"."+dm.model, dm.file)
		b.typ(md+"."+dm.extraModel, dm.file)
		b.edge(md+"."+dm.model, md+"."+dm.extraModel, model.EdgeTypeRef, 1)
		b.typ(s+"."+dm.svc, dm.file)
		b.fn(s+".New"+dm.svc, dm.file)
		b.edge(s+".New"+dm.svc, s+"."+dm.svc, model.EdgeTypeRef, 1)
		want[s+"."+dm.svc] = dm.ctx
		want[s+".New"+dm.svc] = dm.ctx
		b.typ(st+"."+dm.repo, dm.file)
		want[st+"."+dm.repo] = dm.ctx
		for i, hn := range dm.handlers {
			hid := h + "." + hn
			b.fn(hid, dm.file)
			want[hid] = dm.ctx
			b.http(hid, dm.routes[i][0], dm.routes[i][1])
			sm := s + "." + dm.svc + "." + dm.svcMethods[i]
			rm := st + "." + dm.repo + "." + dm.repoMethods[i]
			b.method(sm, dm.file)
			b.method(rm, dm.file)
			want[sm] = dm.ctx
			want[rm] = dm.ctx
			b.call(hid, sm)
			b.call(hid, h+".writeJSON")
			b.call(hid, h+".readJSON")
			b.edge(hid, md+"."+dm.model, model.EdgeTypeRef, 1)
			b.edge(sm, s+"."+dm.svc, model.EdgeTypeRef, 1)
			b.call(sm, rm)
			b.edge(sm, md+"."+dm.model, model.EdgeTypeRef, 1)
			b.call(sm, shop+"/platform/log.Logger.Info")
			b.edge(rm, md+"."+dm.model, model.EdgeTypeRef, 2)
			b.edge(rm, st+"."+dm.repo, model.EdgeTypeRef, 1)
		}
	}
	// cross-domain traffic: placing an order checks products and the user
	b.call(s+".OrderService.Place", st+".ProductStore.FindProduct")
	b.call(s+".OrderService.Place", st+".UserStore.FindUser")
	b.edge(md+".OrderLine", md+".Product", model.EdgeTypeRef, 1)
	var wiring []string
	for _, dm := range domains {
		wiring = append(wiring, s+".New"+dm.svc)
	}
	b.main(shop+"/cmd/shop", wiring...)
	return b.model(), want
}

// modularModel is a shop with one directory tree per service
// (internal/<ctx>/{api,app,domain,store}), a shared money value type and
// logging used by every service, and a main package wiring them all.
func modularModel() (*model.Model, map[string]string) {
	b := newBuilder(shop)
	want := map[string]string{}
	b.typ(shop + "/pkg/money.Money")
	b.method(shop + "/pkg/money.Money.Add")
	b.fn(shop + "/pkg/log.Info")
	want[shop+"/pkg/money.Money"] = ""
	want[shop+"/pkg/money.Money.Add"] = ""
	want[shop+"/pkg/log.Info"] = ""
	var wiring []string
	for _, ctx := range []struct{ name, noun string }{{"orders", "Order"}, {"shipping", "Shipment"}, {"billing", "Invoice"}} {
		root := shop + "/internal/" + ctx.name
		api, app, dom, st := root+"/api", root+"/app", root+"/domain", root+"/store"
		ids := []string{
			api + ".Handler", api + ".Handler.Create" + ctx.noun, api + ".Handler.Get" + ctx.noun, api + ".NewHandler",
			app + ".Service", app + ".Service.Create", app + ".Service.Get", app + ".NewService",
			dom + "." + ctx.noun, dom + "." + ctx.noun + ".Validate", dom + ".Status",
			st + ".Repo", st + ".Repo.Save", st + ".Repo.Load",
		}
		for _, id := range ids {
			_, short := splitID(id)
			if strings.Contains(short, ".") {
				b.method(id)
			} else if strings.HasPrefix(short, "New") {
				b.fn(id)
			} else {
				b.typ(id)
			}
			want[id] = ctx.name
		}
		b.http(api+".Handler.Create"+ctx.noun, "POST", "/"+ctx.name)
		b.http(api+".Handler.Get"+ctx.noun, "GET", "/"+ctx.name+"/{id}")
		b.call(api+".Handler.Create"+ctx.noun, app+".Service.Create")
		b.call(api+".Handler.Get"+ctx.noun, app+".Service.Get")
		b.edge(api+".Handler", app+".Service", model.EdgeTypeRef, 1)
		b.edge(api+".NewHandler", api+".Handler", model.EdgeTypeRef, 1)
		b.edge(app+".NewService", app+".Service", model.EdgeTypeRef, 1)
		b.call(app+".Service.Create", dom+"."+ctx.noun+".Validate")
		b.call(app+".Service.Create", st+".Repo.Save")
		b.call(app+".Service.Get", st+".Repo.Load")
		b.edge(app+".Service", st+".Repo", model.EdgeTypeRef, 1)
		b.edge(st+".Repo.Save", dom+"."+ctx.noun, model.EdgeTypeRef, 1)
		b.edge(st+".Repo.Load", dom+"."+ctx.noun, model.EdgeTypeRef, 1)
		b.edge(dom+"."+ctx.noun, dom+".Status", model.EdgeTypeRef, 1)
		b.edge(dom+"."+ctx.noun, shop+"/pkg/money.Money", model.EdgeTypeRef, 1)
		b.call(app+".Service.Create", shop+"/pkg/money.Money.Add")
		b.call(app+".Service.Create", shop+"/pkg/log.Info")
		b.call(api+".Handler.Get"+ctx.noun, shop+"/pkg/log.Info")
		wiring = append(wiring, api+".NewHandler", app+".NewService")
	}
	// services talk a little across boundaries
	b.call(shop+"/internal/billing/app.Service.Create", shop+"/internal/orders/app.Service.Get")
	b.call(shop+"/internal/shipping/app.Service.Create", shop+"/internal/orders/app.Service.Get")
	b.main(shop+"/cmd/server", wiring...)
	want[shop+"/cmd/server.main"] = ""
	return b.model(), want
}
