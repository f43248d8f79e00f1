package analysis

import (
	"context"
	"os"
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

// workspace resolves cfg.Dir and asks the go command, in cfg's
// environment, for the module or workspace it lies in.
func (cfg Config) workspace(ctx context.Context) (dir string, ws *workspace, err error) {
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
