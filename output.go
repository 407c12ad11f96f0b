package main

// Output helpers shared by the commands: JSON, numbers and words for people.

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// round9 rounds to 1e-9 (degrees: 0.1 mm), as stored coordinates are.
func round9(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// round2 rounds to two decimals, as JSON areas are written.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// showValue writes a property value for people: "—" when absent.
func showValue(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

// plural writes "1 finding", "2 findings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// writeJSON prints v as indented JSON.
func writeJSON(c *cli, v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nonNil makes an empty list print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
