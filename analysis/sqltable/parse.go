package sqltable

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxDepth bounds the nesting of parentheses and subqueries, so that
// hostile input cannot exhaust the stack.
const maxDepth = 100

// maxCTEs bounds the CTE names in scope, which are searched linearly.
const maxCTEs = 1000

// ref is a table named in a FROM-like list. write marks the targets of
// multi-table UPDATE and DELETE, which are only known once the whole
// statement is read.
type ref struct {
	name, alias string
	write       bool
}

// parser walks the tokens of one text. It only follows the structure that
// decides where table names stand; expressions are skipped, except for the
// subqueries inside them.
//
// Every method stops at the first problem (err is set) and the callers
// check err before going on, so no method loops without consuming a token.
type parser struct {
	src    string
	toks   []token
	i      int
	depth  int
	reads  []string
	writes []string
	refs   []ref    // a stack: each FROM list pushes its tables and pops them
	ctes   []string // CTE names in scope, innermost last
	lock   bool
	err    string
}

// parsers recycles parsers with their slices: Parse runs on every SQL
// literal of a program, and most statements then allocate only the result.
var parsers = sync.Pool{New: func() any { return new(parser) }}

func getParser(src string) *parser {
	p := parsers.Get().(*parser)
	*p = parser{src: src, toks: p.toks[:0], reads: p.reads[:0], writes: p.writes[:0],
		refs: p.refs[:0], ctes: p.ctes[:0]}
	return p
}

// release returns p to the pool, unless it grew on a huge input, after
// dropping its references into the source.
func (p *parser) release() {
	if cap(p.toks) > 4096 || cap(p.refs) > 256 {
		return
	}
	clear(p.reads)
	clear(p.writes)
	clear(p.refs)
	clear(p.ctes)
	p.src = ""
	parsers.Put(p)
}

func (p *parser) tok() *token { return &p.toks[p.i] }
func (p *parser) kw() keyword { return p.toks[p.i].kw }

// next moves past the current token; the final kEOF is never passed.
func (p *parser) next() {
	if p.toks[p.i].kind != kEOF {
		p.i++
	}
}

// at reports whether the current token is the punctuation c.
func (p *parser) at(c byte) bool {
	t := &p.toks[p.i]
	return t.kind == kPunct && t.ch == c
}

// peek returns the token k places ahead, or the final kEOF.
func (p *parser) peek(k int) *token {
	if j := p.i + k; j < len(p.toks) {
		return &p.toks[j]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) fail(reason string) {
	if p.err == "" {
		p.err = reason
	}
}

// unexpected fails on the current token.
func (p *parser) unexpected() {
	t := p.tok()
	if t.kind == kEOF {
		p.fail("unexpected end of statement")
		return
	}
	if t.kind == kPunct && t.ch == ')' {
		p.fail("unbalanced parentheses")
		return
	}
	if t.dyn {
		// "INSERT INTO t %s": the verb may hold a SELECT from anywhere.
		p.fail("dynamic SQL fragment")
		return
	}
	p.fail("unexpected " + strconv.Quote(clip(p.src[t.pos:t.end])))
}

func (p *parser) unsupported(what string) {
	p.fail("unsupported statement " + strings.ToUpper(clip(what)))
}

// clip shortens a token for a Reason, at a rune boundary.
func clip(s string) string {
	if len(s) <= 24 {
		return s
	}
	i := 24
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail("nesting too deep")
		return false
	}
	return true
}

func (p *parser) read(name string)  { p.reads = append(p.reads, name) }
func (p *parser) write(name string) { p.writes = append(p.writes, name) }

// ident returns the name a word or quoted token stands for: bare words
// fold to lower case (as Postgres does, and as MySQL table names on most
// systems behave); quoted ones keep their case and lose their quotes.
func (p *parser) ident(t *token) string {
	s := p.src[t.pos:t.end]
	if t.kind == kWord {
		return strings.ToLower(s)
	}
	close := s[len(s)-1]
	s = s[1 : len(s)-1]
	if strings.IndexByte(s, close) >= 0 {
		s = strings.ReplaceAll(s, string([]byte{close, close}), string(close))
	}
	return s
}

// nameStart reports whether t can begin a table name.
func nameStart(t *token) bool {
	return t.kind == kQuoted || t.kind == kWord && !reserved(t.kw)
}

