package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of decompose",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			version, goVersion := toolVersion()
			_, err := fmt.Fprintf(stdout, "decompose %s %s\n", version, goVersion)
			return err
		},
	}
}

// toolVersion is the version of decompose ("(devel)" for a build from a
// work tree) and of the Go that built it.
func toolVersion() (version, goVersion string) {
	version = "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		goVersion = bi.GoVersion
	}
	return version, goVersion
}
