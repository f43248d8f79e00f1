package analysis

import (
	"context"
	"os"
	"slices"
)

// RootDir is the directory the positions of the model of cfg are
// relative to (Model.Root): the workspace or module root of cfg.Dir. A
// model read from the cache does not carry it.
func RootDir(ctx context.Context, cfg Config) (string, error) {
	_, ws, err := cfg.workspace(ctx)
	if err != nil {
		return "", err
	}
	return ws.root, nil
}

// Resolve returns cfg with the module or workspace of its directory
// resolved: CacheKey, Analyze and RootDir given the result ask the go
// command for it once between them, not once each. The result holds for
// as long as the go.mod and go.work files involved do not change.
func (cfg Config) Resolve(ctx context.Context) (Config, error) {
	dir, ws, err := cfg.workspace(ctx)
	if err != nil {
		return cfg, err
	}
	cfg.resolved = &resolved{given: cfg.Dir, env: cfg.Env, dir: dir, ws: ws}
	return cfg, nil
}

// resolved is the directory and workspace Config.Resolve found for the
// directory and environment given.
type resolved struct {
	given string
	env   []string
	dir   string
	ws    *workspace
}

// workspace resolves cfg.Dir and asks the go command, in cfg's
// environment, for the module or workspace it lies in (unless Resolve
// did).
func (cfg Config) workspace(ctx context.Context) (dir string, ws *workspace, err error) {
	// a copy of a resolved Config with another directory or environment
	// is resolved anew
	if r := cfg.resolved; r != nil && r.given == cfg.Dir && slices.Equal(r.env, cfg.Env) {
		ws := *r.ws
		ws.modules = slices.Clone(ws.modules)
		return r.dir, &ws, nil
	}
	if dir, err = resolveDir(cfg.Dir); err != nil {
		return "", nil, err
	}
	ws, err = goEnvironment(ctx, dir, cfg.environ())
	return dir, ws, err
}

// environ is the go command's environment: cfg.Env, else the process's.
func (cfg Config) environ() []string {
	if cfg.Env == nil {
		return os.Environ()
	}
	return cfg.Env
}
