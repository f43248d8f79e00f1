package scaffold

import (
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

// yamlDoc writes YAML by indentation level.
type yamlDoc struct{ b strings.Builder }

func (y *yamlDoc) l(indent int, format string, args ...any) {
	y.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&y.b, format, args...)
	y.b.WriteByte('\n')
}

func (y *yamlDoc) blank() { y.b.WriteByte('\n') }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// templateParam is a parameter of template.yaml.
type templateParam struct {
	name, doc, def string
	noEcho, hasDef bool
}

// envVar is a variable every function gets.
type envVar struct{ name, value string }

// outgoingQueues are the queues of other contexts this one sends to.
type outQueue struct {
	param string // ...QueueArn parameter
	url   string // ...QueueURL parameter
	env   string
}

func (m *contextModel) templateInputs() ([]templateParam, []envVar, []outQueue) {
	var params []templateParam
	var env []envVar
	var queues []outQueue
	for _, cl := range m.clients {
		if len(cl.Sync) > 0 {
			params = append(params, templateParam{name: cl.Param, doc: fmt.Sprintf("Base URL of the %s service (the ApiUrl output of its stack), for clients/%s.", cl.Callee, cl.Pkg)})
			env = append(env, envVar{cl.EnvURL, "!Ref " + cl.Param})
		}
		for _, mt := range cl.Async {
			base := exported(cl.Callee) + mt.Name + "Queue"
			params = append(params,
				templateParam{name: base + "URL", doc: fmt.Sprintf("URL of the %s service's %sQueue (its %sQueueUrl output).", cl.Callee, mt.Name, mt.Name)},
				templateParam{name: base + "Arn", doc: fmt.Sprintf("ARN of the %s service's %sQueue (its %sQueueArn output).", cl.Callee, mt.Name, mt.Name)})
			env = append(env, envVar{queueURLEnv(cl.Callee, mt), "!Ref " + base + "URL"})
			queues = append(queues, outQueue{param: base + "Arn", url: base + "URL"})
		}
	}
	for _, s := range m.stores {
		env = append(env, envVar{s.Env, "!Ref " + s.Ident})
		if s.Cache != "" {
			params = append(params, templateParam{name: s.Cache, hasDef: true, doc: "Endpoint of an ElastiCache Serverless (Redis or Valkey) cache for " + s.Ident + "'s state, if you choose a cache over the table; empty: none."})
			env = append(env, envVar{s.CacheEnv, "!Ref " + s.Cache})
		}
	}
	for _, w := range m.workers {
		env = append(env, envVar{screaming(w.Ident) + "_QUEUE_URL", "!Ref " + w.Ident + "Queue"})
	}
	if m.database {
		params = append(params, templateParam{name: "DatabaseURL", noEcho: true, doc: "Connection string of the SQL database holding the context's tables (a serverless SQL database, such as Aurora Serverless v2)."})
		env = append(env, envVar{"DATABASE_URL", "!Ref DatabaseURL"})
	}
	sort.Slice(env, func(i, j int) bool { return env[i].name < env[j].name })
	return params, env, queues
}

