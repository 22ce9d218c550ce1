package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Command is a program run on each new backup file, for an off-machine
// copy: its arguments with {file} replaced by the backup's path and {name}
// by its file name. No shell is involved unless the arguments name one
// ("sh", "-c", "...").
type Command struct {
	Args    []string
	Timeout time.Duration
}

// CommandResult is how a command ended.
type CommandResult struct {
	Args     []string
	ExitCode int // -1 when it did not run or was stopped
	Output   string
	Duration time.Duration
}

// maxOutput bounds the output kept from a command: its last bytes.
const maxOutput = 16 << 10

// Run runs the command for the backup at file. Its error says why it
// failed: not found, a non-zero exit status, or the timeout.
func (c Command) Run(ctx context.Context, file string) (CommandResult, error) {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		a = strings.ReplaceAll(a, "{file}", file)
		args[i] = strings.ReplaceAll(a, "{name}", filepath.Base(file))
	}
	res := CommandResult{Args: args, ExitCode: -1}
	if len(args) == 0 {
		return res, errors.New("backup.command is empty")
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	out := &tailBuffer{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	// A child that outlives the killed command must not keep us waiting
	// on its output.
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	start := time.Now()
	err := cmd.Run()
	res.Duration, res.Output = time.Since(start), strings.TrimSpace(out.String())
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	switch {
	case err == nil:
		return res, nil
	case ctx.Err() == context.DeadlineExceeded:
		return res, fmt.Errorf("backup.command %s: stopped after %s (backup.command_timeout_seconds)", args[0], c.Timeout)
	case res.ExitCode > 0:
		return res, fmt.Errorf("backup.command %s: exit status %d", args[0], res.ExitCode)
	default:
		return res, fmt.Errorf("backup.command %s: %w", args[0], err)
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf  bytes.Buffer
	max  int
	lost bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
		b := append([]byte(nil), t.buf.Bytes()...)
		t.buf.Reset()
		t.buf.Write(b)
		t.lost = true
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	if t.lost {
		return "…" + t.buf.String()
	}
	return t.buf.String()
}
