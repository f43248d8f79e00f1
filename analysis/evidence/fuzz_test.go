package evidence

import (
	"strings"
	"testing"
)

// FuzzParseProfile: any input is a profile or one error line, never a
// panic; a profile read attributes without one.
func FuzzParseProfile(f *testing.F) {
	f.Add(encode(f, build(shopSamples), true))
	f.Add(encode(f, build(shopSamples), false))
	f.Add([]byte("GO PREPROFILE V1\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Add([]byte{0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x32, 0x00})
	sym := NewSymbols(testDecls, testMains)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error of more than one line: %q", err)
			}
			return
		}
		c, err := Attribute([]Input{{Path: "fuzz", Profile: p}}, sym)
		if err == nil && c.Used() {
			c.Contexts(func(id string) string { return id[:1] })
		}
	})
}

// FuzzParseTraffic: any input is a traffic file or one error line.
func FuzzParseTraffic(f *testing.F) {
	f.Add("t.yaml", goodYAML)
	f.Add("t.csv", goodCSV)
	f.Add("t.yaml", "routes:\n  - route: GET /x\n    requests: -1\n")
	f.Add("t.csv", "route,requests\n\"GET /x,1\n")
	f.Fuzz(func(t *testing.T, name, content string) {
		tr, err := ParseTraffic(name, []byte(content))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error of more than one line: %q", err)
			}
			return
		}
		for _, r := range tr.Rows {
			if r.Requests < 0 || r.Period <= 0 || r.P50MS < 0 || r.P99MS < 0 {
				t.Errorf("row %+v", r)
			}
		}
		tr.Match([]Entry{{Kind: "http", Decl: "a.B", Method: "GET", Route: "/x"}})
	})
}
