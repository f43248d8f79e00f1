package scaffold

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// yq is s as a double-quoted YAML scalar (JSON strings are).
func yq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// templateParam is a parameter of template.yaml.
type templateParam struct {
	Name, Doc, Def string
	NoEcho, HasDef bool
}

// envVar is a variable every function gets.
type envVar struct{ Name, Value string }

// outQueue is a queue of another context this one sends to: the
// parameters of its ARN and URL.
type outQueue struct{ Param, URL string }

func (m *contextModel) templateInputs() ([]templateParam, []envVar, []outQueue) {
	var params []templateParam
	var env []envVar
	var queues []outQueue
	for _, cl := range m.clients {
		if len(cl.Sync) > 0 {
			params = append(params, templateParam{Name: cl.Param, Doc: fmt.Sprintf("Base URL of the %s service (the ApiUrl output of its stack), for clients/%s.", cl.Callee, cl.Pkg)})
			env = append(env, envVar{cl.EnvURL, "!Ref " + cl.Param})
		}
		for _, mt := range cl.Async {
			base := exported(cl.Callee) + mt.Name + "Queue"
			params = append(params,
				templateParam{Name: base + "URL", Doc: fmt.Sprintf("URL of the %s service's %sQueue (its %sQueueUrl output).", cl.Callee, mt.Name, mt.Name)},
				templateParam{Name: base + "Arn", Doc: fmt.Sprintf("ARN of the %s service's %sQueue (its %sQueueArn output).", cl.Callee, mt.Name, mt.Name)})
			env = append(env, envVar{queueURLEnv(cl.Callee, mt), "!Ref " + base + "URL"})
			queues = append(queues, outQueue{Param: base + "Arn", URL: base + "URL"})
		}
	}
	for _, s := range m.stores {
		env = append(env, envVar{s.Env, "!Ref " + s.Ident})
		if s.Cache != "" {
			params = append(params, templateParam{Name: s.Cache, HasDef: true, Doc: "Endpoint of an ElastiCache Serverless (Redis or Valkey) cache for " + s.Ident + "'s state, if you choose a cache over the table; empty: none."})
			env = append(env, envVar{s.CacheEnv, "!Ref " + s.Cache})
		}
	}
	for _, w := range m.workers {
		env = append(env, envVar{screaming(w.Ident) + "_QUEUE_URL", "!Ref " + w.Ident + "Queue"})
	}
	if m.database {
		params = append(params, templateParam{Name: "DatabaseURL", NoEcho: true, Doc: "Connection string of the SQL database holding the context's tables (a serverless SQL database, such as Aurora Serverless v2)."})
		env = append(env, envVar{"DATABASE_URL", "!Ref DatabaseURL"})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	return params, env, queues
}

// samData is what a context's template.yaml holds.
type samData struct {
	Name, Description string
	Params            []templateParam
	Env               []envVar
	// API: the context serves HTTP routes or a remote API (HttpApi).
	API       bool
	Functions []samFunction
	// Queues are the queues the context consumes.
	Queues    []string
	Stores    []*store
	Workers   []*worker
	OutQueues []outQueue
	// Async are the methods of its remote API called by message.
	Async []*method
}

// samFunction is a function of template.yaml.
type samFunction struct {
	ID, Description string
	// QueueArns name the queues whose ARNs a router function reads from
	// its environment.
	QueueArns []string
	Events    []samEvent
}

// samEvent triggers a function: an HTTP API route, a schedule (with the
// input it passes, if any) or a queue (its logical ID).
type samEvent struct {
	Name            string
	Route           *route
	Schedule, Input string
	Queue           string
}

// template is the AWS SAM template.
func (m *contextModel) template() ([]byte, error) {
	params, env, outQueues := m.templateInputs()
	sync, async := m.incoming()
	d := samData{
		Name:        m.c.Name,
		Description: truncate(fmt.Sprintf("The %s context of %s: its functions, routes, queues, schedules and the managed stores that replace its in-process state.", m.c.Name, m.mono()), 1024),
		Params:      params,
		Env:         env,
		API:         len(m.routes) > 0 || len(sync) > 0,
		Queues:      m.queueNames(async),
		Stores:      m.stores,
		Workers:     m.workers,
		OutQueues:   outQueues,
		Async:       async,
	}
	for _, f := range m.functions {
		d.Functions = append(d.Functions, samFunctionOf(f))
	}
	b, err := execute("template.yaml.tmpl", d)
	if err != nil {
		return nil, err
	}
	return append(bytes.TrimRight(b, "\n"), '\n'), nil
}

// queueNames are the queues the context consumes.
func (m *contextModel) queueNames(async []*method) []string {
	var qs []string
	for _, w := range m.workers {
		qs = append(qs, w.Ident+"Queue")
	}
	for _, mt := range async {
		qs = append(qs, mt.Name+"Queue")
	}
	return qs
}

// samFunctionOf is the template's function f: its description, and the
// events that trigger it.
func samFunctionOf(f *function) samFunction {
	desc := strings.Join(f.triggers(), ", ")
	if w := f.wraps(); len(w) == 1 {
		desc += ": " + w[0]
	}
	sf := samFunction{ID: f.ID, Description: truncate(desc, 256)}
	rpc := samEvent{Name: "RPC", Route: &route{APIMethod: "POST", APIPath: "/rpc/{method}"}}
	switch f.Kind {
	case "http":
		sf.Events = append(sf.Events, samEvent{Name: "Api", Route: f.Route})
	case "rpc":
		sf.Events = append(sf.Events, rpc)
	case "schedule":
		sf.Events = append(sf.Events, samEvent{Name: "Schedule", Schedule: defaultSchedule})
	case "queue":
		sf.Events = append(sf.Events, samEvent{Name: "Queue", Queue: f.Worker.Ident + "Queue"})
	case "events":
		sf.Events = append(sf.Events, samEvent{Name: "Queue", Queue: f.Method.Name + "Queue"})
	case "router":
		for _, w := range f.Workers {
			sf.QueueArns = append(sf.QueueArns, w.Ident)
		}
		for _, mt := range f.Events {
			sf.QueueArns = append(sf.QueueArns, mt.Name)
		}
		for _, r := range f.Routes {
			sf.Events = append(sf.Events, samEvent{Name: r.Ident + "Route", Route: r})
		}
		if f.RPC {
			sf.Events = append(sf.Events, rpc)
		}
		for _, j := range f.Jobs {
			sf.Events = append(sf.Events, samEvent{Name: j.Ident + "Schedule", Schedule: defaultSchedule, Input: fmt.Sprintf(`{"job":%q}`, kebab(j.Ident))})
		}
		for _, w := range f.Workers {
			sf.Events = append(sf.Events, samEvent{Name: w.Ident + "Queue", Queue: w.Ident + "Queue"})
		}
		for _, mt := range f.Events {
			sf.Events = append(sf.Events, samEvent{Name: mt.Name + "Queue", Queue: mt.Name + "Queue"})
		}
	}
	return sf
}

// makefile builds each function for sam build (BuildMethod: makefile).
func (m *contextModel) makefile() ([]byte, error) { return execute("Makefile.tmpl", m.functions) }