// name reads a possibly qualified name (schema.table, db.schema.table),
// leaving a trailing ".*" for the caller.
func (p *parser) name() (name string, dyn bool) {
	first := p.i
	for {
		t := p.tok()
		dyn = dyn || t.dyn
		if t.end == t.pos+2 && t.kind == kQuoted {
			p.fail("empty identifier")
		}
		p.next()
		if !p.at('.') {
			break
		}
		if nt := p.peek(1); nt.kind != kWord && nt.kind != kQuoted {
			break
		}
		p.next()
	}
	if p.i == first+1 {
		return p.ident(&p.toks[first]), dyn
	}
	var b strings.Builder
	for j := first; j < p.i; j += 2 {
		if j > first {
			b.WriteByte('.')
		}
		b.WriteString(p.ident(&p.toks[j]))
	}
	return b.String(), dyn
}

// tableName reads the name in a position that must hold a table.
func (p *parser) tableName() string {
	t := p.tok()
	switch {
	case t.kind == kParam:
		p.fail("placeholder in table position")
	case nameStart(t):
		name, dyn := p.name()
		if dyn {
			p.fail("dynamic table name")
		}
		return name
	case t.kind == kEOF:
		p.fail("missing table name")
	default:
		p.fail("expected table name, found " + strconv.Quote(clip(p.src[t.pos:t.end])))
	}
	return ""
}

func (p *parser) isCTE(name string) bool {
	for i := len(p.ctes) - 1; i >= 0; i-- {
		if p.ctes[i] == name {
			return true
		}
	}
	return false
}

// script reads statements separated by semicolons.
func (p *parser) script() {
	for p.err == "" {
		for p.at(';') {
			p.next()
		}
		if p.tok().kind == kEOF {
			return
		}
		p.statement()
		if p.err == "" && !p.at(';') && p.tok().kind != kEOF {
			p.unexpected()
		}
	}
}

func (p *parser) statement() {
	switch p.kw() {
	case kwSelect, kwWith, kwValues, kwTable, kwInsert, kwReplace, kwUpsert,
		kwUpdate, kwDelete, kwMerge:
		p.query()
	case kwCreate:
		p.create()
	case kwAlter:
		p.alter()
	case kwDrop:
		p.drop()
	case kwTruncate:
		p.truncate()
	case kwRename:
		p.rename()
	case kwCopy:
		p.copyStmt()
	case kwExplain:
		p.explain()
	case kwSession, kwSet, kwUse, kwEnd:
		// Transaction control and session settings: no table, but any
		// subquery (SET x = (SELECT …)) still counts.
		p.next()
		p.skipRest()
	default:
		if p.at('(') {
			p.query()
			return
		}
		if t := p.tok(); t.kind == kWord {
			p.unsupported(p.src[t.pos:t.end])
			return
		}
		p.unexpected()
	}
}

// query reads [WITH …] followed by a SELECT, VALUES, TABLE or DML
// statement, as found at top level, in a CTE or in parentheses.
func (p *parser) query() {
	if !p.enter() {
		return
	}
	mark := len(p.ctes)
	if p.kw() == kwWith {
		p.with()
	}
	if p.err == "" {
		switch p.kw() {
		case kwInsert, kwReplace, kwUpsert:
			p.insert()
		case kwUpdate:
			p.update()
		case kwDelete:
			p.delete()
		case kwMerge:
			p.merge()
		default:
			p.selectBody()
		}
	}
	p.ctes = p.ctes[:mark]
	p.depth--
}

// with reads the CTE list. A CTE name hides a table of that name in the
// rest of the statement; in a recursive WITH also in its own body.
func (p *parser) with() {
	p.next()
	rec := p.kw() == kwRecursive
	if rec {
		p.next()
	}
	for p.err == "" {
		t := p.tok()
		if !nameStart(t) {
			p.fail("expected CTE name")
			return
		}
		if t.dyn {
			p.fail("dynamic table name")
			return
		}
		if len(p.ctes) >= maxCTEs {
			p.fail("too many CTEs")
			return
		}
		name := p.ident(t)
		p.next()
		if p.at('(') {
			p.parens()
		}
		if p.kw() != kwAs {
			p.unexpected()
			return
		}
		p.next()
		if p.kw() == kwNot {
			p.next()
		}
		if p.kw() == kwMaterialized {
			p.next()
		}
		if !p.at('(') {
			p.unexpected()
			return
		}
		p.next()
		if rec {
			p.ctes = append(p.ctes, name)
		}
		p.query()
		p.close()
		if !rec {
			p.ctes = append(p.ctes, name)
		}
		// SEARCH … SET col, CYCLE … USING col: column names only.
		for p.err == "" && p.kw() == kwSearch {
			for p.err == "" {
				t := p.tok()
				if t.kind == kEOF || t.kind == kPunct && (t.ch == ',' || t.ch == '(' || t.ch == ')' || t.ch == ';') ||
					t.kw == kwSelect || t.kw == kwInsert || t.kw == kwUpdate || t.kw == kwDelete ||
					t.kw == kwMerge || t.kw == kwValues {
					break
				}
				p.next()
			}
		}
		if !p.at(',') {
			return
		}
		p.next()
	}
}

