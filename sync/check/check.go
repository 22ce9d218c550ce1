// Package check reads plan files for `udrul check`: on all cores, each
// file's rows streamed through the parser, and each plan handed on in the
// order of the files as soon as it and those before it are read, so that
// what is printed streams and memory follows the plans in flight, not the
// folder. It also writes the JSON form of the results, plan by plan.
package check

import (
	"context"
	"runtime"
	"sync"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

// Result is one file's plan, or why it could not be read (then Plan is an
// empty plan of the file).
type Result struct {
	Path string
	Plan *model.Plan
	Err  error
}

// File reads and parses the plan at path.
func File(path string, parser *parse.Parser, opts grid.Options) Result {
	r := Result{Path: path}
	r.Plan, r.Err = parser.ReadFile(path, opts)
	if r.Err != nil {
		r.Plan = &model.Plan{}
	}
	r.Plan.File = path
	return r
}

// Files reads the files at paths on all cores and calls each with their
// results in the order of paths, each as soon as it and those before it
// are read. At most two results per core wait for each. It returns the
// first error of each, or ctx's error when it is cancelled (the files not
// yet read are left).
func Files(ctx context.Context, paths []string, parser *parse.Parser, opts grid.Options, each func(Result) error) error {
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	if workers == 0 {
		return ctx.Err()
	}
	done := make([]chan Result, len(paths))
	for i := range done {
		done[i] = make(chan Result, 1)
	}
	slots := make(chan struct{}, 2*workers) // results read but not yet handed on
	jobs := make(chan int)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				done[i] <- File(paths[i], parser, opts)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range paths {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for i := range paths {
		var r Result
		select {
		case r = <-done[i]:
		case <-ctx.Done():
		}
		if err = ctx.Err(); err != nil {
			break
		}
		<-slots
		if err = each(r); err != nil {
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}
