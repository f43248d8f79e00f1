package sqltable

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// r and w build expected table lists.
func r(ts ...string) []string { return ts }
func w(ts ...string) []string { return ts }

var parseTests = []struct {
	name   string
	sql    string
	reads  []string
	writes []string
	// reason, when set, is a substring of the expected Reason of an
	// unparsed result.
	reason string
	lock   bool
}{
	// Plain SELECT.
	{name: "select", sql: "SELECT id, name FROM users WHERE id = $1", reads: r("users")},
	{name: "lower case", sql: "select * from Users u where u.id = ?", reads: r("users")},
	{name: "no from", sql: "SELECT 1"},
	{name: "now", sql: "SELECT now(), current_user"},
	{name: "schema", sql: `SELECT * FROM public.users, "Billing"."Invoices" i`, reads: r("Billing.Invoices", "public.users")},
	{name: "mixed quoting", sql: `SELECT * FROM app."Users"`, reads: r("app.Users")},
	{name: "backticks", sql: "SELECT * FROM `shop`.`order` o JOIN `line``item` l ON l.o = o.id", reads: r("line`item", "shop.order")},
	{name: "brackets", sql: "SELECT * FROM [dbo].[Order Lines] WITH (NOLOCK) WHERE x = 1", reads: r("dbo.Order Lines")},
	{name: "three parts", sql: "SELECT * FROM db.sch.t", reads: r("db.sch.t")},
	{name: "alias without as", sql: "SELECT a.x FROM accounts a, ledger l WHERE a.id = l.acc", reads: r("accounts", "ledger")},
	{name: "alias with column list", sql: "SELECT * FROM pairs AS p(a, b)", reads: r("pairs")},
	{name: "dedup and sort", sql: "SELECT * FROM b JOIN a ON true JOIN b b2 ON true", reads: r("a", "b")},
	{name: "dual", sql: "SELECT 1 FROM DUAL", reads: nil},

	// Joins.
	{name: "join variants", sql: `SELECT * FROM a
		INNER JOIN b ON a.id = b.a
		LEFT OUTER JOIN c ON c.id = b.c
		RIGHT JOIN d USING (id)
		FULL JOIN e ON true
		CROSS JOIN f
		NATURAL JOIN g
		STRAIGHT_JOIN h ON h.x = a.x`, reads: r("a", "b", "c", "d", "e", "f", "g", "h")},
	{name: "join then comma", sql: "SELECT * FROM a JOIN b ON a.x = b.x, c WHERE c.y = a.y", reads: r("a", "b", "c")},
	{name: "parenthesised join", sql: "SELECT * FROM (a JOIN b ON a.id = b.id) LEFT JOIN c ON true", reads: r("a", "b", "c")},
	{name: "left function", sql: "SELECT LEFT(name, 3) FROM people WHERE RIGHT(code, 2) = 'xy'", reads: r("people")},
	{name: "mysql index hints", sql: "SELECT * FROM t1 USE INDEX (i1) JOIN t2 FORCE INDEX FOR JOIN (i2) ON t1.a = t2.a", reads: r("t1", "t2")},
	{name: "tablesample", sql: "SELECT * FROM big TABLESAMPLE SYSTEM (10) REPEATABLE (42)", reads: r("big")},

	// Subqueries.
	{name: "derived table", sql: "SELECT x.n FROM (SELECT count(*) AS n FROM orders) AS x", reads: r("orders")},
	{name: "derived without as", sql: "SELECT * FROM (SELECT * FROM a) t JOIN b ON b.id = t.id", reads: r("a", "b")},
	{name: "in subquery", sql: "SELECT * FROM users WHERE id IN (SELECT user_id FROM bans)", reads: r("bans", "users")},
	{name: "exists", sql: "SELECT 1 FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.a = a.id)", reads: r("a", "b")},
	{name: "scalar subquery", sql: "SELECT (SELECT max(v) FROM m) + 1, coalesce((SELECT 1 FROM n LIMIT 1), 0)", reads: r("m", "n")},
	{name: "nested parens subquery", sql: "SELECT * FROM t WHERE x IN ((SELECT a FROM p) UNION (SELECT b FROM q))", reads: r("p", "q", "t")},
	{name: "lateral", sql: "SELECT * FROM users u, LATERAL (SELECT * FROM posts p WHERE p.uid = u.id LIMIT 3) lp", reads: r("posts", "users")},
	{name: "join lateral", sql: "SELECT * FROM a CROSS JOIN LATERAL unnest(a.tags) AS t(tag)", reads: r("a")},
	{name: "table functions", sql: "SELECT * FROM generate_series(1, 10) g(i) JOIN unnest($1::int[]) WITH ORDINALITY AS u(v, n) ON true", reads: nil},
	{name: "function with subquery argument", sql: "SELECT * FROM json_populate_recordset(null::r, (SELECT j FROM docs))", reads: r("docs")},
	{name: "rows from", sql: "SELECT * FROM ROWS FROM (f(1), g(2)) AS x(a, b)"},
	{name: "apply", sql: "SELECT * FROM t1 CROSS APPLY fn(t1.x) f OUTER APPLY (SELECT * FROM t2) y", reads: r("t1", "t2")},
	{name: "top and modifiers", sql: "SELECT TOP 10 * FROM a; SELECT SQL_CALC_FOUND_ROWS STRAIGHT_JOIN * FROM b", reads: r("a", "b")},
	{name: "mysql partition", sql: "SELECT * FROM t PARTITION (p0, p1) AS x WHERE x.a = 1", reads: r("t")},
	{name: "non-reserved names", sql: "SELECT key, value, type FROM user JOIN comment ON true JOIN session s ON true", reads: r("comment", "session", "user")},
	{name: "unicode and escapes", sql: `SELECT * FROM café JOIN "a""b" ON true`, reads: r("a\"b", "café")},
	{name: "values in from", sql: "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name) JOIN t ON t.id = v.id", reads: r("t")},

	// Set operations.
	{name: "union", sql: "SELECT a FROM x UNION ALL SELECT a FROM y INTERSECT SELECT a FROM z EXCEPT SELECT a FROM w ORDER BY 1", reads: r("w", "x", "y", "z")},
	{name: "parenthesised union", sql: "(SELECT a FROM x LIMIT 1) UNION (SELECT a FROM y) ORDER BY a", reads: r("x", "y")},

	// Expressions with keywords that are not clauses.
	{name: "extract from", sql: "SELECT EXTRACT(YEAR FROM created), SUBSTRING(s FROM 2 FOR 3), TRIM(BOTH ' ' FROM n) FROM logs", reads: r("logs")},
	{name: "is distinct from", sql: "SELECT * FROM t WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d", reads: r("t")},
	{name: "case", sql: "SELECT CASE WHEN a IS DISTINCT FROM b THEN 1 ELSE 0 END AS k FROM t ORDER BY CASE WHEN x THEN 1 END", reads: r("t")},
	{name: "distinct on", sql: "SELECT DISTINCT ON (user_id) * FROM events ORDER BY user_id, at DESC", reads: r("events")},
	{name: "window and filter", sql: "SELECT count(*) FILTER (WHERE ok) OVER (PARTITION BY g ORDER BY t) FROM runs WINDOW w AS (ORDER BY t)", reads: r("runs")},
	{name: "casts and arrays", sql: "SELECT arr[1], x::timestamp with time zone, '{1,2}'::int[] FROM t WHERE tags @> ARRAY['a']", reads: r("t")},
	{name: "placeholders", sql: "SELECT * FROM t WHERE a = $1 AND b = ? AND c = :name AND d = @p1 AND e = @@version", reads: r("t")},
	{name: "strings and comments", sql: "SELECT 'FROM fake' /* FROM fake2 */ -- FROM fake3\n FROM real WHERE s = 'it''s'", reads: r("real")},
	{name: "nested comment", sql: "/* outer /* inner */ still comment FROM fake */ SELECT * FROM t", reads: r("t")},
	{name: "dollar quoted", sql: "SELECT $$ FROM fake $$, $tag$ it's FROM x $tag$ FROM t", reads: r("t")},
	{name: "escape string", sql: `SELECT E'it\'s FROM x' FROM t`, reads: r("t")},
	{name: "mysql backslash", sql: `SELECT * FROM t WHERE s = 'it\'s'`, reads: r("t")},

	// Locking.
	{name: "for update", sql: "SELECT * FROM jobs WHERE state = 'new' LIMIT 1 FOR UPDATE SKIP LOCKED", reads: r("jobs"), lock: true},
	{name: "for no key update of", sql: "SELECT * FROM a JOIN b ON true FOR NO KEY UPDATE OF a NOWAIT", reads: r("a", "b"), lock: true},
	{name: "lock in share mode", sql: "SELECT * FROM a WHERE id = 1 LOCK IN SHARE MODE", reads: r("a"), lock: true},

	// WITH.
	{name: "cte", sql: "WITH recent AS (SELECT * FROM orders WHERE at > now() - interval '1 day') SELECT * FROM recent JOIN users ON users.id = recent.uid", reads: r("orders", "users")},
	{name: "cte columns and materialized", sql: "WITH x (a, b) AS NOT MATERIALIZED (SELECT 1, 2), y AS MATERIALIZED (SELECT * FROM x JOIN t ON true) SELECT * FROM y", reads: r("t")},
	{name: "recursive cte", sql: "WITH RECURSIVE tree AS (SELECT id FROM nodes WHERE parent IS NULL UNION ALL SELECT n.id FROM nodes n JOIN tree ON n.parent = tree.id) SELECT * FROM tree", reads: r("nodes")},
	{name: "non-recursive cte shadows only later", sql: "WITH t AS (SELECT * FROM t) SELECT * FROM t", reads: r("t")},
	{name: "data-modifying cte", sql: "WITH moved AS (DELETE FROM inbox WHERE done RETURNING *) INSERT INTO archive SELECT * FROM moved", writes: w("archive", "inbox")},
	{name: "cte update then select", sql: "WITH u AS (UPDATE stock SET n = n - 1 WHERE id = $1 RETURNING id) SELECT * FROM u JOIN items ON items.id = u.id", reads: r("items"), writes: w("stock")},
	{name: "cte in subquery scope", sql: "SELECT * FROM (WITH c AS (SELECT * FROM a) SELECT * FROM c) s, c", reads: r("a", "c")},
	{name: "search cycle", sql: "WITH RECURSIVE g AS (SELECT * FROM edges) SEARCH DEPTH FIRST BY id SET ord CYCLE id SET looped USING path SELECT * FROM g", reads: r("edges")},

	// INSERT.
	{name: "insert values", sql: "INSERT INTO users (id, name) VALUES ($1, $2), ($3, $4)", writes: w("users")},
	{name: "insert select", sql: "INSERT INTO archive (id) SELECT id FROM events WHERE at < $1", reads: r("events"), writes: w("archive")},
	{name: "insert paren select", sql: "INSERT INTO a (SELECT * FROM b)", reads: r("b"), writes: w("a")},
	{name: "on conflict", sql: "INSERT INTO kv AS t (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v WHERE t.v <> EXCLUDED.v RETURNING k", writes: w("kv")},
	{name: "on conflict subquery", sql: "INSERT INTO kv (k, v) VALUES (1, 2) ON CONFLICT ON CONSTRAINT kv_pkey DO UPDATE SET v = (SELECT max(v) FROM defaults)", reads: r("defaults"), writes: w("kv")},
	{name: "on duplicate key", sql: "INSERT IGNORE INTO counters (k, n) VALUES (?, 1) AS new ON DUPLICATE KEY UPDATE n = counters.n + VALUES(n)", writes: w("counters")},
	{name: "insert set", sql: "INSERT INTO t SET a = 1, b = (SELECT x FROM y)", reads: r("y"), writes: w("t")},
	{name: "default values", sql: "INSERT INTO seq DEFAULT VALUES RETURNING id", writes: w("seq")},
	{name: "replace into", sql: "REPLACE INTO cache (k, v) VALUES (?, ?)", writes: w("cache")},
	{name: "insert or replace", sql: "INSERT OR REPLACE INTO cache (k) VALUES (?)", writes: w("cache")},
	{name: "upsert", sql: "UPSERT INTO accounts (id, bal) VALUES (1, 100)", writes: w("accounts")},
	{name: "insert select same table", sql: "INSERT INTO t SELECT * FROM t", reads: r("t"), writes: w("t")},
	{name: "insert with cte", sql: "INSERT INTO dst WITH s AS (SELECT * FROM src) SELECT * FROM s", reads: r("src"), writes: w("dst")},
	{name: "sqlx named", sql: "INSERT INTO person (first, last) VALUES (:first, :last)", writes: w("person")},

	// UPDATE.
	{name: "update", sql: "UPDATE users SET name = $1, updated = now() WHERE id = $2", writes: w("users")},
	{name: "update subquery", sql: "UPDATE t SET n = (SELECT count(*) FROM u WHERE u.t = t.id) WHERE id IN (SELECT id FROM v)", reads: r("u", "v"), writes: w("t")},
	{name: "update from", sql: "UPDATE orders o SET total = s.sum FROM (SELECT oid, sum(p) FROM lines GROUP BY oid) s, customers c WHERE s.oid = o.id RETURNING o.id", reads: r("customers", "lines"), writes: w("orders")},
	{name: "update only alias", sql: "UPDATE ONLY public.items AS i SET x = 1", writes: w("public.items")},
	{name: "mysql multi-table update", sql: "UPDATE orders o JOIN users u ON u.id = o.uid SET o.status = 'x', o.note = u.name WHERE u.banned", reads: r("users"), writes: w("orders")},
	{name: "mysql comma update", sql: "UPDATE a, b SET a.x = b.x, b.y = 2 WHERE a.id = b.id", writes: w("a", "b")},
	{name: "sql server update alias", sql: "UPDATE x SET x.n = 1 FROM items x JOIN tags t ON t.i = x.id", reads: r("tags"), writes: w("items")},
	{name: "update order limit", sql: "UPDATE LOW_PRIORITY jobs SET taken = 1 ORDER BY id LIMIT 1", writes: w("jobs")},

	// DELETE.
	{name: "delete", sql: "DELETE FROM sessions WHERE expires < now()", writes: w("sessions")},
	{name: "delete all", sql: "DELETE FROM sessions", writes: w("sessions")},
	{name: "delete using", sql: "DELETE FROM a USING b, c WHERE a.b = b.id AND b.c = c.id RETURNING a.id", reads: r("b", "c"), writes: w("a")},
	{name: "mysql delete join", sql: "DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.gone", reads: r("t2"), writes: w("t1")},
	{name: "mysql delete aliases", sql: "DELETE o, l FROM orders o LEFT JOIN lines l ON l.o = o.id JOIN users u ON u.id = o.u WHERE u.gone", reads: r("users"), writes: w("lines", "orders")},
	{name: "mysql delete star using", sql: "DELETE FROM t1.*, t2.* USING t1 INNER JOIN t2 INNER JOIN t3 WHERE t1.id = t2.id AND t2.id = t3.id", reads: r("t3"), writes: w("t1", "t2")},
	{name: "delete in subquery", sql: "DELETE FROM a WHERE id IN (SELECT a_id FROM b)", reads: r("b"), writes: w("a")},
	{name: "delete without from", sql: "DELETE logs WHERE at < ?", writes: w("logs")},
	{name: "delete order limit", sql: "DELETE QUICK FROM q ORDER BY id LIMIT 10", writes: w("q")},

	// MERGE.
	{name: "merge", sql: "MERGE INTO stock t USING deliveries d ON t.item = d.item WHEN MATCHED THEN UPDATE SET qty = t.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)", reads: r("deliveries"), writes: w("stock")},
	{name: "merge subquery", sql: "MERGE INTO t USING (SELECT * FROM s WHERE ok) AS src ON t.id = src.id WHEN MATCHED THEN DELETE", reads: r("s"), writes: w("t")},

	// DDL.
	{name: "create table", sql: "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, org bigint REFERENCES orgs (id), CHECK (id > 0))", writes: w("users")},
	{name: "create temp table as", sql: "CREATE TEMP TABLE snap AS SELECT * FROM live WITH NO DATA", reads: r("live"), writes: w("snap")},
	{name: "create table like", sql: "CREATE TABLE t2 LIKE t1", reads: r("t1"), writes: w("t2")},
	{name: "mysql create select", sql: "CREATE TABLE t (id int) SELECT id FROM s", reads: r("s"), writes: w("t")},
	{name: "create index", sql: "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users USING btree (lower(email))", writes: w("users")},
	{name: "create view", sql: "CREATE OR REPLACE VIEW active (id) AS SELECT id FROM users WHERE active WITH CHECK OPTION", reads: r("users"), writes: w("active")},
	{name: "create materialized view", sql: "CREATE MATERIALIZED VIEW IF NOT EXISTS stats AS SELECT count(*) FROM events", reads: r("events"), writes: w("stats")},
	{name: "alter table", sql: "ALTER TABLE IF EXISTS ONLY users ADD COLUMN age int, ADD CONSTRAINT fk FOREIGN KEY (org) REFERENCES orgs (id)", writes: w("users")},
	{name: "alter rename", sql: "ALTER TABLE old_name RENAME TO new_name", writes: w("new_name", "old_name")},
	{name: "rename table", sql: "RENAME TABLE a TO a_old, a_new TO a", writes: w("a", "a_new", "a_old")},
	{name: "drop table", sql: "DROP TABLE IF EXISTS a, b.c CASCADE", writes: w("a", "b.c")},
	{name: "mysql drop index", sql: "DROP INDEX idx ON t", writes: w("t")},
	{name: "truncate", sql: "TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE", writes: w("a", "b")},
	{name: "create extension", sql: "CREATE EXTENSION IF NOT EXISTS pgcrypto"},
	{name: "drop function", sql: "DROP FUNCTION IF EXISTS f(int)"},
	{name: "copy from", sql: "COPY items (id, name) FROM STDIN WITH (FORMAT csv)", writes: w("items")},
	{name: "copy query", sql: "COPY (SELECT * FROM items) TO STDOUT", reads: r("items")},

	// Scripts and other statements.
	{name: "script", sql: "BEGIN; UPDATE a SET x = 1; INSERT INTO b SELECT * FROM c; COMMIT;", reads: r("c"), writes: w("a", "b")},
	{name: "empty statements", sql: " ; ;SELECT * FROM t;; ", reads: r("t")},
	{name: "empty", sql: ""},
	{name: "comment only", sql: "-- nothing\n/* here */"},
	{name: "set", sql: "SET search_path = app, public"},
	{name: "explain", sql: "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t", reads: r("t")},
	{name: "select into", sql: "SELECT * INTO TEMP backup FROM users", reads: r("users"), writes: w("backup")},
	{name: "select into var", sql: "SELECT count(*) INTO @n FROM users", reads: r("users")},
	{name: "table statement", sql: "TABLE users", reads: r("users")},
	{name: "values statement", sql: "VALUES (1), (2)"},

	// Go fmt verbs.
	{name: "verb in value", sql: "SELECT %s FROM users WHERE id IN (%s) ORDER BY %s LIMIT %d", reads: r("users")},
	{name: "verb in insert columns", sql: "INSERT INTO t (%s) VALUES (%s)", writes: w("t")},
	{name: "verb in like string", sql: "SELECT * FROM t WHERE name LIKE '%s%%'", reads: r("t")},
	{name: "modulo is no verb", sql: "SELECT id % 2, 100%3 FROM t", reads: r("t")},
	{name: "verb table", sql: "SELECT * FROM %s WHERE id = $1", reason: "dynamic table name"},
	{name: "verb table suffix", sql: "SELECT * FROM events_%s", reason: "dynamic table name"},
	{name: "verb schema", sql: "SELECT * FROM %s.users", reason: "dynamic table name"},
	{name: "verb quoted", sql: `INSERT INTO "%s" VALUES (1)`, reason: "dynamic table name"},
	{name: "verb indexed", sql: "UPDATE %[1]s SET a = 1", reason: "dynamic table name"},
	{name: "verb join", sql: "SELECT * FROM a JOIN %v ON true", reason: "dynamic table name"},
	{name: "verb delete", sql: "DELETE FROM %s", reason: "dynamic table name"},
	{name: "verb after table", sql: "SELECT * FROM users %s", reason: "dynamic SQL after table name"},
	{name: "verb truncate", sql: "TRUNCATE %s", reason: "dynamic table name"},
	{name: "verb tail", sql: "INSERT INTO users %s", reason: "dynamic SQL fragment"},
	{name: "verb placeholder", sql: "SELECT * FROM t WHERE a = $1 %s", reads: r("t")},

	// Unparsed.
	{name: "placeholder table", sql: "SELECT * FROM ?", reason: "placeholder in table position"},
	{name: "template table", sql: "SELECT * FROM {{.Table}}", reason: "expected table name"},
	{name: "unterminated string", sql: "SELECT * FROM t WHERE a = 'x", reason: "unterminated string"},
	{name: "unterminated ident", sql: `SELECT * FROM "t`, reason: "unterminated quoted identifier"},
	{name: "unterminated comment", sql: "SELECT /* x FROM t", reason: "unterminated comment"},
	{name: "unterminated dollar", sql: "SELECT $a$ x FROM t", reason: "unterminated dollar-quoted string"},
	{name: "unbalanced open", sql: "SELECT * FROM t WHERE (a = 1", reason: "unbalanced parentheses"},
	{name: "unbalanced close", sql: "SELECT * FROM t WHERE a = 1)", reason: "unbalanced parentheses"},
	{name: "missing table", sql: "SELECT * FROM", reason: "missing table name"},
	{name: "empty quoted", sql: `SELECT * FROM ""`, reason: "empty identifier"},
	{name: "ambiguous update", sql: "UPDATE a JOIN b ON a.id = b.id SET x = 1", reason: "ambiguous UPDATE target"},
	{name: "unknown delete target", sql: "DELETE zz FROM a JOIN b ON true", reason: "unknown DELETE target"},
	{name: "pg drop index", sql: "DROP INDEX CONCURRENTLY users_email", reason: "DROP INDEX does not name its table"},
	{name: "create function", sql: "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT count(*) FROM t $$ LANGUAGE sql", reason: "unsupported statement CREATE FUNCTION"},
	{name: "do block", sql: "DO $$ BEGIN DELETE FROM t; END $$", reason: "unsupported statement DO"},
	{name: "call", sql: "CALL refresh(1)", reason: "unsupported statement CALL"},
	{name: "lock table", sql: "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", reason: "unsupported statement LOCK"},
	{name: "mysql hash comment", sql: "SELECT * FROM t # note", reason: `unexpected "#"`},
	{name: "named table", sql: "DELETE FROM :table WHERE id = :id", reason: "placeholder in table position"},
	{name: "case without end", sql: "SELECT CASE WHEN a THEN 1 FROM t", reason: "CASE without END"},
	{name: "stray punctuation", sql: ") SELECT 1", reason: "unbalanced parentheses"},
	{name: "half join", sql: "SELECT * FROM a LEFT SEMI JOIN b ON true", reason: `unexpected "SEMI"`},
	{name: "garbage after", sql: "SELECT * FROM t u v", reason: `unexpected "v"`},
	{name: "stray from", sql: "SELECT * FROM t WHERE x = 1 FROM u", reason: `unexpected "FROM"`},
	{name: "stray join", sql: "SELECT * FROM t WHERE x = 1 JOIN u ON true", reason: `unexpected "JOIN"`},
	{name: "for xml", sql: "SELECT * FROM t FOR XML PATH", reason: "unsupported statement FOR XML"},
	{name: "deep nesting", sql: strings.Repeat("(", 500) + "SELECT 1" + strings.Repeat(")", 500), reason: "nesting too deep"},
}

