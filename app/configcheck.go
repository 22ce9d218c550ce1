package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/internal/lang"
	"github.com/udrul/udrul/store"
	"github.com/udrul/udrul/sync/source"
	"github.com/udrul/udrul/sync/syncer"
)

// ConfigWarnings are the warnings of a valid configuration: what it does
// that is unsafe (config.Warnings), what will not work as one would expect
// (UsageWarnings, OverlapWarnings and UnreadWarnings, which look at the
// files sources' folders), and alerts that will likely reach no one given the plans read
// so far (ContactWarnings; plans from PlanIdentities, none before a first
// sync). `udrul config check` prints them and the daemon logs them at start
// and on reload: one list, said alike, in the configuration's language.
//
// plansErr is why the plans could not be read (PlanIdentities' error): the
// warnings then say so, never that the database holds no plans.
func ConfigWarnings(cfg *config.Config, plans []config.Identity, plansErr error) []*config.FieldError {
	warnings := append(cfg.Warnings(), cfg.UsageWarnings(source.PlanExts)...)
	warnings = append(warnings, cfg.OverlapWarnings(source.PlanExts)...)
	warnings = append(warnings, cfg.UnreadWarnings(func(name, rel string) bool {
		for _, p := range cfg.Ignore {
			if syncer.MatchPattern(p, name) || syncer.MatchPattern(p, rel) {
				return true
			}
		}
		return false
	})...)
	return append(warnings, ContactWarnings(cfg, plans, plansErr)...)
}

// ContactWarnings are what config check says of alerts that will likely
// reach no one (config.ContactWarnings): a solution in alerts that neither
// the configuration nor any of the plans has, and a contact key that no
// plan is. With no plans (no database yet, or one whose plans could not be
// read: plansErr, said as such), only a solution the configuration does
// not know is warned of.
func ContactWarnings(cfg *config.Config, plans []config.Identity, plansErr error) []*config.FieldError {
	a := cfg.Alerts
	if len(a.Contacts) == 0 && !slices.ContainsFunc(a.Coordinators, func(c config.Coordinator) bool { return len(c.Solutions) > 0 }) &&
		!slices.ContainsFunc(a.Webhooks, func(w config.Webhook) bool { return len(w.Solutions) > 0 }) {
		return nil
	}
	if plansErr != nil {
		return cfg.ContactWarningsUnread(PlansUnreadWhy(plansErr, cfg.ProblemsEnglish()))
	}
	return cfg.ContactWarnings(plans)
}

// PlanIdentities are the identities of the plans in db (a database of any
// schema: see store.PlanNames); none when db is nil. A read that fails is
// an error, not "no plans": the warnings that hold alerts against the
// plans would otherwise say the database holds none.
func PlanIdentities(ctx context.Context, db *store.DB) ([]config.Identity, error) {
	if db == nil {
		return nil, nil
	}
	plans, err := db.PlanNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the plans' names: %w", err)
	}
	ids := make([]config.Identity, len(plans))
	for i, p := range plans {
		ids[i] = config.Identity{Municipality: p.Municipality, Solution: p.Solution, Wave: p.Wave}
	}
	return ids, nil
}

// PlansUnreadWhy says in plain words why the plans could not be read
// (PlanIdentities' error), in the language: the database busy, damaged, or
// not readable by the user; stopped; else a read error of the database.
func PlansUnreadWhy(err error, english bool) string {
	var se sqlite3.Error
	isSQLite := errors.As(err, &se)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return lang.Pick(english, "læsningen blev afbrudt", "the read was stopped")
	case errors.Is(err, store.ErrBusy):
		return lang.Pick(english, "databasen er optaget af et andet program, der skriver i den: prøv igen", "the database is busy with another program writing to it: try again")
	case errors.Is(err, fs.ErrPermission) || isSQLite && (se.Code == sqlite3.ErrPerm || se.Code == sqlite3.ErrAuth):
		return lang.Pick(english, "brugeren, udrul kører som, må ikke læse den", "the user udrul runs as may not read it")
	case isSQLite && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB):
		return lang.Pick(english, "databasen er beskadiget: gendan en sikkerhedskopi med udrul restore", "the database is damaged: restore a backup with udrul restore")
	case isSQLite && se.Code == sqlite3.ErrError:
		return lang.Pick(english, "dens plans-tabel kan ikke læses, som udrul skriver den: er databasen ændret af et andet program?", "its plans table cannot be read as udrul writes it: has another program changed the database?")
	}
	return lang.Pick(english, "en fejl ved læsning af databasen eller på drevet", "an error reading the database or its drive")
}

// DatabaseCheck is what `udrul config check` sees of the configuration's
// database, which it opens read-only: it is neither created nor migrated
// (an older udrul may still be running against it).
type DatabaseCheck struct {
	// Plans are the identities of the plans in it (none when it does not
	// exist or cannot be read); PlansErr, why they could not be read.
	Plans    []config.Identity
	PlansErr error
	// Note says, in the configuration's language, that the database will
	// be created, or upgraded, by the next sync or run; "" when it is at
	// this udrul's schema.
	Note string
	// Problem says that it cannot be read, or that a newer udrul wrote it
	// (this udrul refuses it): a warning. "" when neither.
	Problem string
	// Warnings are further warnings: a trigger on the tasks that udrul
	// leaves alone and that keeps the packed tasks from being read
	// (KeptTriggerWords).
	Warnings []string
}