// close consumes the ')' that must end a parenthesised query.
func (p *parser) close() {
	if p.err != "" {
		return
	}
	if !p.at(')') {
		p.unexpected()
		return
	}
	p.next()
}

// selectBody reads terms joined by set operators, with their clauses.
func (p *parser) selectBody() {
	for p.err == "" {
		switch {
		case p.kw() == kwSelect:
			p.selectCore()
		case p.kw() == kwValues:
			p.next()
			p.skipExpr(false)
		case p.kw() == kwTable:
			p.next()
			if name := p.tableName(); p.err == "" && !p.isCTE(name) {
				p.read(name)
			}
		case p.at('('):
			if !p.enter() {
				return
			}
			p.next()
			p.query()
			p.close()
			p.depth--
		default:
			p.unexpected()
			return
		}
		p.clauses()
		switch p.kw() {
		case kwUnion, kwIntersect, kwExcept, kwMinus:
			p.next()
			if k := p.kw(); k == kwAll || k == kwDistinct {
				p.next()
			}
		default:
			return
		}
	}
}

func (p *parser) selectCore() {
	p.next()
	for p.err == "" {
		switch p.kw() {
		case kwDistinct:
			p.next()
			if p.kw() == kwOn && p.peek(1).kind == kPunct && p.peek(1).ch == '(' {
				p.next()
				p.parens()
			}
			continue
		case kwAll, kwModifier, kwStraightJoin:
			p.next()
			continue
		case kwTop: // SQL Server: TOP 10, TOP (@n)
			if nt := p.peek(1); nt.kind == kNumber || nt.kind == kParam {
				p.next()
				p.next()
				continue
			} else if nt.kind == kPunct && nt.ch == '(' {
				p.next()
				p.parens()
				continue
			}
		}
		break
	}
	p.skipExpr(false)
	if p.kw() == kwInto {
		p.into()
	}
	if p.err == "" && p.kw() == kwFrom {
		p.next()
		start := len(p.refs)
		p.fromList()
		for _, r := range p.refs[start:] {
			p.read(r.name)
		}
		p.refs = p.refs[:start]
	}
}

// into reads SELECT … INTO: a new table in Postgres, variables or a file
// in MySQL.
func (p *parser) into() {
	p.next()
	switch t := p.tok(); {
	case t.kw == kwOutfile:
		p.next()
		p.skipExpr(false)
	case t.kind == kParam:
		for p.tok().kind == kParam || p.at(',') {
			p.next()
		}
	default:
		for p.kw() == kwTemp || p.kw() == kwTable {
			p.next()
		}
		if name := p.tableName(); p.err == "" {
			p.write(name)
		}
	}
}

// clauses skips the clauses after FROM, noting row locks.
func (p *parser) clauses() {
	for p.err == "" {
		switch p.kw() {
		case kwWhere, kwGroup, kwHaving, kwWindow, kwOrder, kwLimit, kwOffset,
			kwFetch, kwQualify:
			p.next()
			p.skipExpr(false)
		case kwFor:
			p.locking()
		case kwLock: // MySQL: LOCK IN SHARE MODE
			p.next()
			for k := 0; k < 3 && p.tok().kind == kWord && !reserved(p.kw()); k++ {
				p.next()
			}
			p.lock = true
		case kwInto:
			p.into()
		default:
			return
		}
	}
}

// locking reads FOR UPDATE / FOR [NO KEY] UPDATE / FOR [KEY] SHARE with
// OF t, NOWAIT, SKIP LOCKED: the tables named are already read.
func (p *parser) locking() {
	p.next()
	switch p.kw() {
	case kwUpdate, kwShare, kwNo, kwKey:
	default:
		p.unsupported("FOR " + p.src[p.tok().pos:p.tok().end])
		return
	}
	for {
		t := p.tok()
		switch {
		case t.kw == kwUpdate || t.kw == kwShare:
			p.lock = true
		case t.kind == kWord && !reserved(t.kw), t.kind == kQuoted, t.kind == kNumber,
			t.kind == kPunct && (t.ch == ',' || t.ch == '.'):
		default:
			return
		}
		p.next()
	}
}