func TestParse(t *testing.T) {
	for _, tc := range parseTests {
		t.Run(tc.name, func(t *testing.T) {
			got := Parse(tc.sql)
			if tc.reason != "" {
				if !got.Unparsed || !strings.Contains(got.Reason, tc.reason) {
					t.Fatalf("Parse(%q) = %+v, want unparsed with reason containing %q", tc.sql, got, tc.reason)
				}
				if got.Reads != nil || got.Writes != nil {
					t.Errorf("unparsed result lists tables: %+v", got)
				}
				return
			}
			if got.Unparsed {
				t.Fatalf("Parse(%q) unparsed: %s", tc.sql, got.Reason)
			}
			if !slices.Equal(got.Reads, tc.reads) || !slices.Equal(got.Writes, tc.writes) {
				t.Errorf("Parse(%q)\n reads  %q, want %q\n writes %q, want %q", tc.sql, got.Reads, tc.reads, got.Writes, tc.writes)
			}
			if got.Locking != tc.lock {
				t.Errorf("Parse(%q).Locking = %v, want %v", tc.sql, got.Locking, tc.lock)
			}
		})
	}
}

var looksTests = []struct {
	s    string
	want bool
}{
	{"SELECT id FROM users", true},
	{"  select * from t", true},
	{"-- get user\nSELECT name FROM users WHERE id = $1", true},
	{"/* c */ (SELECT 1) UNION (SELECT 2)", true},
	{"SELECT 1", true},
	{"SELECT count(*) FROM t", true},
	{"SELECT u.id, u.name FROM users u JOIN orgs o ON o.id = u.org", true},
	{"SELECT %s FROM %s WHERE %s", true},
	{"SELECT id, name FROM users WHERE name = '", true}, // fragment
	{"select id from users u where u.x = 1", true},
	{"WITH x AS (SELECT 1) SELECT * FROM x", true},
	{"with recursive t(n) as (select 1) select * from t", true},
	{"INSERT INTO users (id) VALUES ($1)", true},
	{"insert into t select * from s", true},
	{"INSERT IGNORE INTO t SET a = 1", true},
	{"REPLACE INTO cache VALUES (?, ?)", true},
	{"UPSERT INTO t (a) VALUES (1)", true},
	{"UPDATE users SET name = $1 WHERE id = $2", true},
	{"UPDATE a JOIN b ON a.id = b.id SET a.x = b.y", true},
	{"update %s set a=1", true},
	{"UPDATE %s SET %s WHERE id = $1", true},
	{"INSERT INTO %s (%s) VALUES (%s)", true},
	{"DELETE FROM %s WHERE id = ?", true},
	{"SELECT \"name\" FROM users", true},
	{"SELECT DISTINCT name FROM t", true},
	{"SELECT EXISTS(SELECT 1 FROM t)", true},
	{"SELECT [name] FROM [dbo].[users]", true},
	{"\n\t\tSELECT\n\t\t\tid,\n\t\t\tname\n\t\tFROM users\n\t\tWHERE id = $1", true},
	{"Select %s from the menu", false},
	{"DELETE FROM sessions WHERE id = ?", true},
	{"DELETE FROM sessions", true},
	{"DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", true},
	{"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", true},
	{"CREATE TABLE IF NOT EXISTS t (id int)", true},
	{"CREATE UNIQUE INDEX i ON t (a)", true},
	{"CREATE OR REPLACE VIEW v (a) AS SELECT 1", true},
	{"create extension if not exists pgcrypto", true},
	{"ALTER TABLE users ADD COLUMN age int", true},
	{"DROP TABLE IF EXISTS t CASCADE", true},
	{"DROP INDEX idx ON t", true},
	{"TRUNCATE users", true},
	{"TRUNCATE TABLE a, b RESTART IDENTITY", true},

	{"", false},
	{"hello world", false},
	{"select a file", false},
	{"Select a file to upload", false},
	{"Select one from the list", false},
	{"select all files", false},
	{"Select the user's avatar", false},
	{"Select: %v", false},
	{"selection", false},
	{"SELECTED", false},
	{"Update failed: %v", false},
	{"update the settings", false},
	{"Update settings: set to %v", false},
	{"updated_at", false},
	{"delete me", false},
	{"Delete from cache failed: %v", false},
	{"deleted %d rows", false},
	{"insert coin", false},
	{"insert into the database failed", false},
	{"Create a new user", false},
	{"create table failed: %v", false},
	{"Alter table failed: %v", false},
	{"drop the bass", false},
	{"drop table failed: %v", false},
	{"truncate string to %d chars", false},
	{"truncated", false},
	{"with regards to your order", false},
	{"With %d items", false},
	{"merge conflict in %s", false},
	{"Merge into main failed", false},
	{"replace all occurrences", false},
	{"Replace with: %q", false},
	{"(select one)", false},
}

