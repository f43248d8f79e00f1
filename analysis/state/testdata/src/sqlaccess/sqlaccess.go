// Package sqlaccess shows how SQL calls are read for data ownership: the
// tables each function reads and writes, SQL built at run time (unknown
// tables) and SQL that cannot be parsed. These are info findings: whether
// a table is shared by contexts is decided on the whole program.
package sqlaccess

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

const selectUser = "SELECT id, name FROM users WHERE id = $1"

// A query kept in a package variable set once to a constant.
var insertOrder = "INSERT INTO orders (user_id, total) VALUES ($1, $2)" // want `info: package variable insertOrder \(string\) is set during initialisation`

func FindUser(ctx context.Context, db *sql.DB, id int) error {
	return db.QueryRowContext(ctx, selectUser, id).Scan(&id) // want `info: FindUser reads users via database/sql`
}

func PlaceOrder(ctx context.Context, tx *sql.Tx, user int, total float64) error {
	_, err := tx.ExecContext(ctx, insertOrder, user, total) // want `info: PlaceOrder writes orders via database/sql`
	if err != nil {
		return err
	}
	// Constant concatenation and a choice between constants both resolve.
	q := "UPDATE stock SET n = n - 1 " + "WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = $1)"
	_, err = tx.Exec(q, user) // want `info: PlaceOrder reads order_lines and writes stock via database/sql`
	return err
}

func ListOrders(db *sql.DB, archived bool) (*sql.Rows, error) {
	table := "SELECT * FROM orders"
	if archived {
		table = "SELECT * FROM archived_orders"
	}
	return db.Query(table) // want `info: ListOrders reads archived_orders, orders via database/sql`
}

// Unknown tables: the table name is formatted in at run time.
func Count(db *sql.DB, table string) (int, error) {
	var n int
	err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&n) // want `info: sql.DB.QueryRow in Count runs SQL built at run time: unknown tables`
	return n, err
}

// Unparsed: reported with its position, never guessed.
func Refresh(db *sql.DB) error {
	_, err := db.Exec("CALL refresh_materialized('daily')") // want `info: sql.DB.Exec in Refresh runs SQL that could not be parsed`
	return err
}

func Prepare(db *sql.DB) (*sql.Stmt, error) {
	return db.Prepare("DELETE FROM sessions WHERE expires < now()") // want `info: Prepare writes sessions via database/sql`
}

// sqlx: Select, Get, NamedExec, and queries passed through Rebind.
func Products(db *sqlx.DB) error {
	var names []string
	if err := db.Select(&names, db.Rebind("SELECT name FROM products WHERE active = ?")); err != nil { // want `info: Products reads products via sqlx`
		return err
	}
	_, err := db.NamedExec("INSERT INTO product_views (sku) VALUES (:sku)", map[string]any{"sku": "x"}) // want `info: Products writes product_views via sqlx`
	return err
}

// pgx: pool queries, transactions through the pgx.Tx interface, batches.
func Payments(ctx context.Context, pool *pgxpool.Pool, tx pgx.Tx) error {
	if _, err := pool.Query(ctx, "SELECT amount FROM payments WHERE order_id = $1", 1); err != nil { // want `info: Payments reads payments via pgx`
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE payments SET captured = true WHERE id = $1", 1); err != nil { // want `info: Payments writes payments via pgx`
		return err
	}
	b := &pgx.Batch{}
	b.Queue("INSERT INTO refunds (payment_id) VALUES ($1)", 1) // want `info: Payments writes refunds via pgx`
	return pool.SendBatch(ctx, b)
}

// A query interface of the program's own (as sqlc generates) counts when
// its query is SQL.
type DBTX interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

const deleteCart = `-- name: DeleteCart :exec
DELETE FROM carts WHERE user_id = $1`

func DeleteCart(ctx context.Context, db DBTX, user int) error {
	_, err := db.ExecContext(ctx, deleteCart, user) // want `info: DeleteCart writes carts via interface`
	return err
}

// Harmless: a method called Exec that takes no SQL is not reported.
type Runner interface {
	Exec(ctx context.Context, command string) error
}

func Run(ctx context.Context, r Runner) error { return r.Exec(ctx, "make all") }
