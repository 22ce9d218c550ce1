package syncer

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/udrul/udrul/model"
)

// fill sets every field v holds, recursively, to a value that differs from
// field to field (n counts them), so that a field an encoding forgets
// shows.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%dæ", *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 37 % 1000)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	default:
		panic(fmt.Sprintf("fill: a field of kind %s: teach fill and the held encoding about it", v.Kind()))
	}
}

func TestHeldPlan_roundTrip(t *testing.T) {
	full := &model.Plan{}
	n := 0
	fill(reflect.ValueOf(full).Elem(), &n)
	negative := &model.Plan{Tasks: []model.Task{{Pos: model.Pos{Row: -3}, Start: model.Date{Year: -1, Month: 0, Day: -40}}}}
	tests := []struct {
		name string
		plan *model.Plan
	}{
		{"every field set", full},
		{"empty", &model.Plan{}},
		{"empty, not nil", &model.Plan{Tasks: []model.Task{{After: []string{}}}, Issues: []model.Issue{}, Metadata: model.Metadata{Extra: map[string]string{}}}},
		{"negative numbers", negative},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := encodePlan(tc.plan)
			got, err := decodePlan(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.plan) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, tc.plan)
			}
		})
	}
	t.Run("damaged", func(t *testing.T) {
		b := encodePlan(full)
		for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
			if _, err := decodePlan(b[:cut]); err == nil {
				t.Errorf("cut at %d of %d: no error", cut, len(b))
			}
		}
		if _, err := decodePlan(append(b, 0)); err == nil {
			t.Errorf("a byte too many: no error")
		}
	})
}
