package fakegoogle

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/udrul/udrul/sync/grid"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/api/sheets/v4"
)

// TestSheetGet_ranges: spreadsheets.get answers ranges, field masks and
// grid limits as the Sheets API documents them, through the real client.
func TestSheetGet_ranges(t *testing.T) {
	s := New()
	defer s.Close()
	text := func(t string) grid.Cell { return grid.Cell{Kind: grid.Text, Text: t} }
	ss := Spreadsheet(&grid.Grid{Sheets: []grid.Sheet{
		{Name: "Plan", Rows: [][]grid.Cell{{text("a"), text("b")}, nil, {{}, {}, text("c")}}},
		{Name: "Noter", Rows: [][]grid.Cell{{text("n")}}},
	}})
	SetCell(ss, 0, 2000, 30, "far") // grows Plan's grid to 2000×30
	s.Put(File{ID: "S", Name: "plan", MimeType: MimeSheet, Sheet: ss})
	svc, err := sheets.NewService(context.Background(), option.WithEndpoint(s.SheetsEndpoint()), option.WithHTTPClient(http.DefaultClient))
	if err != nil {
		t.Fatal(err)
	}
	get := func(fields string, ranges ...string) (*sheets.Spreadsheet, error) {
		return svc.Spreadsheets.Get("S").Ranges(ranges...).Fields(googleapi.Field(fields)).Do()
	}
	t.Run("grid sizes", func(t *testing.T) {
		got, err := get("sheets(properties(title,gridProperties(rowCount,columnCount)))")
		if err != nil {
			t.Fatal(err)
		}
		gp := got.Sheets[0].Properties.GridProperties
		if len(got.Sheets) != 2 || gp.RowCount != 2000 || gp.ColumnCount != 30 || got.Sheets[0].Data != nil {
			t.Errorf("got %d sheets, grid %d×%d, data %v; want 2, 2000×30, no data", len(got.Sheets), gp.RowCount, gp.ColumnCount, got.Sheets[0].Data)
		}
	})
	t.Run("a mask with data gives data without includeGridData", func(t *testing.T) {
		got, err := get("sheets(properties/sheetId,data(startRow,startColumn,rowData/values/formattedValue))", "'Plan'!A1:C3", "'Plan'!B1999:AD2000")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Sheets) != 1 {
			t.Fatalf("%d sheets, want only the one the ranges name", len(got.Sheets))
		}
		d := got.Sheets[0].Data
		if len(d) != 2 || d[0].StartRow != 0 || d[1].StartRow != 1998 || d[1].StartColumn != 1 {
			t.Fatalf("data = %+v, want one GridData per range, at B1999 the second", d)
		}
		if rows := d[0].RowData; len(rows) != 3 || len(rows[1].Values) != 0 || len(rows[2].Values) != 3 || rows[2].Values[2].FormattedValue != "c" {
			t.Errorf("rows = %+v, want 3 (an empty one in between, the last to C3)", rows)
		}
		if rows := d[1].RowData; len(rows) != 2 || len(rows[1].Values) != 29 || rows[1].Values[28].FormattedValue != "far" {
			t.Errorf("far rows = %d, want 2 ending in AD2000", len(rows))
		}
	})
	for _, tc := range []struct{ name, rng, want string }{
		{"rows beyond the grid", "'Plan'!A1:B2001", "exceeds grid limits. Max rows: 2000, max columns: 30"},
		{"columns beyond the grid", "Noter!A1:AA5", "exceeds grid limits. Max rows: 1000, max columns: 26"},
		{"no such sheet", "'Nope'!A1:B2", "Unable to parse range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := get("sheets(data/rowData/values/formattedValue)", tc.rng)
			var ge *googleapi.Error
			if !errors.As(err, &ge) || ge.Code != 400 || !strings.Contains(ge.Message, tc.want) {
				t.Errorf("err = %v, want a 400 saying %q", err, tc.want)
			}
		})
	}
	t.Run("without ranges: every sheet, one GridData from A1", func(t *testing.T) {
		got, err := get("sheets(properties/title,data(startRow,startColumn,rowData/values/formattedValue))")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Sheets) != 2 || len(got.Sheets[0].Data) != 1 || len(got.Sheets[1].Data) != 1 {
			t.Fatalf("got %d sheets, want 2 with one GridData each", len(got.Sheets))
		}
		d := got.Sheets[0].Data[0]
		rows := d.RowData
		if d.StartRow != 0 || d.StartColumn != 0 || len(rows) != 2000 {
			t.Fatalf("GridData from row %d, column %d, %d rows; want from A1 to the last row with content, 2000", d.StartRow, d.StartColumn, len(rows))
		}
		if len(rows[1].Values) != 0 || len(rows[1000].Values) != 0 || len(rows[2].Values) != 3 || len(rows[1999].Values) != 30 || rows[1999].Values[29].FormattedValue != "far" {
			t.Errorf("rows 2, 1001, 3, 2000 hold %d, %d, %d, %d values; want empty rows as {}, each row to its last cell with content (3, 30)",
				len(rows[1].Values), len(rows[1000].Values), len(rows[2].Values), len(rows[1999].Values))
		}
	})
	t.Run("whole columns stop at the grid", func(t *testing.T) {
		got, err := get("sheets(data(rowData/values/formattedValue))", "Noter!A:B")
		if err != nil || len(got.Sheets) != 1 || len(got.Sheets[0].Data[0].RowData) != 1 {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}
