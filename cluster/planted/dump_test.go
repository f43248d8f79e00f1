package planted

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteExamples writes the monoliths of seeds 1 to 4 of every layout,
// each beside its partition as JSON, into the folder $PLANTED_DUMP, to
// look at:
//
//	PLANTED_DUMP=/tmp/planted go test -run WriteExamples ./cluster/planted
func TestWriteExamples(t *testing.T) {
	dir := os.Getenv("PLANTED_DUMP")
	if dir == "" {
		t.Skip("set PLANTED_DUMP to a folder")
	}
	for _, l := range Layouts {
		for seed := uint64(1); seed <= 4; seed++ {
			name := filepath.Join(dir, fmt.Sprintf("%s-%d", l, seed))
			m, err := Generate(name, seed, l)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name+".json", b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
