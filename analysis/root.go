package analysis

import (
	"context"
	"os"
)

// RootDir is the directory the positions of the model of cfg are
// relative to (Model.Root): the workspace or module root of cfg.Dir. A
// model read from the cache does not carry it.
func RootDir(ctx context.Context, cfg Config) (string, error) {
	dir, err := resolveDir(cfg.Dir)
	if err != nil {
		return "", err
	}
	env := cfg.Env
	if env == nil {
		env = os.Environ()
	}
	ws, err := goEnvironment(ctx, dir, env)
	if err != nil {
		return "", err
	}
	return ws.root, nil
}
