package gsheets_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/udrul/udrul/sync/source/gsheets"
)

// TestNewClient_credentialsInEachLanguage: a key file that cannot be read
// or is not a service-account key is said in the configured language,
// without the library's text.
func TestNewClient_credentialsInEachLanguage(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "mangler.json")
	notKey := filepath.Join(dir, "noegle.json")
	os.WriteFile(notKey, []byte(`{"type":"authorized_user"}`), 0o600)
	for _, tt := range []struct {
		name, file, lang, want string
	}{
		{"missing, da", missing, "da", "google.credentials: nøglefilen " + missing + " kan ikke læses: tjek stien, og at brugeren, udrul kører som, må læse den"},
		{"missing, en", missing, "en", "google credentials: the key file " + missing + " cannot be read: check the path, and that the user udrul runs as may read it"},
		{"not a key, da", notKey, "da", "google.credentials: " + notKey + " er ikke en nøgle til en tjenestekonto (service account): hent en JSON-nøgle til tjenestekontoen i Google Cloud-konsollen"},
		{"not a key, en", notKey, "en", "google credentials " + notKey + ": not a service-account key: download a JSON key for the service account in the Google Cloud console"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gsheets.NewClient(context.Background(), gsheets.Options{CredentialsFile: tt.file, Language: tt.lang})
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
			if tt.file == missing && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%v is not fs.ErrNotExist", err)
			}
		})
	}
}
