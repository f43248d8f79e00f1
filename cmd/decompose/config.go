package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"decompose/cluster"
	"decompose/emit/plan"
)

// ConfigName is the file read from the module root unless --config names
// another.
const ConfigName = "decompose.yaml"

// fileConfig is the schema of decompose.yaml. Flags given on the command
// line win over the file.
type fileConfig struct {
	// Algo is the call-graph algorithm: static, cha, rta or vta.
	Algo string `yaml:"algo"`
	// Tags are build tags added to every load.
	Tags []string `yaml:"tags"`
	// Tests includes test files.
	Tests bool `yaml:"tests"`
	// Cluster holds the clustering settings: weights, resolution, pins,
	// the shared kernel (see the cluster package).
	Cluster cluster.Config `yaml:"cluster"`
	// Migration holds the thresholds of the runtime rules and the weights
	// of the steps' ordering score (see the migration package).
	Migration plan.Rules `yaml:"migration"`
	// Cost holds the request rates and prices of the cost sketch (see
	// plan.CostConfig).
	Cost plan.CostConfig `yaml:"cost"`
	// Profiles and Traffic name the evidence files of --profile and
	// --traffic, relative to the file's folder; the flags replace them.
	Profiles []string `yaml:"profiles"`
	Traffic  string   `yaml:"traffic"`
}

func defaultFileConfig() *fileConfig {
	m := plan.DefaultConfig()
	return &fileConfig{Cluster: cluster.DefaultConfig(), Migration: m.Rules, Cost: m.Cost}
}

// migrationConfig is the migration's part of the file.
func (c *fileConfig) migrationConfig() plan.Config {
	return plan.Config{Rules: c.Migration, Cost: c.Cost}
}

// findConfig looks for decompose.yaml in dir and in its parents up to the
// module or workspace root. It returns "" when there is none.
func findConfig(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if fileExists(filepath.Join(abs, ConfigName)) {
			return filepath.Join(abs, ConfigName)
		}
		if fileExists(filepath.Join(abs, "go.mod")) || fileExists(filepath.Join(abs, "go.work")) {
			return ""
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// maxConfigSize caps what is read of a config file: a real one is a few
// kilobytes, and a device or a pipe named as one may never end.
const maxConfigSize = 1 << 20

// readConfig decodes a config file strictly: an unknown key is an error,
// so that a misspelt setting does not pass silently, and so is a second
// YAML document, which would not be read.
func readConfig(path string) (*fileConfig, error) {
	data, err := readConfigFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	cfg := defaultFileConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %s", path, yamlError(err))
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: more than one YAML document (a line ---); only the first would be read", path)
	}
	if err := cfg.Cluster.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: cluster: %v", path, err)
	}
	if err := cfg.migrationConfig().Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	return cfg, nil
}

// readConfigFile reads a regular file of at most maxConfigSize bytes.
func readConfigFile(path string) ([]byte, error) {
	return readRegularFile(path, maxConfigSize, fmt.Sprintf("larger than %d KiB; a config is a few lines", maxConfigSize>>10))
}

// readRegularFile reads a regular file of at most limit bytes; tooLarge
// is the error beyond. It looks before it opens: opening a FIFO waits for
// a writer.
func readRegularFile(path string, limit int64, tooLarge string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errors.New(tooLarge)
	}
	return data, nil
}

// yamlError flattens yaml.v3's multi-line type errors into one line: the
// first of them, with the line breaks of a quoted value written as \n.
func yamlError(err error) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(msg)
}

// applyLoading sets the loading settings (algo, tags, tests) from the file
// where no flag set them.
// applyEvidence sets the evidence files from the file where no flag
// named them; dir is the file's folder.
func (c *fileConfig) applyEvidence(set func(string) bool, dir string, profiles *[]string, traffic *string) {
	abs := func(p string) string {
		if p == "off" || filepath.IsAbs(p) {
			return p
		}
		if a, err := filepath.Abs(filepath.Join(dir, p)); err == nil {
			return a
		}
		return filepath.Join(dir, p)
	}
	if !set("profile") && len(c.Profiles) > 0 {
		*profiles = nil
		for _, p := range c.Profiles {
			*profiles = append(*profiles, abs(p))
		}
	}
	if !set("traffic") && c.Traffic != "" {
		*traffic = abs(c.Traffic)
	}
}

func (c *fileConfig) applyLoading(set func(string) bool, algo *string, tags *[]string, tests *bool) {
	if !set("algo") && c.Algo != "" {
		*algo = c.Algo
	}
	if !set("tags") && len(c.Tags) > 0 {
		*tags = c.Tags
	}
	if !set("tests") && c.Tests {
		*tests = true
	}
}
