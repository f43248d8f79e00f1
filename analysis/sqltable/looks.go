package sqltable

// LooksLikeSQL reports whether s reads as a SQL statement: after spaces,
// comments and opening parentheses it starts with a statement keyword
// (SELECT, INSERT, UPDATE, DELETE, WITH, MERGE, REPLACE, UPSERT, CREATE,
// ALTER, DROP, TRUNCATE, in any case), and the words after it have the
// shape that keyword requires: INSERT INTO t (…), UPDATE t … SET c =,
// DELETE FROM t WHERE, SELECT x FROM t, and so on. The shape test keeps
// out messages such as "select a file", "Update failed: %v" or
// "delete me".
//
// It is meant to run on every string literal: text that does not start
// with one of those keywords is rejected after a few byte comparisons.
// Only the candidates are tokenized, and only their first clauses are
// examined; a fragment such as "SELECT id, name FROM users WHERE " is
// accepted.
func LooksLikeSQL(s string) bool {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '(':
			i++
			continue
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if i = blockComment(s, i); i < 0 {
				return false
			}
			continue
		}
		break
	}
	j := i
	for j < len(s) && j-i <= 8 && ('a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z') {
		j++
	}
	if j == i || j-i > 8 || j < len(s) && isWordChar(s[j]) {
		return false
	}
	switch lookup(s[i:j]) {
	case kwSelect, kwInsert, kwUpdate, kwDelete, kwWith, kwMerge, kwReplace,
		kwUpsert, kwCreate, kwAlter, kwDrop, kwTruncate:
	default:
		return false
	}
	if len(s) > maxLen {
		return false
	}
	var buf [64]token
	toks, _ := lex(s[i:], false, buf[:0]) // a fragment may end mid-string
	p := parser{src: s[i:], toks: toks}
	return p.looks()
}

func (p *parser) looks() bool {
	switch p.kw() {
	case kwSelect:
		return p.looksSelect()
	case kwWith:
		p.next()
		if p.kw() == kwRecursive {
			p.next()
		}
		if !nameStart(p.tok()) {
			return false
		}
		p.next()
		if p.at('(') {
			p.skipBalanced()
		}
		if p.kw() != kwAs {
			return false
		}
		p.next()
		if p.kw() == kwNot {
			p.next()
		}
		if p.kw() == kwMaterialized {
			p.next()
		}
		return p.at('(')
	case kwInsert, kwReplace, kwUpsert:
		p.next()
		for p.kw() == kwModifier || p.kw() == kwIgnore {
			p.next()
		}
		if p.kw() == kwOr {
			p.next()
			p.next()
		}
		if p.kw() != kwInto {
			return false
		}
		p.next()
		if !p.skipTable() {
			return false
		}
		switch p.kw() {
		case kwValues, kwValue, kwSelect, kwSet, kwDefault, kwWith, kwAs, kwTable,
			kwOverriding, kwPartition:
			return true
		}
		return p.at('(')
	case kwUpdate:
		p.next()
		for p.kw() == kwModifier || p.kw() == kwIgnore || p.kw() == kwOnly {
			p.next()
		}
		if !p.skipTable() {
			return false
		}
		for k := 0; k < 64 && !p.endish(); k++ {
			if p.kw() == kwSet {
				p.next()
				if p.at('(') || p.tok().dyn {
					return true // SET (a, b) = …, SET %s
				}
				return p.skipTable() && p.at('=')
			}
			p.next()
		}
		return false
	case kwDelete:
		p.next()
		for p.kw() == kwModifier || p.kw() == kwIgnore {
			p.next()
		}
		if p.kw() == kwFrom {
			p.next()
			if p.kw() == kwOnly {
				p.next()
			}
			if !p.skipTable() {
				return false
			}
			if p.endish() || p.at(',') || reserved(p.kw()) {
				return true
			}
			if !nameStart(p.tok()) {
				return false
			}
			p.next() // an alias
			switch p.kw() {
			case kwWhere, kwUsing, kwReturning, kwOrder, kwLimit:
				return true
			}
			return false
		}
		for {
			if !p.skipTable() {
				return false
			}
			if p.at('.') && p.peek(1).kind == kPunct && p.peek(1).ch == '*' {
				p.next()
				p.next()
			}
			if !p.at(',') {
				break
			}
			p.next()
		}
		return p.kw() == kwFrom || p.kw() == kwWhere
	case kwMerge:
		p.next()
		if p.kw() == kwInto {
			p.next()
		}
		return p.skipTable() && p.find(kwUsing)
	case kwCreate:
		p.next()
		if p.kw() == kwOr {
			p.next()
			p.next()
		}
		for p.kw() == kwTemp {
			p.next()
		}
		switch p.kw() {
		case kwTable:
			p.next()
			p.ifExists()
			return p.skipTable() && (p.at('(') || p.kw() == kwAs || p.kw() == kwLike)
		case kwUnique, kwIndex:
			return p.find(kwOn)
		case kwMaterialized, kwRecursive, kwView:
			return p.find(kwAs)
		case kwObject, kwRoutine:
			p.next()
			p.ifExists()
			return p.skipTable() && (p.endish() || p.at('(') || p.tok().kind == kWord)
		}
	case kwAlter:
		p.next()
		switch p.kw() {
		case kwTable, kwView, kwObject, kwIndex:
			p.next()
			p.ifExists()
			if p.kw() == kwOnly {
				p.next()
			}
			return p.skipTable() && p.tok().kind == kWord
		}
	case kwDrop:
		p.next()
		for p.kw() == kwTemp {
			p.next()
		}
		switch p.kw() {
		case kwTable, kwView, kwMaterialized, kwIndex, kwObject, kwRoutine:
			if p.kw() == kwMaterialized {
				p.next()
			}
			p.next()
			if p.kw() == kwConcurrently {
				p.next()
			}
			p.ifExists()
			return p.skipTable() && (p.endish() || p.at(',') || p.at('(') ||
				p.kw() == kwCascade || p.kw() == kwOn)
		}
	case kwTruncate:
		p.next()
		if p.kw() == kwTable {
			p.next()
		}
		if p.kw() == kwOnly {
			p.next()
		}
		return p.skipTable() && (p.endish() || p.at(',') || p.at('*') || p.kw() == kwCascade)
	}
	return false
}