// skipExpr skips an expression list up to a clause keyword, a closing
// parenthesis, ';' or the end, reading the subqueries it contains. With
// comma set it also stops at a top-level ',' (a JOIN … ON condition is
// followed by the next table of a comma list).
func (p *parser) skipExpr(comma bool) {
	cases := 0
	for p.err == "" {
		t := p.tok()
		switch t.kind {
		case kEOF:
			if cases > 0 {
				p.fail("CASE without END") // it may have hidden a clause
			}
			return
		case kPunct:
			switch t.ch {
			case ';', ')':
				if cases > 0 {
					p.fail("CASE without END")
				}
				return
			case '(':
				p.parens()
				continue
			case ',':
				if comma && cases == 0 {
					return
				}
			}
		case kWord:
			switch k := t.kw; {
			case k == kwCase:
				cases++
			case k == kwEnd:
				if cases > 0 {
					cases--
				}
			case cases > 0:
				// Inside CASE … END nothing starts a clause.
			case k == kwFrom:
				// a IS [NOT] DISTINCT FROM b
				if p.i >= 2 && p.toks[p.i-1].kw == kwDistinct &&
					(p.toks[p.i-2].kw == kwIs || p.toks[p.i-2].kw == kwNot) {
					break
				}
				return
			case k == kwLeft || k == kwRight:
				// LEFT(s, n) and RIGHT(s, n) are functions.
				if nt := p.peek(1); nt.kind == kPunct && nt.ch == '(' {
					break
				}
				return
			case stops[k]:
				return
			}
		}
		p.next()
	}
}

// skipRest skips to the end of the statement or of the enclosing
// parentheses, reading any subquery on the way.
func (p *parser) skipRest() {
	for p.err == "" {
		t := p.tok()
		switch {
		case t.kind == kEOF, t.kind == kPunct && (t.ch == ';' || t.ch == ')'):
			return
		case t.kind == kPunct && t.ch == '(':
			p.parens()
		case t.kw == kwSelect:
			p.query()
		default:
			p.next()
		}
	}
}

// queryAhead reports whether the parenthesis at the current token opens a
// query, looking through further opening parentheses (as many as may
// nest, so that the look stays cheap on hostile input).
func (p *parser) queryAhead() bool {
	for j := p.i; j < len(p.toks) && j-p.i <= maxDepth; j++ {
		t := &p.toks[j]
		if t.kind == kPunct && t.ch == '(' {
			continue
		}
		switch t.kw {
		case kwSelect, kwValues:
			return true
		case kwWith:
			nt := p.peek(j - p.i + 1)
			return nt.kw == kwRecursive || nameStart(nt)
		}
		return false
	}
	return false
}

// parens reads a parenthesised group at the current token: a subquery, or
// an expression list searched for subqueries.
func (p *parser) parens() {
	if !p.enter() {
		return
	}
	defer func() { p.depth-- }()
	p.next()
	if k := p.kw(); k == kwSelect || k == kwValues || k == kwWith && p.queryAhead() {
		p.query()
		p.close()
		return
	}
	for p.err == "" {
		t := p.tok()
		switch {
		case t.kind == kEOF, t.kind == kPunct && t.ch == ';':
			p.fail("unbalanced parentheses")
		case t.kind == kPunct && t.ch == ')':
			p.next()
			return
		case t.kind == kPunct && t.ch == '(':
			p.parens()
		case t.kw == kwSelect:
			p.query()
		default:
			p.next()
		}
	}
}

// fromList reads table references separated by commas and joins, pushing
// the tables onto p.refs; subqueries among them record their own reads.
func (p *parser) fromList() {
	p.tableRef()
	for p.err == "" {
		if p.at(',') {
			p.next()
			p.tableRef()
			continue
		}
		if !p.join() {
			return
		}
		p.tableRef()
		switch {
		case p.err != "":
		case p.kw() == kwOn:
			p.next()
			p.skipExpr(true)
		case p.kw() == kwUsing:
			p.next()
			if !p.at('(') {
				p.unexpected()
				return
			}
			p.parens()
		}
	}
}

// join consumes a join operator, if one is next.
func (p *parser) join() bool {
	start := p.i
	if p.kw() == kwStraightJoin {
		p.next()
		return true
	}
	if p.kw() == kwNatural {
		p.next()
	}
	switch p.kw() {
	case kwLeft, kwRight, kwFull:
		p.next()
		if p.kw() == kwOuter {
			p.next()
		}
	case kwInner, kwCross, kwOuter:
		p.next()
	}
	if k := p.kw(); k == kwJoin || k == kwApply {
		p.next()
		return true
	}
	if p.i != start {
		p.unexpected()
	}
	return false
}

