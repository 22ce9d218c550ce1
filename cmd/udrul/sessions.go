package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/web"
)

// SessionsCommand ends the web view's logins before their time.
type SessionsCommand struct {
	Stdout, Stderr io.Writer
}

const sessionsSynopsis = `revoke [--config FILE] [--user EMAIL]

Ends the web view's OpenID Connect logins now: every login made until now,
or with --user only that person's. Their next request goes to the login
page (the API answers 401). The running daemon applies it within seconds;
logins made afterwards work. Use it when a laptop is lost, someone leaves,
or their access (coordinators, municipality_domains, groups) was taken away.`

// Run runs the command.
func (c *SessionsCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("sessions", sessionsSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	user := fs.String("user", "", "end only the logins of this e-mail `address`")
	args = subcommandFirst(args, "revoke")
	if len(args) == 0 || args[0] != "revoke" {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return noSubcommand(fs, "name the subcommand: revoke", "revoke")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*user != "" && !strings.Contains(*user, "@")) {
		fmt.Fprintln(c.Stderr, "udrul sessions revoke: "+usageText(fs, "--user takes an e-mail address, and nothing else is taken"))
		fs.Usage()
		return errUsage
	}
	e, err := app.OpenTelling(ctx, *cfgPath, c.Stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	kind := store.RevokeAll
	if *user != "" {
		kind = store.RevokeUser
	}
	r, err := e.DB.RevokeSessions(ctx, kind, *user)
	if err != nil {
		return err
	}
	at := r.At.In(e.Cfg.Location()).Format("2006-01-02 15:04:05")
	secs := int(web.RevocationTTL.Seconds())
	if kind == store.RevokeAll {
		fmt.Fprintf(c.Stdout, e.L("Alle logins til webvisningen fra før %s er afsluttet (den kørende udrul run bruger det inden for %d sekunder).\n",
			"Every web view login made before %s is ended (the running udrul run applies it within %d seconds).\n"), at, secs)
	} else {
		fmt.Fprintf(c.Stdout, e.L("Logins til webvisningen for %s fra før %s er afsluttet (den kørende udrul run bruger det inden for %d sekunder).\n",
			"%s's web view logins made before %s are ended (the running udrul run applies it within %d seconds).\n"), r.Subject, at, secs)
	}
	if !e.Cfg.HTTP.Auth.OIDC.On() {
		fmt.Fprintln(c.Stdout, e.L("Bemærk: http.auth.oidc er ikke sat op, så webvisningen har ingen egne logins; en proxy foran afslutter sine egne.",
			"Note: http.auth.oidc is not configured, so the web view has no logins of its own; a proxy in front ends its own."))
	}
	return nil
}
