// Package evidence reads what a program does in production, as opposed to
// what its code says: CPU profiles in pprof's format and a traffic file of
// request rates and latency targets, and ties both to the declarations and
// entry points of a dependency model. It depends on no loader: it takes
// declaration IDs, package paths and entry points as plain values, so it
// can be tested with hand-built profiles and models.
//
// # Profiles
//
// ParseProfile and ReadProfile read a profile as go tool pprof does
// (gzip-compressed or not; the legacy formats through
// github.com/google/pprof/profile). DefaultPGO finds the default.pgo of
// main packages, which `go build -pgo=auto` uses. Attribute maps every
// frame (the lines of an inlined call count as frames) to the declaration
// it belongs to with Symbols, which reads function names as the Go
// runtime writes them, and sums CPU time by declaration (flat and
// cumulative), by call edge, and, given each declaration's context, by
// context (CPU.Contexts). A profile with no CPU samples is an error; one
// whose samples map to nothing (another program's) is left out with a
// warning, and so is told the share of time in the model's packages that
// matches no declaration.
//
// # Traffic
//
// ReadTraffic reads the traffic file (see Traffic for the format), with
// every error naming its line, and Traffic.Match ties its rows to entry
// points, reporting the rows that name none.
package evidence
