// Package sqltable finds the tables a SQL statement reads and writes.
//
// It works on the text alone, as found in a string literal handed to
// database/sql, sqlx, pgx or a similar API, so that the analysis can tell
// which functions share which tables. It is a scanner for table positions,
// not a validating parser: expressions are skipped (except for the
// subqueries inside them), and the dialects of Postgres, MySQL, SQLite and,
// loosely, SQL Server are accepted together.
//
// # What is recognised
//
// The tokenizer knows '…' strings with doubled-quote escapes (and
// backslash escapes in E'…' strings, or throughout when that is the only
// reading that closes them, as MySQL does), "…", `…` and […]
// identifiers, -- and nested /* */ comments, $$…$$ and $tag$…$tag$
// strings, the placeholders $1, ?, :name and @p1, and Go fmt verbs such
// as %s, %v and %[1]d.
//
// Statements: SELECT with FROM, all JOIN forms, comma joins, subqueries
// anywhere, aliases with or without AS, UNION, INTERSECT, EXCEPT and row
// locks (FOR UPDATE, LOCK IN SHARE MODE); WITH, whose CTE names are not
// tables, including RECURSIVE and data-modifying CTEs; INSERT, REPLACE and
// UPSERT, with INSERT … SELECT, ON CONFLICT, ON DUPLICATE KEY UPDATE and
// RETURNING; UPDATE, with Postgres' FROM and MySQL's multi-table form;
// DELETE, with Postgres' USING and MySQL's multi-table forms; MERGE;
// SELECT … INTO; CREATE TABLE, INDEX and VIEW, ALTER TABLE, DROP TABLE,
// RENAME TABLE, TRUNCATE and COPY; EXPLAIN of any of these; transaction
// and session statements, which touch no table; several statements
// separated by ';'.
//
// Table-valued functions (generate_series(…), unnest(…)), derived tables,
// LATERAL subqueries and CTEs are not reported as tables, nor is MySQL's
// DUAL, nor the tables a foreign key REFERENCES. Names keep their
// qualification ("schema.table"); unquoted parts are lower-cased, quoted
// parts keep their case and lose their quotes.
//
// A table the statement modifies is a write (DDL included); every other
// table it names is a read. The target of an UPDATE or DELETE is a write
// only, although the statement also reads it; a table that the statement
// both modifies and reads elsewhere (INSERT INTO t SELECT … FROM t) is in
// both lists.
//
// A Go fmt verb stands for text supplied at run time. Where a value goes
// (WHERE id IN (%s), ORDER BY %s, LIMIT %d) it changes no table and is
// skipped like any expression.
//
// # What is reported as unparsed
//
// Result.Unparsed is set, with a short Reason, whenever the text could
// hide a table the parser did not see, because a wrong table list is worse
// than none: a Go fmt verb in a table position ("dynamic table name"),
// right after a table name or where a clause should start, a placeholder
// in a table position, unbalanced parentheses, unterminated strings or
// CASE, a token where a clause was expected, an unqualified column in a multi-table UPDATE (only the schema
// knows its table), a Postgres DROP INDEX (which does not name its table),
// CREATE FUNCTION and other statements whose bodies or effects are not
// read here (DO, CALL, LOCK, GRANT, …). An unparsed Result has no tables.
//
// Parse and LooksLikeSQL are safe for concurrent use.
package sqltable

import (
	"slices"
)

// Result is what a SQL text does to tables.
type Result struct {
	// Reads and Writes are sorted and free of duplicates.
	Reads  []string
	Writes []string
	// Locking is set when a SELECT locks the rows it reads
	// (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE).
	Locking bool
	// Unparsed is set when the text looks like SQL but could not be
	// understood well enough to list its tables; Reads and Writes are
	// then empty and Reason says why.
	Unparsed bool
	Reason   string
}

// Access is one table a statement touches.
type Access struct {
	Table string
	Write bool
}

// Accesses lists the reads of r and then its writes.
func (r Result) Accesses() []Access {
	as := make([]Access, 0, len(r.Reads)+len(r.Writes))
	for _, t := range r.Reads {
		as = append(as, Access{Table: t})
	}
	for _, t := range r.Writes {
		as = append(as, Access{Table: t, Write: true})
	}
	return as
}

// Parse finds the tables the SQL text sql reads and writes. It never
// panics and never guesses: what it cannot follow is reported Unparsed.
func Parse(sql string) Result {
	if len(sql) > maxLen {
		return Result{Unparsed: true, Reason: "statement too long"}
	}
	p := getParser(sql)
	defer p.release()
	var err string
	p.toks, err = lex(sql, false, p.toks)
	if err == errString {
		// Perhaps MySQL's backslash escapes: 'it\'s'.
		p.toks, err = lex(sql, true, p.toks[:0])
	}
	if err != "" {
		return Result{Unparsed: true, Reason: err}
	}
	p.script()
	if p.err != "" {
		return Result{Unparsed: true, Reason: p.err}
	}
	reads, writes := tidy(p.reads), tidy(p.writes)
	if len(reads)+len(writes) == 0 {
		return Result{Locking: p.lock}
	}
	// One allocation for both lists: the parser's own go back to the pool.
	all := make([]string, 0, len(reads)+len(writes))
	all = append(all, reads...)
	all = append(all, writes...)
	res := Result{Locking: p.lock}
	if len(reads) > 0 {
		res.Reads = all[:len(reads):len(reads)]
	}
	if len(writes) > 0 {
		res.Writes = all[len(reads):]
	}
	return res
}

// maxLen keeps token offsets within 32 bits.
const maxLen = 1<<31 - 1

// tidy sorts and deduplicates names, dropping MySQL's DUAL pseudo-table.
func tidy(names []string) []string {
	names = slices.DeleteFunc(names, func(s string) bool { return s == "dual" })
	slices.Sort(names)
	return slices.Compact(names)
}
