package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// fakeDriver is an in-memory stand-in for the shop's PostgreSQL: it
// answers the queries of the routes the load generator drives with rows
// made up on the spot, so that the shop's own code does all its work
// (scanning rows, caching, ranking search hits, encoding JSON) without a
// database server.
type fakeDriver struct{}

func init() { sql.Register("loadgen-fake", fakeDriver{}) }

func (fakeDriver) Open(string) (driver.Conn, error) { return &fakeConn{}, nil }

type fakeConn struct{}

func (c *fakeConn) Prepare(query string) (driver.Stmt, error) { return &fakeStmt{query: query}, nil }
func (c *fakeConn) Close() error                              { return nil }
func (c *fakeConn) Begin() (driver.Tx, error)                 { return fakeTx{}, nil }
func (c *fakeConn) Ping(context.Context) error                { return nil }

type fakeTx struct{}

func (fakeTx) Commit() error   { return nil }
func (fakeTx) Rollback() error { return nil }

type fakeStmt struct{ query string }

func (s *fakeStmt) Close() error  { return nil }
func (s *fakeStmt) NumInput() int { return -1 }
func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	return driver.RowsAffected(1), nil
}

func (s *fakeStmt) Query(args []driver.Value) (driver.Rows, error) {
	q := s.query
	now := time.Now()
	switch {
	case strings.Contains(q, "FROM products p") && strings.Contains(q, "WHERE p.id = $1"):
		id, _ := args[0].(int64)
		return rowsOf(productColumns, [][]driver.Value{product(id, "", now)}), nil
	case strings.Contains(q, "FROM products p"):
		// a listing or search: LIMIT and OFFSET are the last two
		// arguments, a LIKE pattern the search term
		limit, _ := args[len(args)-2].(int64)
		term := ""
		for _, a := range args {
			if s, ok := a.(string); ok && strings.HasPrefix(s, "%") {
				term = strings.Trim(s, "%")
			}
		}
		rows := make([][]driver.Value, 0, limit)
		for i := int64(1); i <= limit; i++ {
			rows = append(rows, product(i, term, now))
		}
		return rowsOf(productColumns, rows), nil
	case strings.Contains(q, "FROM sessions s"):
		return rowsOf(3, [][]driver.Value{{int64(7), now.Add(-time.Hour), now.Add(24 * time.Hour)}}), nil
	case strings.Contains(q, "FROM users WHERE"):
		return rowsOf(6, [][]driver.Value{{int64(7), "ada@example.com", "Ada", "customer", "$argon2id$fake", now.Add(-48 * time.Hour)}}), nil
	case strings.Contains(q, "FROM carts WHERE"):
		return rowsOf(2, [][]driver.Value{{int64(70), now}}), nil
	case strings.Contains(q, "FROM cart_items ci"):
		rows := [][]driver.Value{
			{int64(11), "Linen shirt", int64(1), int64(3900), "EUR", true},
			{int64(12), "Wool scarf", int64(2), int64(2500), "EUR", true},
		}
		return rowsOf(6, rows), nil
	}
	return nil, fmt.Errorf("loadgen: no fake answer for query %q", strings.Join(strings.Fields(q), " "))
}

const productColumns = 12

var words = strings.Fields(`linen shirt cotton wool scarf leather boot canvas bag silk tie denim
jacket travel mug ceramic plate oak table lamp brass candle woven rug summer dress rain coat
hiking sock trail runner garden hose copper kettle glass vase paper notebook`)

// product makes a product row: its name holds term, so that a search
// finds it, and its description is long enough for ranking to be work.
// The rows are made once per id and term, so that the fake database
// costs little beside the shop.
func product(id int64, term string, now time.Time) []driver.Value {
	key := fmt.Sprint(id, term)
	madeMu.Lock()
	row, ok := made[key]
	if !ok {
		name := words[id%int64(len(words))] + " " + words[(id*7)%int64(len(words))]
		if term != "" {
			name = term + " " + name
		}
		var desc strings.Builder
		for i := int64(0); i < 60; i++ {
			desc.WriteString(words[(id*31+i*13)%int64(len(words))])
			desc.WriteByte(' ')
		}
		row = []driver.Value{
			id, fmt.Sprintf("SKU-%05d", id), name, desc.String(), int64(1 + id%5), "apparel",
			int64(1000 + id*37%9000), "EUR", int64(200 + id%800), int64(id % 40), true, now,
		}
		made[key] = row
	}
	madeMu.Unlock()
	return row
}

var (
	madeMu sync.Mutex
	made   = map[string][]driver.Value{}
)

type fakeRows struct {
	cols int
	rows [][]driver.Value
}

func rowsOf(cols int, rows [][]driver.Value) *fakeRows { return &fakeRows{cols: cols, rows: rows} }

func (r *fakeRows) Columns() []string { return make([]string, r.cols) }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	if len(dest) != len(r.rows[0]) {
		return errors.New("loadgen: wrong number of columns")
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
