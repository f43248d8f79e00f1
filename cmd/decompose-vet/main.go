// Command decompose-vet reports state that blocks running a Go program as
// stateless functions, one package at a time:
//
//	decompose-vet ./...
//	go vet -vettool=$(which decompose-vet) ./...
//	go vet -vettool=$(which decompose-vet) -min=info ./...
//
// It runs the analyzer of package decompose/analysis/state, whose
// documentation lists the checks.
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"decompose/analysis/state"
)

func main() { singlechecker.Main(state.Analyzer) }
