package main

import "testing"

func TestParseMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"900MiB", 900 << 20, false},
		{"2GiB", 2 << 30, false},
		{"1.5GB", 1_500_000_000, false},
		{"500000000", 500_000_000, false},
		{" 1GiB ", 1 << 30, false},
		{"off", 0, false},
		{"0", 0, false},
		{"10MiB", 0, true}, // too small to run with
		{"-1GiB", 0, true},
		{"lots", 0, true},
		{"GiB", 0, true},
		{"", 0, true},
		{"8388607TiB", 8388607 << 40, false},
		{"8388608TiB", 0, true}, // 2⁶³ bytes: one past int64, wrapped to no limit
		{"9223372036854775807", 0, true},
		{"1e30TB", 0, true},
		{"NaN", 0, true},
		{"+Inf", 0, true},
	} {
		got, err := parseMemoryLimit(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestRaisedLimit(t *testing.T) {
	for _, tt := range []struct {
		limit, live, want int64
	}{
		{900, 0, 900},
		{900, 500, 900},  // 750 of headroom fits
		{900, 600, 900},  // exactly 1.5x
		{900, 700, 1050}, // outgrown: 1.5x live
		{1050, 650, 1050},
	} {
		if got := raisedLimit(tt.limit, tt.live); got != tt.want {
			t.Errorf("raisedLimit(%d, %d) = %d, want %d", tt.limit, tt.live, got, tt.want)
		}
	}
}