// tableRef reads one table reference: a table, a derived table, a
// table-valued function or a parenthesised join.
func (p *parser) tableRef() {
	if p.kw() == kwLateral {
		p.next()
	}
	if p.kw() == kwOnly {
		p.next()
	}
	t := p.tok()
	if t.kind == kPunct && t.ch == '(' {
		if p.queryAhead() {
			p.parens()
		} else {
			if !p.enter() {
				return
			}
			p.next()
			p.fromList()
			p.close()
			p.depth--
		}
		p.alias()
		return
	}
	if t.kind == kWord && p.peek(1).kw == kwFrom && p.peek(2).kind == kPunct && p.peek(2).ch == '(' &&
		strings.EqualFold(p.src[t.pos:t.end], "rows") {
		p.next() // Postgres: ROWS FROM (f(…), g(…))
		p.next()
		p.parens()
		p.alias()
		return
	}
	name := p.tableName()
	if p.err != "" {
		return
	}
	if p.at('(') {
		// A table-valued function: generate_series(…), unnest(…).
		p.parens()
		if p.kw() == kwWith && p.peek(1).kw == kwOrdinality {
			p.next()
			p.next()
		}
		p.alias()
		return
	}
	if p.at('.') && p.peek(1).kind == kPunct && p.peek(1).ch == '*' {
		p.next() // MySQL DELETE t.* FROM …
		p.next()
	}
	if p.at('*') {
		p.next() // Postgres: t * includes descendant tables
	}
	if p.kw() == kwPartition && p.peek(1).kind == kPunct && p.peek(1).ch == '(' {
		p.next()
		p.parens()
	}
	alias := p.alias()
	p.hints()
	if p.err == "" && !p.isCTE(name) {
		p.refs = append(p.refs, ref{name: name, alias: alias})
	}
}

// alias reads an optional [AS] alias [(columns)].
func (p *parser) alias() string {
	t := p.tok()
	if t.kw == kwAs {
		p.next()
		t = p.tok()
		if t.kind != kWord && t.kind != kQuoted {
			p.unexpected()
			return ""
		}
	} else if !nameStart(t) {
		return ""
	}
	if t.dyn {
		// "FROM t %s": the verb may well hold joins or more tables.
		p.fail("dynamic SQL after table name")
		return ""
	}
	a := p.ident(t)
	p.next()
	if p.at('(') {
		p.parens()
	}
	return a
}

// hints skips MySQL index hints, SQL Server table hints and TABLESAMPLE.
func (p *parser) hints() {
	for p.err == "" {
		switch p.kw() {
		case kwUse, kwForce, kwIgnore:
			if k := p.peek(1).kw; k != kwIndex && k != kwKey {
				return
			}
			p.next()
			p.next()
			for k := 0; k < 4 && !p.at('(') && p.tok().kind == kWord; k++ {
				p.next() // FOR JOIN, FOR ORDER BY, FOR GROUP BY
			}
			if !p.at('(') {
				p.unexpected()
				return
			}
			p.parens()
		case kwWith:
			if nt := p.peek(1); nt.kind != kPunct || nt.ch != '(' {
				return
			}
			p.next()
			p.parens()
		case kwTablesample:
			p.next()
			p.next()
			if p.at('(') {
				p.parens()
			}
			if t := p.tok(); t.kind == kWord && strings.EqualFold(p.src[t.pos:t.end], "repeatable") {
				p.next()
				if p.at('(') {
					p.parens()
				}
			}
		default:
			return
		}
	}
}

