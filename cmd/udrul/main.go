// Command udrul reads the implementation plans that municipalities keep in
// spreadsheets and turns them into one picture of a national rollout.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	os.Exit(m.Run(ctx, os.Args[1:]))
}
