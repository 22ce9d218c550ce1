package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/udrul/udrul/app"
	"github.com/udrul/udrul/backup"
	"github.com/udrul/udrul/config"
	"github.com/udrul/udrul/store"
)

// RestoreCommand puts a backup in place of the store.
type RestoreCommand struct {
	Stdout, Stderr io.Writer
}

const restoreSynopsis = `[--config FILE] [--check] BACKUP

Puts the database in BACKUP (a file written by 'udrul backup' or the
daemon's nightly backup, or a plain SQLite copy) in place of the configured
database, after checking it: whole, integrity, and a schema no newer than
this udrul's. The database it replaces is kept beside it as
udrul.db.replaced-YYYYMMDDTHHMM (with its write-ahead log). Refused while
udrul run (or any program) has the database open: stop the daemon first.
--check only checks the backup.`

// Run runs the command.
func (c *RestoreCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("restore", restoreSynopsis, c.Stderr)
	cfgPath := configFlag(fs)
	checkOnly := fs.Bool("check", false, "only check the backup; change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, "name one backup file, such as backups/udrul-backup-2026-11-25T023000.db.gz")
	}
	file := fs.Arg(0)
	// The database is not opened: it is what gets replaced.
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	en := cfg.Language == "en"
	if *checkOnly {
		info, err := backup.Verify(ctx, file)
		if err != nil {
			return c.refused(en, file, cfg.DatabasePath(), err)
		}
		fmt.Fprintln(c.Stdout, say(en,
			fmt.Sprintf("%s er i orden: skema %d, %d planer, %d opgaver%s", file, info.SchemaVersion, info.Plans, info.Tasks, takenAt(info, cfg, en)),
			fmt.Sprintf("%s is sound: schema %d, %d plans, %d tasks%s", file, info.SchemaVersion, info.Plans, info.Tasks, takenAt(info, cfg, en))))
		c.missingTriggers(en, info)
		return nil
	}
	res, err := backup.Restore(ctx, file, cfg.DatabasePath(), time.Now().In(cfg.Location()))
	if err != nil {
		return c.refused(en, file, cfg.DatabasePath(), err)
	}
	fmt.Fprintln(c.Stdout, say(en,
		fmt.Sprintf("%s er gendannet fra %s (skema %d, %d planer, %d opgaver%s)", cfg.DatabasePath(), file, res.SchemaVersion, res.Plans, res.Tasks, takenAt(res.Info, cfg, en)),
		fmt.Sprintf("%s restored from %s (schema %d, %d plans, %d tasks%s)", cfg.DatabasePath(), file, res.SchemaVersion, res.Plans, res.Tasks, takenAt(res.Info, cfg, en))))
	if res.Replaced != "" {
		fmt.Fprintln(c.Stdout, say(en, "Den erstattede database er gemt som "+res.Replaced, "The replaced database is kept as "+res.Replaced))
	}
	if known := store.SchemaVersion(); res.SchemaVersion < known {
		fmt.Fprintln(c.Stdout, say(en,
			fmt.Sprintf("Sikkerhedskopien har skema %d; udrul opdaterer den til skema %d, næste gang databasen åbnes.", res.SchemaVersion, known),
			fmt.Sprintf("The backup has schema %d; udrul brings it to schema %d when it next opens the database.", res.SchemaVersion, known)))
	}
	c.missingTriggers(en, res.Info)
	return nil
}

// missingTriggers says that the backup lacks udrul's triggers on the
// tasks and that they are made again.
func (c *RestoreCommand) missingTriggers(en bool, info backup.Info) {
	if len(info.MissingTriggers) == 0 {
		return
	}
	names := strings.Join(info.MissingTriggers, ", ")
	fmt.Fprintln(c.Stdout, say(en,
		"Sikkerhedskopien mangler udruls trigger(e) "+names+" på opgaverne: udrul laver dem igen, næste gang databasen åbnes, og sletter de pakkede opgaver, som næste synkronisering pakker igen (indtil da læses opgaverne række for række).",
		"The backup lacks udrul's trigger(s) "+names+" on the tasks: udrul makes them again when it next opens the database, and deletes the packed tasks, which the next sync packs again (until then the tasks are read row by row)."))
}