// insert reads INSERT, REPLACE (MySQL, SQLite) and UPSERT (CockroachDB).
func (p *parser) insert() {
	p.next()
	for {
		switch p.kw() {
		case kwModifier, kwIgnore:
			p.next()
			continue
		case kwOr: // SQLite: INSERT OR REPLACE
			p.next()
			p.next()
			continue
		}
		break
	}
	if p.kw() == kwInto {
		p.next()
	}
	name := p.tableName()
	if p.err != "" {
		return
	}
	p.write(name)
	if p.kw() == kwPartition && p.peek(1).kind == kPunct && p.peek(1).ch == '(' {
		p.next()
		p.parens()
	}
	if p.kw() == kwAs && nameStart(p.peek(1)) {
		p.next()
		p.next()
	}
	if p.at('(') && !p.queryAhead() {
		p.parens() // column list
	}
	if p.kw() == kwOverriding { // OVERRIDING SYSTEM VALUE
		for k := 0; k < 3; k++ {
			p.next()
		}
	}
	switch {
	case p.err != "":
		return
	case p.kw() == kwValues || p.kw() == kwValue || p.kw() == kwSet:
		p.next()
		p.skipExpr(false)
	case p.kw() == kwDefault:
		p.next()
		if p.kw() == kwValues {
			p.next()
		}
	case p.kw() == kwSelect || p.kw() == kwWith || p.kw() == kwTable || p.at('('):
		p.query()
	}
	// ON CONFLICT …, ON DUPLICATE KEY UPDATE …, RETURNING …
	if k := p.kw(); k == kwOn || k == kwReturning {
		p.skipRest()
	}
}

// update reads UPDATE. With one table, it is the target; Postgres and SQL
// Server read more tables in FROM. MySQL names several tables up front
// (UPDATE a JOIN b … SET a.x = b.y): the targets are those whose columns
// are assigned, which takes qualified columns to tell.
func (p *parser) update() {
	p.next()
	for p.kw() == kwModifier || p.kw() == kwIgnore {
		p.next()
	}
	start := len(p.refs)
	p.fromList()
	if p.err != "" {
		return
	}
	targets := len(p.refs) - start
	if targets == 0 {
		p.fail("no table to update")
		return
	}
	if p.kw() != kwSet {
		p.unexpected()
		return
	}
	p.next()
	if targets == 1 {
		p.refs[start].write = true
		p.skipExpr(false)
	} else {
		p.assignments(start)
	}
	if p.err == "" && p.kw() == kwFrom {
		p.next()
		from := len(p.refs)
		p.fromList()
		// SQL Server: UPDATE x SET … FROM t x: the target is an alias.
		if p.err == "" && targets == 1 && !strings.Contains(p.refs[start].name, ".") {
			for i := from; i < len(p.refs); i++ {
				if p.refs[i].alias == p.refs[start].name {
					p.refs[start].name = p.refs[i].name
					p.refs[i].write = true
					break
				}
			}
		}
	}
	p.dmlTail()
	p.flush(start)
}

// assignments reads the SET list of a multi-table UPDATE, marking the
// tables whose columns are assigned.
func (p *parser) assignments(start int) {
	end := len(p.refs)
	for p.err == "" {
		if !nameStart(p.tok()) {
			p.fail("ambiguous UPDATE target")
			return
		}
		col, _ := p.name()
		dot := strings.LastIndexByte(col, '.')
		if dot < 0 {
			p.fail("ambiguous UPDATE target")
			return
		}
		i := p.resolve(start, end, col[:dot])
		if i < 0 {
			p.fail("unknown UPDATE target " + strconv.Quote(clip(col[:dot])))
			return
		}
		p.refs[i].write = true
		p.skipExpr(true)
		if !p.at(',') {
			return
		}
		p.next()
	}
}

// resolve finds the table that q (an alias or a table name) designates
// among p.refs[lo:hi], or -1.
func (p *parser) resolve(lo, hi int, q string) int {
	for i := lo; i < hi; i++ {
		if p.refs[i].alias == q {
			return i
		}
	}
	for i := lo; i < hi; i++ {
		if n := p.refs[i].name; p.refs[i].alias == "" &&
			(n == q || strings.HasSuffix(n, q) && n[len(n)-len(q)-1] == '.') {
			return i
		}
	}
	return -1
}

// delete reads DELETE FROM t [USING …] (Postgres), DELETE FROM t1, t2
// USING … and DELETE t1, t2 FROM … (MySQL), DELETE t FROM t JOIN …
// (SQL Server) and DELETE t WHERE … (SQL Server, Oracle).
func (p *parser) delete() {
	p.next()
	for p.kw() == kwModifier || p.kw() == kwIgnore {
		p.next()
	}
	start := len(p.refs)
	hasFrom := p.kw() == kwFrom
	if hasFrom {
		p.next()
	}
	p.fromList()
	if p.err != "" {
		return
	}
	src := len(p.refs)
	if src == start {
		p.fail("no table to delete from")
		return
	}
	// With a source list, each target designates one of its tables.
	if k := p.kw(); k == kwFrom || hasFrom && k == kwUsing {
		p.next()
		p.fromList()
		if p.err != "" {
			return
		}
		for i := start; i < src; i++ {
			j := p.resolve(src, len(p.refs), p.refs[i].name)
			switch {
			case j >= 0:
				p.refs[j].write = true
				p.refs[i].name = "" // stands for refs[j]
			case !hasFrom:
				p.fail("unknown DELETE target " + strconv.Quote(clip(p.refs[i].name)))
				return
			default:
				p.refs[i].write = true
			}
		}
	} else {
		if src-start > 1 {
			p.fail("multi-table DELETE without USING")
			return
		}
		p.refs[start].write = true
	}
	p.dmlTail()
	p.flush(start)
}

