package main

// helpDanish is the Danish of the commands' help: their summaries, what
// each does, and their flags' descriptions, keyed by the English as the
// commands write it (spacing evened out by normHelp). In a flag's
// description the `word` in back quotes names its value, as in the English.
// TestHelp_danish fails when an English text has no Danish here.
var helpDanish = normKeys(map[string]string{
	// The command summaries of 'udrul --help'.
	"sync example plans, change them, sync again and show what udrul found":             "synkroniser eksempelplaner, ret i dem, synkroniser igen og vis hvad udrul fandt",
	"read plan files and list what is wrong in them":                                    "læs planfiler og vis hvad der er galt i dem",
	"read every source once and reconcile the plans into the store":                     "læs hver kilde én gang og afstem planerne i databasen",
	"list the sources and their plans with how each was last read":                      "vis kilderne og deres planer, og hvordan hver sidst blev læst",
	"list the plans with their state and counts":                                        "vis planerne med deres tilstand og antal",
	"list the current tasks with their plans":                                           "vis de nuværende opgaver med deres planer",
	"evaluate the rules and list the open findings":                                     "vurder reglerne og vis de åbne fund",
	"write the consolidated Excel report":                                               "skriv den samlede Excel-rapport",
	"will each plan be ready for its go-live? the forecast and the tasks that drive it": "bliver hver plan klar til idriftsættelsen? prognosen og de opgaver, der styrer den",
	"send the deadline digests (or show them with --dry-run)":                           "send fristoversigterne (eller vis dem med --dry-run)",
	"list undelivered messages with their errors; retry or drop one":                    "vis ikke-leverede beskeder med deres fejl; prøv én igen eller drop den",
	"run the daemon: scheduled syncs, alerts and reports; health and metrics":           "kør dæmonen: planlagte synkroniseringer, varsler og rapporter; helbred og målinger",
	"end the web view's logins now (sessions revoke [--user EMAIL])":                    "afslut webvisningens logins nu (sessions revoke [--user EMAIL])",
	"write a checked, compressed copy of the database (also while udrul run works)":     "skriv en kontrolleret, komprimeret kopi af databasen (også mens udrul run arbejder)",
	"put a backup in place of the database (udrul run stopped)":                         "sæt en sikkerhedskopi i databasens sted (med udrul run stoppet)",
	"show one task's changes over time":                                                 "vis én opgaves ændringer over tid",
	"reset a plan's baseline (baseline reset --plan P --label L)":                       "nulstil en plans basislinje (baseline reset --plan P --label L)",
	"validate a configuration file (config check)":                                      "kontroller en konfigurationsfil (config check)",
	"write a commented starter configuration":                                           "skriv en kommenteret startkonfiguration",
	"write a ready-to-fill standard plan dated for a wave (or --rebase)":                "skriv en standardplan klar til udfyldning, dateret til en bølge (eller --rebase)",
	"propose, revise (hearing) and decide wave plans (waves propose|responses|decide)":  "foreslå, revider (høring) og beslut bølgeplaner (waves propose|responses|decide)",
	"write example plans in every layout udrul reads":                                   "skriv eksempelplaner i alle de opstillinger, udrul læser",
	versionSummary: "vis udruls version, commit og Go-version",

	// What each command does.
	`Writes example plans for several municipalities and solutions, in the
layouts they really use, into FOLDER/plans with a configuration and a fresh
database; syncs them; then changes some plans (a slipped end date, a renamed
task, a removed task, a sheet cleared by mistake), syncs again, and prints
what udrul found. FOLDER is replaced if an earlier demo made it. --lang sets
the demo configuration's language: its messages and report speak it.`: `Skriver eksempelplaner for flere kommuner og løsninger, i de opstillinger de
faktisk bruger, i FOLDER/plans med en konfiguration og en ny database;
synkroniserer dem; ændrer så nogle planer (en skredet slutdato, en omdøbt
opgave, en fjernet opgave, et ark tømt ved en fejl), synkroniserer igen og
viser, hvad udrul fandt. FOLDER erstattes, hvis en tidligere demo lavede den.
--lang vælger demokonfigurationens sprog: dens beskeder og rapport taler det.`,

	`Reads each plan (.xlsx, .xlsm, .csv, .txt; a folder means the plans in it)
and lists its tasks' problems with their cell references. Exit code 0 when
every file was read and no problem is an error, 1 otherwise, 2 on wrong usage.`: `Læser hver plan (.xlsx, .xlsm, .csv, .txt; en mappe betyder planerne i den)
og viser problemerne i dens opgaver med deres cellereferencer. Slutkode 0, når
hver fil blev læst og intet problem er en fejl, ellers 1, og 2 ved forkert brug.`,

	`Reads every source once: unchanged files cost almost nothing, changed ones
are parsed and reconciled into the store with their history. A read that
looks like an accident (the sheet emptied or cut off, most of its tasks
gone, another plan saved over the file) is held, not applied, until its
sheet recovers or it is accepted with --accept Municipality/Solution. A plan
claimed by two files (a copy beside it) is not changed from either: it is
shown as a conflict until one remains, an ignore pattern skips the copy or
a prefer pattern picks the file. A source that had several plans and lists none (a
share not mounted) is held too: nothing is marked gone until it lists plans
again or --accept-empty NAME accepts it; so is a subfolder of a files source
that had several plans and lists none, or cannot be read (--accept-empty
NAME/FOLDER accepts that folder alone; --accept-empty NAME does not accept
a folder that cannot be read). Spreadsheets in formats udrul does
not read (.xls, .xlsb, .ods) are named. Exit code 0 when every source
synced, 1 otherwise.`: `Læser hver kilde én gang: uændrede filer koster næsten intet, ændrede læses
og afstemmes i databasen med deres historik. En læsning, der ligner et uheld
(arket tømt eller afskåret, de fleste opgaver væk, en anden plan gemt oven i
filen), holdes tilbage, ikke anvendt, til arket er rettet, eller den godkendes
med --accept Kommune/Løsning. En plan, som to filer gør krav på (en kopi ved
siden af), ændres ikke fra nogen af dem: den vises som en konflikt, til én er
tilbage, et ignore-mønster springer kopien over, eller et prefer-mønster
vælger filen. En kilde, der havde flere planer og ikke viser nogen (et drev, der
ikke er monteret), holdes også tilbage: intet markeres som væk, før den viser
planer igen, eller --accept-empty NAVN godkender det; det samme gælder en
undermappe i en filkilde, der havde flere planer og ikke viser nogen eller
ikke kan læses (--accept-empty NAVN/MAPPE godkender kun den mappe;
--accept-empty NAVN godkender ikke en mappe, der ikke kan læses). Regneark
i formater, udrul ikke læser (.xls, .xlsb, .ods), nævnes. Slutkode 0, når
hver kilde blev synkroniseret, ellers 1.`,

	`Lists every source with its last sync: state, files, API calls, bytes and
duration, the last error (for m365 sources also the last delta query); and
under each, its plans with their state.`: `Viser hver kilde med dens seneste synkronisering: tilstand, filer, API-kald,
bytes og varighed, den seneste fejl (for m365-kilder også den seneste
delta-forespørgsel); og under hver dens planer med deres tilstand.`,

	`Lists every plan with its state (ok, held, failing, gone, conflict), task counts,
problems in its sheet and when it was last read and last changed.`: `Viser hver plan med dens tilstand (ok, held, failing, gone, conflict), antal
opgaver, problemer i dens ark, og hvornår den sidst blev læst og ændret.`,

	`Lists the tasks in the store with their plan. The first column is the task's
number, which 'udrul history' takes.`: `Viser opgaverne i databasen med deres plan. Første kolonne er opgavens
nummer, som 'udrul history' tager.`,

	`Evaluates the rules over the store for the as-of date (default today) and
lists the open findings: overdue, not started, due soon and slipped tasks,
inconsistent, stale and held plans, missing standard tasks and load peaks,
with the red/amber/green status of each plan. What is new and what was
resolved is counted over the reporting period: since the previous weekly
report (or the last seven days without one), or since --since. An as-of
date other than today is a preview: it changes nothing in the store.`: `Vurderer reglerne over databasen på opgørelsesdatoen (standard i dag) og
viser de åbne fund: overskredne, ikke startede, snart forfaldne og skredne
opgaver, inkonsistente, forældede og tilbageholdte planer, manglende
standardopgaver og belastningstoppe, med hver plans rød/gul/grøn-status. Hvad
der er nyt, og hvad der er løst, tælles over rapportperioden: siden den
forrige ugerapport (eller de sidste syv dage uden en), eller siden --since.
En anden opgørelsesdato end i dag er en forhåndsvisning: den ændrer intet i
databasen.`,

	`Evaluates the findings for the as-of date (default today; another date is a
preview that stores nothing) and writes the consolidated workbook: Oversigt, Kommuner, Bølger, Prognose, Forsinkede, Skred,
Datakvalitet, Ændringer, Opgaver and Kilder. The default name carries the
ISO week (udrul-rapport-2026-W48.xlsx), in the configured report folder.
--municipality writes one municipality's extract; --split writes one
extract per municipality beside the full report.`: `Vurderer fundene på opgørelsesdatoen (standard i dag; en anden dato er en
forhåndsvisning, der intet gemmer) og skriver den samlede projektmappe:
Oversigt, Kommuner, Bølger, Prognose, Forsinkede, Skred, Datakvalitet,
Ændringer, Opgaver og Kilder. Standardnavnet bærer ISO-ugen
(udrul-rapport-2026-W48.xlsx), i den konfigurerede rapportmappe.
--municipality skriver én kommunes udtræk; --split skriver et udtræk pr.
kommune ved siden af den fulde rapport.`,

	`Forecasts, for every plan whose go-live is ahead, when the tasks that must
precede the go-live will be done: from the tasks' dates and statuses and
the order of the standard plan (after:), in Danish working days. It shows
the readiness date, the slack against the wave's go-live (negative: late),
the level (red: ready after the go-live; amber: less slack than
rules.forecast_amber_days and than the plan's own dates give), and the
chain of tasks that drives it. --go-live asks "what if this wave's go-live
moved": it changes nothing. Nothing is stored.`: `Forudsiger for hver plan med idriftsættelsen foran sig, hvornår de opgaver,
der skal gå forud for idriftsættelsen, er færdige: ud fra opgavernes datoer
og status og standardplanens rækkefølge (after:), i danske arbejdsdage. Den
viser klar-datoen, luften til bølgens idriftsættelse (negativ: for sent),
niveauet (rød: klar efter idriftsættelsen; gul: mindre luft end
rules.forecast_amber_days og end planens egne datoer giver) og den kæde af
opgaver, der styrer den. --go-live spørger "hvad hvis bølgens
idriftsættelse flyttede sig": det ændrer intet. Intet gemmes.`,

	`Evaluates the findings and makes one digest per recipient of what is new
for them: tasks reaching a rung of the due-soon ladder, newly overdue
tasks, slipped end dates, escalations, and what was resolved since their
last digest. Without --dry-run the digests are queued in the outbox and
sent; an alert is never sent twice for the same state.`: `Vurderer fundene og laver én oversigt pr. modtager over det, der er nyt for
dem: opgaver, der når et trin på stigen for snarlige frister, nyligt
overskredne opgaver, skredne slutdatoer, eskaleringer, og hvad der er løst
siden deres seneste oversigt. Uden --dry-run lægges oversigterne i udbakken
og sendes; et varsel sendes aldrig to gange for samme tilstand.`,

	`Lists the messages (digests, weekly reports) not yet delivered: recipient,
subject, attempts, the next try and the last error, so a delivery that keeps
failing is seen and its reason known. --all lists the delivered ones too.
--retry ID makes a message due now (the daemon's outbox job, or 'udrul
alerts', sends it); --drop ID removes one that must not be sent: its alerts
stay logged, so they are not sent again either.`: `Viser de beskeder (oversigter, ugerapporter), der endnu ikke er leveret:
modtager, emne, forsøg, næste forsøg og seneste fejl, så en levering, der
bliver ved med at fejle, ses, og årsagen kendes. --all viser også de leverede.
--retry ID gør en besked klar til afsendelse nu (dæmonens udbakkejob, eller
'udrul alerts', sender den); --drop ID fjerner en, der ikke må sendes: dens
varsler forbliver logget, så de heller ikke sendes igen.`,

	`Runs unattended: syncs, alert digests and the weekly report on the
configured schedules (cron, in the configured time zone; a job still running
is not started again), delivers the outbox, and serves /healthz, /readyz,
/metrics and a status page. SIGHUP reloads the configuration (an invalid one
is rejected and the old one kept); SIGINT or SIGTERM stop it cleanly.`: `Kører uden opsyn: synkroniseringer, varseloversigter og ugerapporten efter
de konfigurerede tidsplaner (cron, i den konfigurerede tidszone; et job, der
stadig kører, startes ikke igen), leverer udbakken og har /healthz, /readyz,
/metrics og en statusside. SIGHUP genindlæser konfigurationen (en ugyldig
afvises, og den gamle beholdes); SIGINT eller SIGTERM stopper den pænt.`,

	`Ends the web view's OpenID Connect logins now: every login made until now,
or with --user only that person's. Their next request goes to the login
page (the API answers 401). The running daemon applies it within seconds;
logins made afterwards work. Use it when a laptop is lost, someone leaves,
or their access (coordinators, municipality_domains, groups) was taken away.`: `Afslutter webvisningens OpenID Connect-logins nu: alle logins foretaget indtil
nu, eller med --user kun den persons. Deres næste forespørgsel går til
login-siden (API'et svarer 401). Den kørende dæmon anvender det inden for
sekunder; logins foretaget bagefter virker. Brug den, når en bærbar er
mistet, nogen stopper, eller deres adgang (coordinators, municipality_domains,
groups) er taget fra dem.`,

	`Writes a consistent copy of the database, also while udrul run is working
on it (syncs go on: the copy reads one snapshot), checks it (integrity, and
its schema version is recorded) and compresses it (gzip). The file takes its
name only when whole. Without --out it goes into backup.dir as
udrul-backup-YYYY-MM-DDTHHMMSS.db.gz, where the daemon's nightly backups are
kept; --out FOLDER/ (or an existing folder) puts it there under that name.
--out replaces only an earlier backup, never another file, a named pipe or a
device. Put it back with 'udrul restore FILE'.`: `Skriver en konsistent kopi af databasen, også mens udrul run arbejder på den
(synkroniseringer fortsætter: kopien læser ét øjebliksbillede), kontrollerer
den (integritet, og dens skemaversion noteres) og komprimerer den (gzip).
Filen får sit navn, først når den er hel. Uden --out lægges den i backup.dir
som udrul-backup-ÅÅÅÅ-MM-DDTTTMMSS.db.gz, hvor dæmonens natlige
sikkerhedskopier gemmes; --out MAPPE/ (eller en mappe, der findes) lægger den
dér under det navn. --out erstatter kun en tidligere sikkerhedskopi, aldrig en
anden fil, et navngivet rør eller en enhed. Læg den tilbage med 'udrul restore FIL'.`,

	`Puts the database in BACKUP (a file written by 'udrul backup' or the
daemon's nightly backup, or a plain SQLite copy) in place of the configured
database, after checking it: whole, integrity, and a schema no newer than
this udrul's. The database it replaces is kept beside it as
udrul.db.replaced-YYYYMMDDTHHMM (with its write-ahead log). Refused while
udrul run (or any program) has the database open: stop the daemon first.
--check only checks the backup.`: `Sætter databasen i BACKUP (en fil skrevet af 'udrul backup' eller dæmonens
natlige sikkerhedskopi, eller en almindelig SQLite-kopi) i den konfigurerede
databases sted efter at have kontrolleret den: hel, integritet, og et skema,
der ikke er nyere end denne udruls. Databasen, den erstatter, gemmes ved
siden af som udrul.db.replaced-ÅÅÅÅMMDDTTMM (med sin write-ahead-log).
Afvises, mens udrul run (eller et andet program) har databasen åben: stop
dæmonen først. --check kontrollerer kun sikkerhedskopien.`,

	`Shows a task's changes over time; TASK is the number 'udrul tasks' shows.`: `Viser en opgaves ændringer over tid; TASK er nummeret, som 'udrul tasks' viser.`,

	`Sets the baseline of every task of the plan (Municipality/Solution) to its
current dates, for example after a re-planning agreed with the municipality.
Slips are measured against the baseline from then on; the label and every
moved baseline are kept in the history.`: `Sætter basislinjen for hver opgave i planen (Kommune/Løsning) til dens
nuværende datoer, fx efter en omplanlægning aftalt med kommunen. Skred måles
derefter mod den nye basislinje; mærkaten og hver flyttet basislinje gemmes i
historikken.`,

	`Validates a configuration file: unknown keys, bad values and impossible
combinations are reported with their key and line.`: `Kontrollerer en konfigurationsfil: ukendte nøgler, forkerte værdier og
umulige kombinationer meldes med deres nøgle og linje.`,

	`Writes a commented starter configuration, its comments in the language it
sets (language:): Danish, or English with --lang en.`: `Skriver en kommenteret startkonfiguration med kommentarerne på det sprog,
den sætter (language:): dansk, eller engelsk med --lang en.`,

	`Writes the solution's standard plan for a municipality, dated from its
wave's go-live in working days: the municipality, solution and wave as
key/value lines, one table per step, drop-down lists for Status, Ansvarlig
and Udfører, date validation, a frozen and protected head, an instructions
sheet. --all writes one for every municipality of the wave. --gantt writes
the plan as a Gantt timeline instead: a column per week (the year in the
row above), a step row before each step, an x on a coloured cell in each
week a task runs; udrul reads it back as Monday of the first week to Friday
of the last.

--rebase compares each stored plan of the wave with the standard dates from
the wave's go-live now, and shows the dates that change (tasks marked done
keep theirs); --write also writes new copies of those plans.`: `Skriver løsningens standardplan for en kommune, dateret ud fra dens bølges
idriftsættelse i arbejdsdage: kommune, løsning og bølge som nøgle/værdi-linjer,
én tabel pr. trin, rullelister for Status, Ansvarlig og Udfører,
datokontrol, et fastfrosset og beskyttet hoved og et ark med vejledning.
--all skriver én for hver kommune i bølgen. --gantt skriver i stedet planen
som en Gantt-tidslinje: en kolonne pr. uge (året i rækken over), en trinrække
før hvert trin og et x i en farvet celle i hver uge, en opgave løber; udrul
læser den tilbage som mandag i første uge til fredag i sidste.

--rebase sammenligner hver gemt plan i bølgen med standarddatoerne ud fra
bølgens idriftsættelse nu og viser de datoer, der ændres (opgaver markeret
som udført beholder deres); --write skriver også nye kopier af de planer.`,

	`propose reads the criteria sheet (one row per municipality: Kommune,
Størrelse, Ønsket bølge, Tidligst, Senest, Kontraktudløb, Bemærkninger and
the configured criteria columns) and writes a proposal workbook that meets
every hard constraint (earliest/latest wave, contract end, each wave's
capacity, go-live after the solutions it depends on) and scores best on the
weighted criteria and preferences. It has columns for the hearing's
answers. responses reads them back and re-plans, honouring the requests the
constraints allow; decide records the final wave plan in the store, where
wave tables, go-live dates and templates take it from.`: `propose læser kriteriearket (én række pr. kommune: Kommune, Størrelse,
Ønsket bølge, Tidligst, Senest, Kontraktudløb, Bemærkninger og de
konfigurerede kriteriekolonner) og skriver en forslagsprojektmappe, der
overholder alle faste betingelser (tidligste/seneste bølge, kontraktudløb,
hver bølges kapacitet, idriftsættelse efter de løsninger, den afhænger af) og
scorer bedst på de vægtede kriterier og ønsker. Den har kolonner til
høringens svar. responses læser dem tilbage og planlægger igen og
imødekommer de ønsker, betingelserne tillader; decide gemmer den endelige
bølgeplan i databasen, hvor bølgetabeller, idriftsættelsesdatoer og
skabeloner henter den.`,

	`Writes one example plan per layout that municipalities use (blocks per step,
a tab per step, section rows, text dates, a step column with formulas,
English headers, Danish CSV, UTF-8 CSV, Unicode text), with the usual
mistakes in them, and truth.json: what a correct reading finds. In
FOLDER/waves it writes an example criteria sheet (kriterier-KSD.xlsx) and the
configuration to propose KSD waves from it with 'udrul waves propose'.`: `Skriver én eksempelplan pr. opstilling, som kommunerne bruger (blokke pr.
trin, en fane pr. trin, afsnitsrækker, datoer som tekst, en trinkolonne med
formler, engelske overskrifter, dansk CSV, UTF-8 CSV, Unicode-tekst), med de
sædvanlige fejl i, og truth.json: hvad en korrekt læsning finder. I
FOLDER/waves skriver den et eksempel på et kriterieark (kriterier-KSD.xlsx) og
konfigurationen til at foreslå KSD-bølger ud fra det med 'udrul waves propose'.`,

	// The flags' descriptions.
	"configuration `file` ($UDRUL_CONFIG when set)":                                                                         "konfigurations`fil` ($UDRUL_CONFIG, når den er sat)",
	"show what would be sent to whom; send and record nothing":                                                              "vis hvad der ville blive sendt til hvem; send og gem intet",
	"evaluate for this `date` (YYYY-MM-DD; default today)":                                                                  "vurder på denne `dato` (ÅÅÅÅ-MM-DD; standard i dag)",
	"write the backup to this `file` or folder (default: a new file in backup.dir)":                                         "skriv sikkerhedskopien til denne `fil` eller mappe (standard: en ny fil i backup.dir)",
	"the `plan`, as Municipality/Solution":                                                                                  "`plan`en, som Kommune/Løsning",
	"why the baseline is reset (`text`), e.g. \"Ny tidsplan aftalt 2026-11-20\"":                                            "hvorfor basislinjen nulstilles (`tekst`), fx \"Ny tidsplan aftalt 2026-11-20\"",
	"output `format`: text (for a person) or json":                                                                          "uddata`format`: text (til et menneske) eller json",
	"`language` of the messages: da or en (default: the configuration's language:, else da)":                                "beskedernes `sprog`: da eller en (standard: konfigurationens language:, ellers da)",
	"`language` of the file (its comments and language:) and of the messages: da or en (default: $UDRUL_LANGUAGE, else da)": "filens `sprog` (dens kommentarer og language:) og beskedernes: da eller en (standard: $UDRUL_LANGUAGE, ellers da)",
	"`language` of the messages: da or en":                                                                                  "beskedernes `sprog`: da eller en",
	"refuse files that inflate beyond this many `MiB`":                                                                      "afvis filer, der pakkes ud til mere end så mange `MiB`",
	"`folder` for the demo's plans, configuration and database":                                                             "`mappe` til demoens planer, konfiguration og database",
	"`language` of the demo's messages and report: da or en":                                                                "`sprog` for demoens beskeder og rapport: da eller en",
	"`folder` to write the plans into (created if missing)":                                                                 "`mappe`, planerne skrives i (oprettes, hvis den mangler)",
	"random `seed`: the same seed gives the same plans":                                                                     "tilfældigheds`frø`: samme frø giver samme planer",
	"output `format`: table or json":                                                                                        "uddata`format`: table eller json",
	"output `format`: table, csv or json":                                                                                   "uddata`format`: table, csv eller json",
	"evaluate for this `date` (YYYY-MM-DD; default today; another date is a preview)":                                       "vurder på denne `dato` (ÅÅÅÅ-MM-DD; standard i dag; en anden dato er en forhåndsvisning)",
	"count new and resolved findings from this `date` (YYYY-MM-DD; default the day after the previous weekly report)":       "tæl nye og løste fund fra denne `dato` (ÅÅÅÅ-MM-DD; standard dagen efter den forrige ugerapport)",
	"only these `kinds`, comma-separated (overdue, slipped, ...)":                                                           "kun disse `slags`, adskilt med komma (overdue, slipped, ...)",
	"only these `levels`, comma-separated (red, amber, info)":                                                               "kun disse `niveauer`, adskilt med komma (red, amber, info)",
	"only this `municipality`":                                                                                              "kun denne `kommune`",
	"only this `solution`":                                                                                                  "kun denne `løsning`",
	"only this `wave`":                                                                                                      "kun denne `bølge`",
	"only these `statuses`, comma-separated (not_started, in_progress, done, cancelled, on_hold, unknown)":                  "kun disse `statusser`, adskilt med komma (not_started, in_progress, done, cancelled, on_hold, unknown)",
	"include tasks removed from their sheets":                                                                               "medtag opgaver, der er fjernet fra deres ark",
	"forecast from this `date` (YYYY-MM-DD; default today)":                                                                 "forudsig fra denne `dato` (ÅÅÅÅ-MM-DD; standard i dag)",
	"what if `SOLUTION/WAVE=DATE`: that wave's go-live moved (repeatable)":                                                  "hvad hvis `LØSNING/BØLGE=DATO`: den bølges idriftsættelse flyttede sig (kan gentages)",
	"`file` to write":                 "`fil`, der skrives",
	"overwrite an existing file":      "overskriv en eksisterende fil",
	"list delivered messages too":     "vis også leverede beskeder",
	"make message `ID` due now":       "gør besked `ID` klar til afsendelse nu",
	"remove undelivered message `ID`": "fjern den ikke-leverede besked `ID`",
	"the report `file`, or a folder for the default name (default: the ISO week's name in the report folder)":             "rapport`fil`en, eller en mappe til standardnavnet (standard: ISO-ugens navn i rapportmappen)",
	"report as of this `date` (YYYY-MM-DD; default today)":                                                                "rapportér pr. denne `dato` (ÅÅÅÅ-MM-DD; standard i dag)",
	"write only this `municipality`'s extract":                                                                            "skriv kun denne `kommune`s udtræk",
	"also write one extract per municipality":                                                                             "skriv også et udtræk pr. kommune",
	"only check the backup; change nothing":                                                                               "kontroller kun sikkerhedskopien; ændr intet",
	"end only the logins of this e-mail `address`":                                                                        "afslut kun denne e-mail`adresse`s logins",
	"sync only the source with this `name`":                                                                               "synkroniser kun kilden med dette `navn`",
	"apply the held `plan` (Municipality/Solution) despite the guard; repeatable":                                         "anvend den tilbageholdte `plan` (Kommune/Løsning) trods vagten; kan gentages",
	"let the `source` (or SOURCE/FOLDER, a folder in it) that had plans list none: its plans are marked gone; repeatable": "lad `kilden` (eller KILDE/MAPPE, en mappe i den), der havde planer, ikke vise nogen: dens planer markeres som væk; kan gentages",
	"the `solution` (KY, KSD, ...)":                                                                                       "`løsning`en (KY, KSD, ...)",
	"the `municipality`":                                                                                                  "`kommune`n",
	"the `wave` (default: the municipality's wave in the wave table)":                                                     "`bølge`n (standard: kommunens bølge i bølgetabellen)",
	"the workbook `file`, or with --all, --rebase --write the folder":                                                     "projektmappens `fil`, eller med --all, --rebase --write mappen",
	"write one for every municipality of --wave":                                                                          "skriv én for hver kommune i --wave",
	"show the dates that change when the wave's go-live moved":                                                            "vis de datoer, der ændres, når bølgens idriftsættelse flytter sig",
	"with --rebase: write new copies of the changed plans":                                                                "med --rebase: skriv nye kopier af de ændrede planer",
	"write the plan as a Gantt timeline (a column per week)":                                                              "skriv planen som en Gantt-tidslinje (en kolonne pr. uge)",
	"the `solution`":                        "`løsning`en",
	"the criteria sheet `file` (propose)":   "kriteriearkets `fil` (propose)",
	"the proposal workbook `file` to write": "forslagsprojektmappens `fil`, der skrives",
})

// normKeys evens out the spacing of the keys (see normHelp).
func normKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for en, da := range m {
		out[normHelp(en)] = da
	}
	return out
}
