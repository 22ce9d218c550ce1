// Package lang picks between udrul's two languages for what people read:
// Danish, the default, and English. It is the one switch the commands,
// the sync, the web view and the configuration's messages share.
package lang

import "fmt"

// Pick returns en when english is set, else da.
func Pick(english bool, da, en string) string {
	if english {
		return en
	}
	return da
}

// Pickf returns the form Pick chooses filled with args as by fmt.Sprintf;
// without args it is returned as written (a % in it stays).
func Pickf(english bool, da, en string, args ...any) string {
	f := Pick(english, da, en)
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}
