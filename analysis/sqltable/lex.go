package sqltable

import "strings"

// kind classifies a token.
type kind uint8

const (
	kEOF    kind = iota
	kWord        // bare word: keyword or identifier, possibly holding a fmt verb
	kQuoted      // "ident", `ident` or [ident]
	kString      // 'text', E'text', $tag$text$tag$
	kNumber      // 42, 1.5e3, 0x1F
	kParam       // $1, ?, :name, @p1
	kPunct       // ( ) , ; . * [ ] { } $ or a run of operator characters
)

// token is a lexeme of the source; its text is src[pos:end]. It is kept
// to 12 bytes: a statement's tokens usually fit in a stack buffer.
type token struct {
	pos, end uint32
	kind     kind
	kw       keyword // for kWord
	ch       byte    // for kPunct: its first byte
	dyn      bool    // holds a Go fmt verb: the text is completed at run time
}

func tk(k kind, start, end int) token { return token{pos: uint32(start), end: uint32(end), kind: k} }

const errString = "unterminated string"

// lex appends the tokens of s to toks, ending with a kEOF token, and
// returns the reason it stopped early, if it did; the tokens read before
// the problem are kept, so LooksLikeSQL can judge a fragment.
//
// backslash makes \ escape the next character in '…' strings, as MySQL
// does by default; standard SQL (and Postgres) only doubles the quote.
func lex(s string, backslash bool, toks []token) ([]token, string) {
	var err string
	n := len(s)
	i := 0
	for i < n && err == "" {
		c := s[i]
		start := i
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < n && s[i+1] == '-':
			for i < n && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && s[i+1] == '*':
			if i = blockComment(s, i); i < 0 {
				err = "unterminated comment"
			}
		case c == '\'':
			if i = quoted(s, i, '\'', backslash); i < 0 {
				err = errString
			} else {
				toks = append(toks, tk(kString, start, i))
			}
		case c == '"' || c == '`' || c == '[' && !subscript(toks, i):
			close := c
			if c == '[' {
				close = ']'
			}
			if i = quoted(s, i, close, false); i < 0 {
				err = "unterminated quoted identifier"
			} else {
				t := tk(kQuoted, start, i)
				t.dyn = hasVerb(s[start+1 : i-1])
				toks = append(toks, t)
			}
		case isDigit(c) || c == '.' && i+1 < n && isDigit(s[i+1]):
			i = number(s, i)
			toks = append(toks, tk(kNumber, start, i))
		case (c == 'e' || c == 'E') && i+1 < n && s[i+1] == '\'':
			// Postgres escape string: backslash escapes apply.
			if i = quoted(s, i+1, '\'', true); i < 0 {
				err = errString
			} else {
				toks = append(toks, tk(kString, start, i))
			}
		case isWordStart(c) || c == '%' && verbLen(s, i) > 0:
			var dyn bool
			i, dyn = word(s, i)
			t := tk(kWord, start, i)
			t.dyn = dyn
			if !dyn {
				t.kw = lookup(s[start:i])
			}
			toks = append(toks, t)
		case c == '$':
			switch j := dollarTag(s, i); {
			case i+1 < n && isDigit(s[i+1]):
				i += 2
				for i < n && isDigit(s[i]) {
					i++
				}
				toks = append(toks, tk(kParam, start, i))
			case j > 0:
				k := strings.Index(s[j:], s[i:j])
				if k < 0 {
					err = "unterminated dollar-quoted string"
				} else {
					i = j + k + (j - i)
					toks = append(toks, tk(kString, start, i))
				}
			default:
				i++
				toks = append(toks, punct(start, i, c))
			}
		case c == '?':
			i++
			toks = append(toks, tk(kParam, start, i))
		case (c == ':' || c == '@') && i+1 < n && (isWordStart(s[i+1]) || c == '@' && (s[i+1] == '@' || isDigit(s[i+1]))):
			i++
			for i < n && s[i] == '@' {
				i++
			}
			i, _ = word(s, i)
			toks = append(toks, tk(kParam, start, i))
		case isOp(c):
			i++
			for i < n && isOp(s[i]) && !(i+1 < n && (s[i] == '-' && s[i+1] == '-' || s[i] == '/' && s[i+1] == '*')) {
				i++
			}
			toks = append(toks, punct(start, i, c))
		default:
			// ( ) , ; . * [ ] { } and stray bytes stand alone.
			i++
			toks = append(toks, punct(start, i, c))
		}
	}
	return append(toks, tk(kEOF, n, n)), err
}

