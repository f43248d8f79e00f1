package markdown

// Inline escapes a string from the analyzed code or a plan for Markdown
// prose or a table cell, as plan.md does (see inline): for the other
// Markdown decompose writes, decompose diff's and check's summary.
func Inline(s string) string { return inline(s) }

// Code quotes a string as inline code that cannot break a table row or
// the line, as plan.md does (see code); "–" for an empty one.
func Code(s string) string { return code(s) }