func TestLooksLikeSQL(t *testing.T) {
	for _, tc := range looksTests {
		if got := LooksLikeSQL(tc.s); got != tc.want {
			t.Errorf("LooksLikeSQL(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// TestLooksThenParse checks that the accepted statements of the
// LooksLikeSQL table parse, and that the rejected prose would not have
// been mistaken for tables anyway where the parser can tell.
func TestLooksThenParse(t *testing.T) {
	for _, tc := range looksTests {
		if !tc.want || strings.Contains(tc.s, "%") || strings.HasSuffix(tc.s, "'") {
			continue
		}
		if got := Parse(tc.s); got.Unparsed {
			t.Errorf("Parse(%q) unparsed: %s", tc.s, got.Reason)
		}
	}
}

func TestKeywords(t *testing.T) {
	for w, k := range keywords {
		if got := lookup(strings.ToUpper(w)); got != k {
			t.Errorf("lookup(%q) = %d, want %d", strings.ToUpper(w), got, k)
		}
		if got := lookup(w + "x"); got != kwNone && keywords[w+"x"] == kwNone {
			t.Errorf("lookup(%q) = %d, want none", w+"x", got)
		}
	}
	for _, w := range []string{"", "a", "fro", "fromage", "select1", "_select", "ünion"} {
		if got := lookup(w); got != kwNone {
			t.Errorf("lookup(%q) = %d, want none", w, got)
		}
	}
}

func TestAccesses(t *testing.T) {
	got := Parse("INSERT INTO a SELECT * FROM b JOIN c ON true").Accesses()
	want := []Access{{"b", false}, {"c", false}, {"a", true}}
	if !slices.Equal(got, want) {
		t.Errorf("Accesses() = %v, want %v", got, want)
	}
}

// TestConcurrent runs Parse from several goroutines: parsers are pooled,
// and results must not share their memory.
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 200; i++ {
				tc := parseTests[(i*7+g)%len(parseTests)]
				got := Parse(tc.sql)
				if tc.reason == "" && (!slices.Equal(got.Reads, tc.reads) || !slices.Equal(got.Writes, tc.writes)) {
					t.Errorf("Parse(%q) = %+v", tc.sql, got)
				}
			}
		})
	}
	wg.Wait()
}

