package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"sync", "sync", 0}, {"snyc", "sync", 1}, {"sycn", "sync", 1}, {"syn", "sync", 1},
		{"synk", "sync", 1}, {"databse", "database", 1}, {"abc", "", 3}, {"", "ab", 2}, {"ca", "abc", 3},
		{"bølge", "bølger", 1}, {"tasks", "task", 1},
	} {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := Distance(tt.a, tt.b); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	commands := []string{"check", "sync", "sources", "plans", "tasks", "findings", "report", "forecast", "run", "init"}
	for _, tt := range []struct{ word, want string }{
		{"snyc", "sync"}, {"SYNC", "sync"}, {"chekc", "check"}, {"finding", "findings"}, {"reprot", "report"},
		{"rnu", "run"}, {"xyz", ""}, {"deploy", ""}, {"s", ""}, {"", ""},
	} {
		t.Run(tt.word, func(t *testing.T) {
			if got := Closest(tt.word, commands); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
