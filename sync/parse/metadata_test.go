package parse_test

import (
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/udrul/udrul/sync/grid"
	"github.com/udrul/udrul/sync/parse"
)

func TestParse_identityAndWhereFound(t *testing.T) {
	const table = "Opgave;Ansvarlig;Startdato;Slutdato\nKick-off;Kommune;01-06-2026;03-06-2026\n"
	tests := []struct {
		name, file, head string
		mun, sol         string
		munFrom, solFrom model.Origin
	}{
		{"file name with transliteration and a lower-case code", "kp-Hjoerring-rollout.csv", "", "Hjørring", "KP",
			model.Origin{Kind: model.FromFile, Text: "Hjoerring"}, model.Origin{Kind: model.FromFile, Text: "kp"}},
		{"file name with underscores", "plan_Laesoe_SAPA.csv", "", "Læsø", "SAPA",
			model.Origin{Kind: model.FromFile, Text: "Laesoe"}, model.Origin{Kind: model.FromFile, Text: "SAPA"}},
		{"key/value lines in one cell", "plan.csv", "Kommune: Hoeje-Taastrup\nLøsning: ksd\n", "Høje-Taastrup", "KSD",
			model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "plan", Row: 1, Cell: "A1"}, Text: "Hoeje-Taastrup"},
			model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "plan", Row: 2, Cell: "A2"}, Text: "ksd"}},
		{"key/value lines in two cells", "plan.csv", "Kommune:;Roedovre Kommune\nLøsning:;KY\n", "Rødovre", "KY",
			model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "plan", Row: 1, Cell: "B1"}, Text: "Roedovre"},
			model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "plan", Row: 2, Cell: "B2"}, Text: "KY"}},
		{"a title line", "KY_Aarhus.csv", "Esbjerg Kommune - Sapa implementeringsplan\n\n", "Esbjerg", "SAPA",
			model.Origin{Kind: model.FromTitle, Pos: model.Pos{Sheet: "KY_Aarhus", Row: 1, Cell: "A1"}, Text: "Esbjerg"},
			model.Origin{Kind: model.FromTitle, Pos: model.Pos{Sheet: "KY_Aarhus", Row: 1, Cell: "A1"}, Text: "Sapa"}},
		{"a title naming two municipalities names none: the file name does", "KY_Vejle.csv", "Fælles plan for Aarhus og Odder\n\n", "Vejle", "KY",
			model.Origin{Kind: model.FromFile, Text: "Vejle"}, model.Origin{Kind: model.FromFile, Text: "KY"}},
		{"an unknown name on a line is kept as written", "KY_Vejle.csv", "Kommune: Aarhuus\n", "Aarhuus", "KY",
			model.Origin{Kind: model.FromLine, Pos: model.Pos{Sheet: "KY_Vejle", Row: 1, Cell: "A1"}, Text: "Aarhuus"}, model.Origin{Kind: model.FromFile, Text: "KY"}},
		{"nothing", "plan.csv", "", "", "", model.Origin{}, model.Origin{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := grid.ReadBytes(tt.file, []byte(tt.head+table), grid.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p, err := parse.New(parse.Options{}).Parse(g)
			if err != nil {
				t.Fatal(err)
			}
			md := p.Metadata
			if md.Municipality != tt.mun || md.Solution != tt.sol {
				t.Errorf("got %q/%q, want %q/%q", md.Municipality, md.Solution, tt.mun, tt.sol)
			}
			if md.MunicipalityFrom != tt.munFrom {
				t.Errorf("municipality from %+v, want %+v", md.MunicipalityFrom, tt.munFrom)
			}
			if md.SolutionFrom != tt.solFrom {
				t.Errorf("solution from %+v, want %+v", md.SolutionFrom, tt.solFrom)
			}
		})
	}
}