func punct(start, end int, c byte) token {
	t := tk(kPunct, start, end)
	t.ch = c
	return t
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordStart accepts any non-ASCII byte so that UTF-8 letters form words.
func isWordStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

// isWordChar includes $, which Postgres and MySQL allow inside identifiers.
func isWordChar(c byte) bool { return isWordStart(c) || isDigit(c) || c == '$' }

func isOp(c byte) bool {
	switch c {
	case '+', '-', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', ':', '?':
		return true
	}
	return false
}

// word scans a word from i, absorbing fmt verbs so that "users_%s" is one
// (dynamic) name.
func word(s string, i int) (end int, dyn bool) {
	for i < len(s) {
		c := s[i]
		if isWordChar(c) {
			i++
			continue
		}
		if c == '%' {
			if l := verbLen(s, i); l > 0 {
				i += l
				dyn = true
				continue
			}
		}
		break
	}
	return i, dyn
}

// verbLen returns the length of the Go fmt verb at s[i] ('%'), or 0.
// It accepts argument indexes, the flags +-#0, width and precision; not
// the space flag, which would turn "a % d" (modulo) into a verb.
func verbLen(s string, i int) int {
	n := len(s)
	j := i + 1
	index := func() bool {
		if j < n && s[j] == '[' {
			j++
			for j < n && isDigit(s[j]) {
				j++
			}
			if j >= n || s[j] != ']' {
				return false
			}
			j++
		}
		return true
	}
	if !index() {
		return 0
	}
	for j < n && (s[j] == '+' || s[j] == '-' || s[j] == '#' || s[j] == '0') {
		j++
	}
	digits := func() {
		if j < n && s[j] == '*' {
			j++
			return
		}
		for j < n && isDigit(s[j]) {
			j++
		}
	}
	digits()
	if j < n && s[j] == '.' {
		j++
		digits()
	}
	if !index() {
		return 0
	}
	if j < n && strings.IndexByte("vTtbcdoOqxXUeEfFgGsp", s[j]) >= 0 {
		return j + 1 - i
	}
	return 0
}

func hasVerb(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && verbLen(s, i) > 0 {
			return true
		}
	}
	return false
}

// quoted returns the end of the quoted text starting at s[i], where a
// doubled close character stands for itself; -1 if it never closes.
func quoted(s string, i int, close byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case backslash && c == '\\':
			j++
		case c == close:
			if j+1 < len(s) && s[j+1] == close {
				j++
				continue
			}
			return j + 1
		}
	}
	return -1
}

// blockComment returns the end of the comment at s[i]; comments nest, as
// in Postgres and standard SQL.
func blockComment(s string, i int) int {
	depth := 0
	for j := i; j+1 < len(s); {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j += 2
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j
			}
		default:
			j++
		}
	}
	return -1
}

// dollarTag returns the end of the opening $tag$ or $$ at s[i], or 0.
func dollarTag(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '$' {
		return j + 1
	}
	if j >= len(s) || !isWordStart(s[j]) {
		return 0
	}
	for j < len(s) && s[j] != '$' && isWordChar(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '$' {
		return j + 1
	}
	return 0
}

func number(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if s[j] == '+' || s[j] == '-' {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = j
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		}
	}
	// 0x1F, and MySQL names that start with digits.
	for i < len(s) && isWordChar(s[i]) {
		i++
	}
	return i
}

// subscript reports whether a '[' at i follows an operand directly, as in
// arr[1] or int[], rather than opening a [bracketed identifier].
func subscript(toks []token, i int) bool {
	if len(toks) == 0 {
		return false
	}
	t := &toks[len(toks)-1]
	if int(t.end) != i {
		return false
	}
	switch t.kind {
	case kWord:
		return !reserved(t.kw)
	case kQuoted, kParam, kNumber, kString:
		return true
	case kPunct:
		return t.ch == ')' || t.ch == ']'
	}
	return false
}
