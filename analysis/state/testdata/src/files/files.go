// Package files shows writes to the local file system: a function's disk
// is ephemeral and private to one instance.
package files

import (
	"net/http"
	"os"
	"path/filepath"
)

// Blocker: uploads kept on the local disk by a handler.
func Upload(w http.ResponseWriter, r *http.Request) {
	f, err := os.Create("uploads/" + r.FormValue("name")) // want `blocker: os.Create in Upload writes a file on the local disk: path computed at run time`
	if err != nil {
		return
	}
	defer f.Close()
	_ = os.WriteFile("/var/lib/shop/last-upload", []byte(r.FormValue("name")), 0o644) // want `blocker: os.WriteFile in Upload writes a file on the local disk: "/var/lib/shop/last-upload"`
}

// Blocker: appending to a log file per request.
func Track(w http.ResponseWriter, r *http.Request) {
	f, err := os.OpenFile("access.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644) // want `blocker: os.OpenFile in Track writes a file on the local disk: "access.log"`
	if err == nil {
		f.Close()
	}
}

// Info: scratch files in the temporary directory, used within the call.
func Convert(data []byte) error {
	f, err := os.CreateTemp("", "convert-*") // want `info: os.CreateTemp in Convert creates a temporary file on the local disk: in the temporary directory`
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())                                            // want `info: os.Remove in Convert removes a file on the local disk`
	return os.WriteFile(filepath.Join(os.TempDir(), "out"), data, 0o600) // want `info: os.WriteFile in Convert writes a file on the local disk`
}

// Warning: phase unknown here (an exported function).
func EnsureDir(dir string) error {
	return os.MkdirAll(dir, 0o755) // want `warning: os.MkdirAll in EnsureDir creates a directory on the local disk: path computed at run time`
}

// Harmless: reading files is not reported, nor opening them read-only.
func ReadConfig() ([]byte, error) {
	if f, err := os.OpenFile("config.yaml", os.O_RDONLY, 0); err == nil {
		f.Close()
	}
	return os.ReadFile("config.yaml")
}
