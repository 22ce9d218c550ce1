package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
	"github.com/udrul/udrul/sync/reconcile"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// defaultConfig is the configuration file used when --config is not given:
// $UDRUL_CONFIG, else udrul.yaml in the current folder.
func defaultConfig() string {
	if p := os.Getenv("UDRUL_CONFIG"); p != "" {
		return p
	}
	return "udrul.yaml"
}

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", defaultConfig(), "configuration `file` (default $UDRUL_CONFIG or udrul.yaml)")
}

// env is a loaded configuration and its open store.
type env struct {
	cfg *config.Config
	db  *store.DB
}

func openEnv(ctx context.Context, configPath string) (*env, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no configuration at %s: write one with 'udrul init' or name it with --config", configPath)
		}
		return nil, err
	}
	db, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, err
	}
	return &env{cfg: cfg, db: db}, nil
}

func (e *env) Close() error { return e.db.Close() }

// newSyncer builds the sync cycle and its targets from the configuration;
// only names sources when given.
func (e *env) newSyncer(logger *slog.Logger, progress io.Writer, only string) (*syncer.Syncer, []syncer.Target, error) {
	cfg := e.cfg
	s := &syncer.Syncer{
		DB:       e.db,
		Parser:   parse.New(cfg.ParserOptions()),
		ReadOpts: grid.Options{MaxSize: cfg.MaxFileSizeMiB << 20},
		Guard:    reconcile.Guard{MaxLoss: cfg.ShrinkGuard.MaxLoss, MinTasks: cfg.ShrinkGuard.MinTasks},
		Log:      logger,
		Progress: progress,
	}
	var targets []syncer.Target
	for _, src := range cfg.Sources {
		if only != "" && src.Name != only {
			continue
		}
		src := src
		var s syncer.Source
		switch src.Kind {
		case config.KindFiles:
			s = source.NewFiles(src.Name, cfg.SourcePath(src), src.Recursive)
		default:
			return nil, nil, fmt.Errorf("source %s: kind %q cannot be synced", src.Name, src.Kind)
		}
		targets = append(targets, syncer.Target{Source: s, Identify: func(it source.Item, md model.Metadata) (syncer.Identity, error) {
			id, err := cfg.Identify(src, it.Name, md)
			return syncer.Identity(id), err
		}})
	}
	if only != "" && len(targets) == 0 {
		return nil, nil, fmt.Errorf("no source named %q in %s", only, cfg.Path())
	}
	return s, targets, nil
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