// template is the AWS SAM template.
func (m *contextModel) template() ([]byte, error) {
	y := &yamlDoc{}
	params, env, outQueues := m.templateInputs()
	sync, async := m.incoming()
	y.l(0, "AWSTemplateFormatVersion: \"2010-09-09\"")
	y.l(0, "Transform: AWS::Serverless-2016-10-31")
	y.l(0, "Description: %s", yq(truncate(fmt.Sprintf("The %s context of %s: its functions, routes, queues, schedules and the managed stores that replace its in-process state.", m.c.Name, m.mono()), 1024)))
	if len(params) > 0 {
		y.blank()
		y.l(0, "Parameters:")
		for _, p := range params {
			y.l(1, "%s:", p.name)
			y.l(2, "Type: String")
			if p.hasDef {
				y.l(2, "Default: %s", yq(p.def))
			}
			if p.noEcho {
				y.l(2, "NoEcho: true")
			}
			y.l(2, "Description: %s", yq(p.doc))
		}
	}
	y.blank()
	y.l(0, "Globals:")
	y.l(1, "Function:")
	y.l(2, "Runtime: provided.al2023")
	y.l(2, "Handler: bootstrap")
	y.l(2, "Architectures: [arm64]")
	y.l(2, "MemorySize: 256")
	y.l(2, "Timeout: 30")
	if len(env) > 0 {
		y.l(2, "Environment:")
		y.l(3, "Variables:")
		for _, e := range env {
			y.l(4, "%s: %s", e.name, e.value)
		}
	}
	y.blank()
	y.l(0, "Resources:")
	hasAPI := len(m.routes) > 0 || len(sync) > 0
	if hasAPI {
		y.l(1, "HttpApi:")
		y.l(2, "Type: AWS::Serverless::HttpApi")
		y.blank()
	}
	for _, f := range m.functions {
		m.templateFunction(y, f, outQueues)
		y.blank()
	}
	queues := m.queueNames(async)
	for _, q := range queues {
		y.l(1, "%s:", q)
		y.l(2, "Type: AWS::SQS::Queue")
		y.l(2, "Properties:")
		y.l(3, "VisibilityTimeout: 180")
		y.l(3, "RedrivePolicy:")
		y.l(4, "deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn")
		y.l(4, "maxReceiveCount: 5")
		y.blank()
	}
	if len(queues) > 0 {
		y.l(1, "DeadLetterQueue:")
		y.l(2, "Type: AWS::SQS::Queue")
		y.l(2, "Properties:")
		y.l(3, "MessageRetentionPeriod: 1209600")
		y.blank()
	}
	for _, s := range m.stores {
		switch s.Kind {
		case "table":
			y.l(1, "%s:", s.Ident)
			y.l(2, "Type: AWS::DynamoDB::Table")
			y.l(2, "Properties:")
			y.l(3, "BillingMode: PAY_PER_REQUEST")
			y.l(3, "AttributeDefinitions:")
			y.l(4, "- AttributeName: pk")
			y.l(5, "AttributeType: S")
			y.l(3, "KeySchema:")
			y.l(4, "- AttributeName: pk")
			y.l(5, "KeyType: HASH")
			if s.TTL {
				y.l(3, "TimeToLiveSpecification:")
				y.l(4, "AttributeName: expires_at")
				y.l(4, "Enabled: true")
			}
		case "bucket":
			y.l(1, "%s:", s.Ident)
			y.l(2, "Type: AWS::S3::Bucket")
			y.l(2, "Properties:")
			y.l(3, "PublicAccessBlockConfiguration:")
			for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
				y.l(4, "%s: true", k)
			}
			y.l(3, "BucketEncryption:")
			y.l(4, "ServerSideEncryptionConfiguration:")
			y.l(5, "- ServerSideEncryptionByDefault:")
			y.l(7, "SSEAlgorithm: AES256")
		}
		y.blank()
	}
	var outputs []func()
	if hasAPI {
		outputs = append(outputs, func() {
			y.l(1, "ApiUrl:")
			y.l(2, "Description: %s", yq("Base URL of the "+m.c.Name+" service: its routes, and its remote API under /rpc/ for the other contexts' clients."))
			y.l(2, "Value: !Sub \"https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/\"")
		})
	}
	for _, mt := range async {
		mt := mt
		outputs = append(outputs, func() {
			y.l(1, "%sQueueUrl:", mt.Name)
			y.l(2, "Description: %s", yq("Where callers send "+mt.Message+"s."))
			y.l(2, "Value: !Ref %sQueue", mt.Name)
			y.l(1, "%sQueueArn:", mt.Name)
			y.l(2, "Value: !GetAtt %sQueue.Arn", mt.Name)
		})
	}
	if len(outputs) > 0 {
		y.l(0, "Outputs:")
		for _, o := range outputs {
			o()
		}
	}
	return []byte(strings.TrimRight(y.b.String(), "\n") + "\n"), nil
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