// looksSelect accepts SELECT followed by *, a literal, a placeholder or a
// parenthesis, or by a column list and a FROM clause: prose such as
// "select a file" or "select one from the list" has bare words where a
// column list has commas, operators, AS or FROM.
func (p *parser) looksSelect() bool {
	p.next()
	for p.kw() == kwDistinct || p.kw() == kwAll || p.kw() == kwModifier {
		p.next()
	}
	t := p.tok()
	switch {
	case t.kind == kPunct:
		return t.ch == '*' || t.ch == '(' || t.ch == '-'
	case t.kind == kNumber || t.kind == kString || t.kind == kParam:
		return true
	case t.kw == kwCase || t.kw == kwNot || t.kw == kwOn:
		return true
	case !nameStart(t):
		return false
	}
	p.skipName()
	if p.at('(') || p.at('.') {
		return true // count(*), t.*
	}
	switch t := p.tok(); {
	case t.kind == kPunct && t.ch != ';' && t.ch != ')':
	case t.kw == kwFrom || t.kw == kwAs:
	default:
		return false
	}
	// The FROM clause: a table, optionally an alias, then the end or a
	// clause; "from the list" has two bare words and nothing after.
	depth := 0
	for ; ; p.next() {
		t := p.tok()
		switch {
		case t.kind == kEOF || t.kind == kPunct && t.ch == ';':
			return false
		case t.kind == kPunct && t.ch == '(':
			depth++
		case t.kind == kPunct && t.ch == ')':
			depth--
		case depth == 0 && t.kw == kwFrom && p.toks[p.i-1].kw != kwDistinct:
			p.next()
			if p.at('(') {
				return true
			}
			if !p.skipTable() {
				return false
			}
			if p.endish() || p.at(',') || reserved(p.kw()) {
				return true
			}
			if !nameStart(p.tok()) {
				return false
			}
			p.next()
			return p.at(',') || p.at(';') || p.at(')') || reserved(p.kw())
		}
	}
}

// skipName moves past a name at a name start, with its qualifiers.
func (p *parser) skipName() {
	for {
		p.next()
		if !p.at('.') {
			return
		}
		if nt := p.peek(1); nt.kind != kWord && nt.kind != kQuoted {
			return
		}
		p.next()
	}
}

// skipTable moves past a table name, dynamic or not; false if there is
// none.
func (p *parser) skipTable() bool {
	if !nameStart(p.tok()) {
		return false
	}
	p.skipName()
	return true
}

// skipBalanced moves past a parenthesised group without reading it.
func (p *parser) skipBalanced() {
	depth := 0
	for ; p.tok().kind != kEOF; p.next() {
		if p.at('(') {
			depth++
		} else if p.at(')') {
			if depth--; depth == 0 {
				p.next()
				return
			}
		}
	}
}

// find reports whether the keyword k comes up before the end.
func (p *parser) find(k keyword) bool {
	for ; p.tok().kind != kEOF && !p.at(';'); p.next() {
		if p.kw() == k {
			return true
		}
	}
	return false
}

func (p *parser) endish() bool {
	t := p.tok()
	return t.kind == kEOF || t.kind == kPunct && (t.ch == ';' || t.ch == ')')
}