// dmlTail skips WHERE, ORDER BY, LIMIT and RETURNING after UPDATE or
// DELETE.
func (p *parser) dmlTail() {
	for p.err == "" {
		switch p.kw() {
		case kwWhere, kwOrder, kwLimit, kwReturning:
			p.next()
			p.skipExpr(false)
		default:
			return
		}
	}
}

// flush records p.refs[start:] as writes or reads and pops them.
func (p *parser) flush(start int) {
	if p.err == "" {
		for _, r := range p.refs[start:] {
			switch {
			case r.name == "":
			case r.write:
				p.write(r.name)
			default:
				p.read(r.name)
			}
		}
	}
	p.refs = p.refs[:start]
}

// merge reads MERGE INTO target USING source ON … WHEN …: the actions
// only name columns of the target.
func (p *parser) merge() {
	p.next()
	if p.kw() == kwInto {
		p.next()
	}
	start := len(p.refs)
	p.tableRef()
	if p.err != "" {
		return
	}
	if len(p.refs) != start+1 {
		p.fail("no table to merge into")
		return
	}
	p.refs[start].write = true
	if p.kw() != kwUsing {
		p.unexpected()
		return
	}
	p.next()
	p.tableRef()
	if p.err == "" && p.kw() != kwOn {
		p.unexpected()
	}
	p.skipRest()
	p.flush(start)
}

// ifExists skips IF [NOT] EXISTS.
func (p *parser) ifExists() {
	if p.kw() == kwIf {
		p.next()
		if p.kw() == kwNot {
			p.next()
		}
		if p.kw() != kwExists {
			p.unexpected()
			return
		}
		p.next()
	}
}

// create reads CREATE TABLE, INDEX and VIEW, which write the table they
// name, and CREATE of objects that hold no rows. CREATE FUNCTION and the
// like are refused: their bodies run SQL this package does not read.
func (p *parser) create() {
	p.next()
	if p.kw() == kwOr { // OR REPLACE
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
		name := p.tableName()
		if p.err != "" {
			return
		}
		p.write(name)
		switch p.kw() {
		case kwAs:
			p.next()
			p.query()
		case kwLike: // MySQL: copies the definition of another table
			p.next()
			if like := p.tableName(); p.err == "" {
				p.read(like)
			}
		}
		// Column definitions, options; MySQL's CREATE TABLE t (…) SELECT …
		p.skipRest()
	case kwUnique, kwIndex:
		if p.kw() == kwUnique {
			p.next()
		}
		if p.kw() != kwIndex {
			p.unexpected()
			return
		}
		for p.err == "" && p.kw() != kwOn {
			if t := p.tok(); t.kind == kEOF || t.kind == kPunct {
				p.unexpected()
				return
			}
			p.next()
		}
		p.next()
		if p.kw() == kwOnly {
			p.next()
		}
		if name := p.tableName(); p.err == "" {
			p.write(name)
		}
		p.skipRest()
	case kwMaterialized, kwRecursive, kwView:
		for p.kw() == kwMaterialized || p.kw() == kwRecursive {
			p.next()
		}
		if p.kw() != kwView {
			p.unexpected()
			return
		}
		p.next()
		p.ifExists()
		name := p.tableName()
		if p.err != "" {
			return
		}
		p.write(name)
		for p.err == "" && p.kw() != kwAs {
			switch t := p.tok(); {
			case t.kind == kEOF || t.kind == kPunct && t.ch == ';':
				p.unexpected()
			case t.kind == kPunct && t.ch == '(':
				p.parens()
			default:
				p.next()
			}
		}
		p.next()
		p.query()
		p.skipRest()
	case kwObject:
		p.skipRest()
	default:
		t := p.tok()
		p.unsupported("CREATE " + p.src[t.pos:t.end])
	}
}

