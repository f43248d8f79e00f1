// Package english spells counts and lists in the sentences the emitters
// write: "1 blocker", "3 entries", "a, b and c".
package english

import (
	"fmt"
	"strings"
)

// Plural spells a count with its noun: "1 call", "2 calls", "2 classes",
// "2 entries". An irregular plural is given as forms[0]: Plural(2,
// "person", "people").
func Plural(n int, word string, forms ...string) string {
	if n != 1 && len(forms) > 0 {
		return fmt.Sprintf("%d %s", n, forms[0])
	}
	return fmt.Sprintf("%d %s", n, Noun(n, word))
}

// Noun is word as it agrees with a count of n: "call" or "calls".
func Noun(n int, word string) string {
	if n == 1 {
		return word
	}
	switch {
	case strings.HasSuffix(word, "y") && len(word) > 1 && !strings.ContainsRune("aeiou", rune(word[len(word)-2])):
		return word[:len(word)-1] + "ies"
	case strings.HasSuffix(word, "s"), strings.HasSuffix(word, "x"), strings.HasSuffix(word, "ch"), strings.HasSuffix(word, "sh"):
		return word + "es"
	}
	return word + "s"
}

// Agree picks the singular or the plural phrase for a count of n; a
// plural phrase with a %d verb gets the count.
func Agree(n int, one, many string) string {
	if n == 1 {
		return one
	}
	if strings.Contains(many, "%d") {
		return fmt.Sprintf(many, n)
	}
	return many
}