func takenAt(info backup.Info, cfg *config.Config, en bool) string {
	if info.Taken.IsZero() {
		return ""
	}
	return say(en, ", taget ", ", taken ") + info.Taken.In(cfg.Location()).Format("2006-01-02 15:04")
}

// refused says why a backup was not restored, in plain words, and leaves
// the detail below.
func (c *RestoreCommand) refused(en bool, file, dbPath string, err error) error {
	var msg string
	var noSpace *backup.NoSpaceError
	var foreign *backup.ForeignObjectError
	switch {
	case errors.Is(err, backup.ErrInUse):
		msg = say(en, "udrul restore: "+dbPath+" er i brug: stop udrul run (og andre udrul-kommandoer) først. Intet er ændret.",
			"udrul restore: "+dbPath+" is in use: stop udrul run (and other udrul commands) first. Nothing was changed.")
	case errors.Is(err, backup.ErrNewerSchema):
		msg = say(en, "udrul restore: "+file+" er skrevet af en nyere udrul: opgradér udrul først. Intet er ændret.",
			"udrul restore: "+file+" was written by a newer udrul: upgrade udrul first. Nothing was changed.")
	case errors.As(err, &foreign):
		msg = say(en, "udrul restore: "+file+" er ikke, som udrul skrev den: "+foreignWords(foreign, en)+"; brug en anden sikkerhedskopi. Intet er ændret.",
			"udrul restore: "+file+" is not as udrul wrote it: "+foreignWords(foreign, en)+"; use another backup. Nothing was changed.")
	case errors.Is(err, backup.ErrDamaged):
		msg = say(en, "udrul restore: "+file+" er beskadiget eller ikke en udrul-sikkerhedskopi; brug en anden. Intet er ændret.",
			"udrul restore: "+file+" is damaged or not a udrul backup; use another one. Nothing was changed.")
	case errors.As(err, &noSpace):
		msg = say(en, fmt.Sprintf("udrul restore: der er ikke plads til at pakke %s ud i %s: den fylder %d MB udpakket, og der er %d MB fri; gør plads, og prøv igen. Intet er ændret.", file, noSpace.Dir, noSpace.NeedMB, noSpace.FreeMB),
			fmt.Sprintf("udrul restore: there is no room to expand %s in %s: it takes %d MB expanded and %d MB are free; make room and try again. Nothing was changed.", file, noSpace.Dir, noSpace.NeedMB, noSpace.FreeMB))
	case errors.Is(err, os.ErrNotExist):
		msg = say(en, "udrul restore: "+file+" findes ikke.", "udrul restore: "+file+" does not exist.")
	default:
		plain := app.PlainFileError(err, en)
		if plain == err {
			return err
		}
		msg = say(en, "udrul restore: gendannelsen mislykkedes; databasen er som før: ", "udrul restore: the restore failed; the database is as it was: ") + plain.Error()
	}
	fmt.Fprintln(c.Stderr, msg)
	return errReported
}

// foreignWords says which trigger or view a refused backup holds, and why
// that matters, in the language.
func foreignWords(e *backup.ForeignObjectError, en bool) string {
	name := e.Name // %q escapes what a terminal would act on
	switch {
	case e.Kind == "trigger" && e.Changed:
		return say(en, fmt.Sprintf("dens trigger %q er ændret fra udruls egen (den ville køre ved udruls næste skrivning)", name),
			fmt.Sprintf("its trigger %q is changed from udrul's own (it would run at udrul's next write)", name))
	case e.Kind == "trigger":
		return say(en, fmt.Sprintf("den indeholder en trigger %q, som udrul ikke laver (den ville køre ved udruls næste skrivning)", name),
			fmt.Sprintf("it holds a trigger %q, which udrul does not make (it would run at udrul's next write)", name))
	case e.Changed:
		return say(en, fmt.Sprintf("dens visning (view) %q er ændret fra udruls egen", name),
			fmt.Sprintf("its view %q is changed from udrul's own", name))
	}
	return say(en, fmt.Sprintf("den indeholder en visning (view) %q, som udrul ikke laver", name),
		fmt.Sprintf("it holds a view %q, which udrul does not make", name))
}