func (m *contextModel) templateFunction(y *yamlDoc, f *function, outQueues []outQueue) {
	y.l(1, "%s:", f.ID)
	y.l(2, "Type: AWS::Serverless::Function")
	y.l(2, "Metadata:")
	y.l(3, "BuildMethod: makefile")
	y.l(2, "Properties:")
	y.l(3, "CodeUri: .")
	desc := strings.Join(f.triggers(), ", ")
	if w := f.wraps(); len(w) == 1 {
		desc += ": " + w[0]
	}
	y.l(3, "Description: %s", yq(truncate(desc, 256)))
	if f.Kind == "router" {
		var vars []string
		for _, w := range f.Workers {
			vars = append(vars, fmt.Sprintf("%s_QUEUE_ARN: !GetAtt %sQueue.Arn", screaming(w.Ident), w.Ident))
		}
		for _, mt := range f.Events {
			vars = append(vars, fmt.Sprintf("%s_QUEUE_ARN: !GetAtt %sQueue.Arn", screaming(mt.Name), mt.Name))
		}
		if len(vars) > 0 {
			y.l(3, "Environment:")
			y.l(4, "Variables:")
			for _, v := range vars {
				y.l(5, "%s", v)
			}
		}
	}
	var policies []func()
	for _, s := range m.stores {
		s := s
		policies = append(policies, func() {
			if s.Kind == "table" {
				y.l(4, "- DynamoDBCrudPolicy:")
				y.l(6, "TableName: !Ref %s", s.Ident)
			} else {
				y.l(4, "- S3CrudPolicy:")
				y.l(6, "BucketName: !Ref %s", s.Ident)
			}
		})
	}
	for _, w := range m.workers {
		w := w
		policies = append(policies, func() {
			y.l(4, "- SQSSendMessagePolicy:")
			y.l(6, "QueueName: !GetAtt %sQueue.QueueName", w.Ident)
		})
	}
	if len(outQueues) > 0 {
		policies = append(policies, func() {
			y.l(4, "- Statement:")
			y.l(6, "- Effect: Allow")
			y.l(7, "Action: sqs:SendMessage")
			y.l(7, "Resource:")
			for _, q := range outQueues {
				y.l(8, "- !Ref %s", q.param)
			}
		})
	}
	if len(policies) > 0 {
		y.l(3, "Policies:")
		for _, p := range policies {
			p()
		}
	}
	y.l(3, "Events:")
	apiEvent := func(name string, r *route) {
		y.l(4, "%s:", name)
		y.l(5, "Type: HttpApi")
		y.l(5, "Properties:")
		y.l(6, "ApiId: !Ref HttpApi")
		y.l(6, "Method: %s", r.APIMethod)
		y.l(6, "Path: %s", yq(r.APIPath))
	}
	rpcEvent := func() {
		apiEvent("RPC", &route{APIMethod: "POST", APIPath: "/rpc/{method}"})
	}
	schedule := func(name string, j *job, input bool) {
		y.l(4, "%s:", name)
		y.l(5, "Type: ScheduleV2")
		y.l(5, "Properties:")
		y.l(6, "ScheduleExpression: %s", yq(defaultSchedule))
		if input {
			y.l(6, "Input: %s", yq(fmt.Sprintf(`{"job":%q}`, kebab(j.Ident))))
		}
	}
	queue := func(name, q string) {
		y.l(4, "%s:", name)
		y.l(5, "Type: SQS")
		y.l(5, "Properties:")
		y.l(6, "Queue: !GetAtt %s.Arn", q)
		y.l(6, "BatchSize: 10")
		y.l(6, "FunctionResponseTypes: [ReportBatchItemFailures]")
	}
	switch f.Kind {
	case "http":
		apiEvent("Api", f.Route)
	case "rpc":
		rpcEvent()
	case "schedule":
		schedule("Schedule", f.Job, false)
	case "queue":
		queue("Queue", f.Worker.Ident+"Queue")
	case "events":
		queue("Queue", f.Method.Name+"Queue")
	case "router":
		for _, r := range f.Routes {
			apiEvent(r.Ident+"Route", r)
		}
		if f.RPC {
			rpcEvent()
		}
		for _, j := range f.Jobs {
			schedule(j.Ident+"Schedule", j, true)
		}
		for _, w := range f.Workers {
			queue(w.Ident+"Queue", w.Ident+"Queue")
		}
		for _, mt := range f.Events {
			queue(mt.Name+"Queue", mt.Name+"Queue")
		}
	}
}

// makefile builds each function for sam build (BuildMethod: makefile).
func (m *contextModel) makefile() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# sam build runs one target per function of template.yaml (BuildMethod: makefile).\n")
	b.WriteString("GOBUILD = GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -ldflags=-s\n")
	var phony []string
	for _, f := range m.functions {
		phony = append(phony, "build-"+f.ID)
	}
	fmt.Fprintf(&b, "\n.PHONY: %s\n", strings.Join(phony, " "))
	for _, f := range m.functions {
		fmt.Fprintf(&b, "\nbuild-%s:\n\t$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./cmd/%s\n", f.ID, f.Dir)
	}
	return []byte(b.String()), nil
}
