package main

import (
	"context"
	"fmt"
	"io"
)

// ExampleCommand writes example plans.
type ExampleCommand struct {
	Stdout, Stderr io.Writer
}

// Run runs the command.
func (c *ExampleCommand) Run(ctx context.Context, args []string) error {
	return fmt.Errorf("not yet")
}
