package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "decompose",
		Short: "Plan the split of a Go monolith into serverless services",
		Long: `decompose loads a Go program, clusters it into candidate bounded contexts,
flags the in-process state that blocks stateless (serverless) extraction and
writes a migration plan.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newAnalyzeCmd(stdout, stderr))
	root.AddCommand(newScaffoldCmd(stdout, stderr))
	root.AddCommand(newCheckCmd(stdout, stderr))
	root.AddCommand(newDiffCmd(stdout, stderr))
	root.AddCommand(newVersionCmd(stdout))
	var prof profileOptions
	prof.addFlags(root)
	prof.wrap(root)
	return root
}