// CheckDatabase looks at the configuration's database without changing
// it (see DatabaseCheck).
func CheckDatabase(ctx context.Context, cfg *config.Config) DatabaseCheck {
	en := cfg.ProblemsEnglish()
	say := func(da, en2 string, args ...any) string { return lang.Pickf(en, da, en2, args...) }
	path := cfg.DatabasePath()
	if f, err := os.Open(path); errors.Is(err, fs.ErrNotExist) {
		return DatabaseCheck{Note: say("databasen %s findes ikke endnu: den oprettes ved første udrul sync eller udrul run",
			"the database %s does not exist yet: the first udrul sync or udrul run creates it", path)}
	} else if errors.Is(err, fs.ErrPermission) {
		return DatabaseCheck{Problem: say("udrul må ikke læse databasen %s: kør som den bruger, udrul kører som, eller giv læseadgang (alerts er ikke holdt op mod planerne i den)",
			"udrul may not read the database %s: run as the user udrul runs as, or give read access (alerts were not checked against its plans)", path)}
	} else if err == nil {
		f.Close()
	}
	db, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return DatabaseCheck{Problem: say("databasen %s kan ikke læses: er det en udrul-database, og er den hel? (alerts er ikke holdt op mod planerne i den)",
			"the database %s cannot be read: is it a udrul database, and is it sound? (alerts were not checked against its plans)", path)}
	}
	defer db.Close()
	unreadable := say("databasen %s kan ikke læses: er det en udrul-database, og er den hel? (alerts er ikke holdt op mod planerne i den)",
		"the database %s cannot be read: is it a udrul database, and is it sound? (alerts were not checked against its plans)", path)
	// Another application's first (a table named schema_migrations is not
	// udrul's record: its version and its plans would be misread).
	if tables, err := db.ForeignTables(ctx); err != nil {
		return DatabaseCheck{Problem: unreadable}
	} else if len(tables) > 0 {
		return DatabaseCheck{Problem: say("databasen %s er ikke udruls: den har en anden programs tabeller (%s); udrul skriver ikke i den: ret database i konfigurationen",
			"the database %s is not udrul's: it holds another application's tables (%s); udrul does not write in it: correct database in the configuration", path, strings.Join(tables, ", "))}
	}
	plans, plansErr := PlanIdentities(ctx, db)
	out := DatabaseCheck{Plans: plans, PlansErr: plansErr}
	current, known, err := db.Schema(ctx)
	switch {
	case err != nil:
		out.Problem = unreadable
	case plansErr != nil:
		out.Problem = say("planerne i databasen %s kunne ikke læses: %s (alerts er ikke holdt op mod planerne i den)",
			"the plans in the database %s could not be read: %s (alerts were not checked against its plans)", path, PlansUnreadWhy(plansErr, en))
	case current > known:
		out.Problem = say("databasen %s er skrevet af en nyere udrul (skema %d; denne udrul kender op til %d): denne udrul kan ikke bruge den; opgradér udrul",
			"the database %s was written by a newer udrul (schema %d; this udrul knows up to %d): this udrul cannot use it; upgrade udrul", path, current, known)
	case current == 0:
		out.Note = say("databasen %s er tom: udrul sync eller udrul run sætter den op", "the database %s is empty: udrul sync or udrul run sets it up", path)
	case current < known:
		out.Note = say("databasen %s har skema %d, denne udrul forventer %d: den opgraderes ved næste udrul sync eller udrul run (config check ændrer den ikke); en ældre udrul, der stadig bruger den, afviser den derefter, så stop den først",
			"the database %s is at schema %d, this udrul expects %d: the next udrul sync or udrul run upgrades it (config check does not change it); an older udrul still using it refuses it after that, so stop that one first", path, current, known)
	}
	if err == nil && current == known {
		// udrul's triggers on the tasks: a missing one is made again by
		// the next open for writing; another is the user's to drop.
		if pt, err := db.ReadPackTriggers(ctx); err == nil {
			if len(pt.Missing) > 0 {
				out.Note = say("databasen %s mangler udruls trigger(e) %s på opgaverne: den næste udrul-kommando eller udrul run laver dem igen og sletter de pakkede opgaver, som næste synkronisering pakker igen (config check ændrer intet)",
					"the database %s lacks udrul's trigger(s) %s on the tasks: the next udrul command or udrul run makes them again and deletes the packed tasks, which the next sync packs again (config check changes nothing)", path, strings.Join(pt.Missing, ", "))
			}
			for _, k := range pt.Kept {
				out.Warnings = append(out.Warnings, KeptTriggerWords(k, path, en))
			}
		}
	}
	return out
}
