package reports

import (
	"testing"

	"github.com/udrul/udrul/model"
	"github.com/xuri/excelize/v2"
)

// TestDateSerial: a date's serial number is the day excelize writes for
// its time (and reads back), around Excel's leap-year quirk and today.
func TestDateSerial(t *testing.T) {
	for _, d := range []model.Date{model.NewDate(1900, 3, 1), model.NewDate(1999, 12, 31), model.NewDate(2026, 11, 26),
		model.NewDate(2028, 2, 29), model.NewDate(9999, 12, 31)} {
		t.Run(d.String(), func(t *testing.T) {
			n, ok := dateSerial(d).(int)
			if !ok {
				t.Fatalf("%v is not a serial number", dateSerial(d))
			}
			back, err := excelize.ExcelDateToTime(float64(n), false)
			if err != nil {
				t.Fatal(err)
			}
			if got := model.DateOf(back); got != d {
				t.Errorf("serial %d reads back as %s, want %s", n, got, d)
			}
		})
	}
}
