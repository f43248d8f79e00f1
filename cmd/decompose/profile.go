package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profileOptions are the flags every command has for profiling itself with
// pprof: go tool pprof decompose cpu.out.
type profileOptions struct {
	cpu, mem string
}

func (p *profileOptions) addFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the run to `FILE`")
	f.StringVar(&p.mem, "memprofile", "", "write a heap profile (allocations, and what is live at the end) to `FILE`")
}

// wrap runs each subcommand between start and stop, so that a profile is
// complete also when the command fails.
func (p *profileOptions) wrap(root *cobra.Command) {
	for _, c := range root.Commands() {
		run := c.RunE
		if run == nil {
			continue
		}
		c.RunE = func(cmd *cobra.Command, args []string) error {
			stop, err := p.start()
			if err != nil {
				return err
			}
			err = run(cmd, args)
			if serr := stop(); serr != nil && err == nil {
				err = serr
			}
			return err
		}
	}
}

func (p *profileOptions) start() (stop func() error, err error) {
	var cpu *os.File
	if p.cpu != "" {
		if cpu, err = os.Create(p.cpu); err != nil {
			return nil, fmt.Errorf("cpu profile: %v", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("cpu profile: %v", err)
		}
	}
	if p.mem != "" {
		runtime.MemProfileRate = 64 << 10
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("cpu profile: %v", err)
			}
		}
		if p.mem != "" {
			f, err := os.Create(p.mem)
			if err != nil {
				return fmt.Errorf("memory profile: %v", err)
			}
			runtime.GC() // the live heap as of the end of the run
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				f.Close()
				return fmt.Errorf("memory profile: %v", err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("memory profile: %v", err)
			}
		}
		return nil
	}, nil
}