// alter reads ALTER TABLE, which writes its table (and the new name of a
// renamed one); foreign keys it adds name tables it does not touch.
func (p *parser) alter() {
	p.next()
	switch p.kw() {
	case kwTable, kwView:
		p.next()
		p.ifExists()
		if p.kw() == kwOnly {
			p.next()
		}
		name := p.tableName()
		if p.err != "" {
			return
		}
		p.write(name)
		for p.err == "" {
			t := p.tok()
			switch {
			case t.kind == kEOF, t.kind == kPunct && (t.ch == ';' || t.ch == ')'):
				return
			case t.kind == kPunct && t.ch == '(':
				p.parens()
			case t.kw == kwRename && (p.peek(1).kw == kwTo || p.peek(1).kw == kwAs):
				p.next()
				p.next()
				if name := p.tableName(); p.err == "" {
					p.write(name)
				}
			default:
				p.next()
			}
		}
	case kwObject, kwIndex:
		p.skipRest()
	default:
		t := p.tok()
		p.unsupported("ALTER " + p.src[t.pos:t.end])
	}
}

// drop reads DROP TABLE and DROP VIEW (writes), DROP INDEX … ON t (MySQL)
// and DROP of objects that hold no rows. A Postgres DROP INDEX does not
// say which table it changes, so it is refused.
func (p *parser) drop() {
	p.next()
	for p.kw() == kwTemp {
		p.next()
	}
	switch p.kw() {
	case kwTable, kwView, kwMaterialized:
		if p.kw() == kwMaterialized {
			p.next()
		}
		p.next()
		p.ifExists()
		p.nameList()
	case kwIndex:
		p.next()
		if p.kw() == kwConcurrently {
			p.next()
		}
		p.ifExists()
		if !nameStart(p.tok()) {
			p.unexpected()
			return
		}
		p.name()
		if p.kw() != kwOn {
			p.fail("DROP INDEX does not name its table")
			return
		}
		p.next()
		if name := p.tableName(); p.err == "" {
			p.write(name)
		}
		p.skipRest()
	case kwObject, kwRoutine:
		p.skipRest()
	default:
		t := p.tok()
		p.unsupported("DROP " + p.src[t.pos:t.end])
	}
}

// truncate reads TRUNCATE [TABLE] [ONLY] t [*], ….
func (p *parser) truncate() {
	p.next()
	if p.kw() == kwTable {
		p.next()
	}
	p.nameList()
}

// rename reads MySQL's RENAME TABLE a TO b, c TO d: both names of each
// pair are written.
func (p *parser) rename() {
	p.next()
	if p.kw() != kwTable {
		p.unsupported("RENAME")
		return
	}
	p.next()
	for p.err == "" {
		from := p.tableName()
		if p.err != "" {
			return
		}
		if p.kw() != kwTo {
			p.unexpected()
			return
		}
		p.next()
		to := p.tableName()
		if p.err != "" {
			return
		}
		p.write(from)
		p.write(to)
		if !p.at(',') {
			return
		}
		p.next()
	}
}

// nameList reads comma-separated tables that are written, then skips the
// options that follow them.
func (p *parser) nameList() {
	for p.err == "" {
		if p.kw() == kwOnly {
			p.next()
		}
		name := p.tableName()
		if p.err != "" {
			return
		}
		p.write(name)
		if p.at('*') {
			p.next()
		}
		if !p.at(',') {
			break
		}
		p.next()
	}
	p.skipRest()
}

// copyStmt reads Postgres COPY t FROM (a write), COPY t TO and
// COPY (query) TO (reads).
func (p *parser) copyStmt() {
	p.next()
	if p.at('(') {
		p.parens()
		p.skipRest()
		return
	}
	name := p.tableName()
	if p.err != "" {
		return
	}
	if p.at('(') {
		p.parens()
	}
	switch p.kw() {
	case kwFrom:
		p.write(name)
	case kwTo:
		p.read(name)
	default:
		p.unexpected()
		return
	}
	p.skipRest()
}

// explain reads EXPLAIN [options] statement as the statement itself.
func (p *parser) explain() {
	p.next()
	for p.err == "" {
		t := p.tok()
		switch {
		case t.kind == kEOF, t.kind == kPunct && t.ch == ';':
			p.unsupported("EXPLAIN")
			return
		case t.kind == kPunct && t.ch == '(' && !p.queryAhead():
			p.parens()
			continue
		}
		switch t.kw {
		case kwSelect, kwWith, kwValues, kwTable, kwInsert, kwReplace, kwUpdate,
			kwDelete, kwMerge, kwCreate:
			p.statement()
			return
		}
		if t.kind == kPunct && t.ch == '(' {
			p.statement()
			return
		}
		p.next()
	}
}