func FuzzParse(f *testing.F) {
	for _, tc := range parseTests {
		f.Add(tc.sql)
	}
	for _, tc := range looksTests {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		res := Parse(sql)
		LooksLikeSQL(sql)
		if res.Unparsed {
			if res.Reason == "" {
				t.Errorf("Parse(%q): unparsed without a reason", sql)
			}
			if len(res.Reads) != 0 || len(res.Writes) != 0 {
				t.Errorf("Parse(%q): unparsed with tables %+v", sql, res)
			}
			return
		}
		for _, list := range [][]string{res.Reads, res.Writes} {
			for i, name := range list {
				if name == "" {
					t.Errorf("Parse(%q): empty table name in %q", sql, list)
				}
				if i > 0 && list[i-1] >= name {
					t.Errorf("Parse(%q): %q not sorted and deduplicated", sql, list)
				}
			}
		}
	})
}

// benchStatements is a mix in the proportions a Go service tends to have:
// mostly short CRUD, some joins and upserts, a few long reports.
var benchStatements = []string{
	"SELECT id, email, name, created_at FROM users WHERE id = $1",
	"SELECT * FROM orders WHERE user_id = ? AND status = ? ORDER BY created_at DESC LIMIT 20",
	"INSERT INTO events (id, kind, payload, at) VALUES ($1, $2, $3, now())",
	"UPDATE accounts SET balance = balance - $1, updated_at = now() WHERE id = $2 AND balance >= $1",
	"DELETE FROM sessions WHERE expires_at < now()",
	`SELECT o.id, o.total, u.email, count(l.id) AS lines
	   FROM orders o
	   JOIN users u ON u.id = o.user_id
	   LEFT JOIN order_lines l ON l.order_id = o.id
	  WHERE o.created_at >= $1 AND u.org_id = $2
	  GROUP BY o.id, u.email
	 HAVING count(l.id) > 0
	  ORDER BY o.total DESC`,
	`INSERT INTO inventory (sku, qty) VALUES ($1, $2)
	 ON CONFLICT (sku) DO UPDATE SET qty = inventory.qty + EXCLUDED.qty RETURNING qty`,
	`WITH recent AS (
	    SELECT user_id, max(at) AS last FROM logins WHERE at > now() - interval '30 days' GROUP BY user_id
	 )
	 SELECT u.id, r.last FROM users u JOIN recent r ON r.user_id = u.id
	  WHERE NOT EXISTS (SELECT 1 FROM bans b WHERE b.user_id = u.id)`,
	"SELECT id FROM jobs WHERE state = 'queued' ORDER BY priority LIMIT 1 FOR UPDATE SKIP LOCKED",
	"UPDATE orders o JOIN users u ON u.id = o.user_id SET o.status = 'void' WHERE u.deleted = 1",
}

func BenchmarkParse(b *testing.B) {
	n := 0
	for _, s := range benchStatements {
		n += len(s)
	}
	b.SetBytes(int64(n / len(benchStatements)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if r := Parse(benchStatements[i%len(benchStatements)]); r.Unparsed {
			b.Fatal(r.Reason)
		}
	}
}

func BenchmarkLooksLikeSQL(b *testing.B) {
	// Most literals are not SQL; the SQL ones pay for tokenizing.
	lits := append([]string{"user not found", "application/json", "%s: %w", "id", "Update failed: %v", "select a file"}, benchStatements[:4]...)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		LooksLikeSQL(lits[i%len(lits)])
	}
}
