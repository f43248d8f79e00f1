package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"decompose/emit/plan"
)

func TestReadConfigMigration(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		err   string
		check func(t *testing.T, c plan.Config)
	}{
		{"defaults", "algo: vta\n", "", func(t *testing.T, c plan.Config) {
			if !reflect.DeepEqual(c.Cost, plan.DefaultCostConfig()) || c.Rules != plan.DefaultRules() {
				t.Errorf("not the defaults: %+v", c)
			}
		}},
		{"cost and rules", "cost:\n  requests_per_month: 3000000\n  instance_price_per_hour: 0.1\n  contexts:\n    checkout: {memory_mb: 1024}\nmigration:\n  hot_path_sites: 40\n  order: {blocker: 10}\n", "", func(t *testing.T, c plan.Config) {
			if c.Cost.RequestsPerMonth != 3_000_000 || c.Cost.InstancePricePerHour != 0.1 || c.Cost.Instances != 2 || c.Cost.Contexts["checkout"].MemoryMB != 1024 {
				t.Errorf("cost %+v", c.Cost)
			}
			if c.Rules.HotPathSites != 40 || c.Rules.HotPathCallers != 3 || c.Rules.Order.Blocker != 10 || c.Rules.Order.Inbound != 1 {
				t.Errorf("rules %+v", c.Rules)
			}
		}},
		{"unknown cost key", "cost:\n  price: 3\n", "field price not found", nil},
		{"unknown rule", "migration:\n  hot_paths: 3\n", "field hot_paths not found", nil},
		{"negative price", "cost:\n  price_per_gb_second: -1\n", "cost: price_per_gb_second must not be negative", nil},
		{"negative weight", "migration:\n  order: {inbound: -1}\n", "migration: order.inbound must not be negative", nil},
		{"absurd price", "cost:\n  price_per_gb_second: 1e307\n", "cost: price_per_gb_second: 1e+307 is more than 1e+09", nil},
		{"NaN duration", "cost:\n  avg_duration_ms: .nan\n", "cost: avg_duration_ms: NaN is not a number", nil},
		{"infinite weight", "migration:\n  order: {blocker: .inf}\n", "migration: order.blocker: +Inf is not a number", nil},
		{"second document", "algo: vta\n---\nalgo: cha\n", "more than one YAML document", nil},
		{"second empty document", "algo: vta\n---\n# nothing\n", "more than one YAML document", nil},
		{"one document with its marker", "---\nalgo: vta\n", "", func(t *testing.T, c plan.Config) {}},
		{"comments only", "# nothing set\n", "", func(t *testing.T, c plan.Config) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ConfigName)
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := readConfig(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cfg.migrationConfig())
		})
	}
}

// TestAnalyzeCostConfig checks that the cost: key reaches the plan.
func TestAnalyzeCostConfig(t *testing.T) {
	dir := extract(t, "testdata/ok.txtar")
	cfg := filepath.Join(t.TempDir(), "decompose.yaml")
	if err := os.WriteFile(cfg, []byte("cost:\n  requests_per_month: 123456789\n  currency: EUR\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "analyze", "-C", dir, "-q", "--config", cfg, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	y, err := os.ReadFile(filepath.Join(out, "plan.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requests_per_month: 123456789", "currency: EUR"} {
		if !strings.Contains(string(y), want) {
			t.Errorf("plan.yaml lacks %q", want)
		}
	}
}

// FuzzReadConfig: a config of any bytes is read or refused with one line,
// never a crash, and what is read passes validation again.
func FuzzReadConfig(f *testing.F) {
	for _, s := range []string{
		"algo: vta\ncluster:\n  resolution: 1.2\n",
		"algo: vta\n---\nalgo: cha\n",
		"cost:\n  price_per_gb_second: 1e307\n",
		"cost:\n  avg_duration_ms: .nan\n",
		"migration:\n  order: {blocker: .inf}\n",
		"cluster:\n  pin:\n    orders: []\n",
		"weights: [1\n",
		"&a [*a, *a]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(t.TempDir(), ConfigName)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := readConfig(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		if err := cfg.migrationConfig().Validate(); err != nil {
			t.Errorf("read, but invalid: %v", err)
		}
	})
}
