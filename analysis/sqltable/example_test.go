package sqltable_test

import (
	"fmt"

	"decompose/analysis/sqltable"
)

func Example() {
	for _, q := range []string{
		`WITH gone AS (DELETE FROM carts WHERE updated < now() - interval '7 days' RETURNING id)
		 INSERT INTO cart_archive SELECT c.* FROM gone c JOIN users u ON u.id = c.user_id`,
		"SELECT * FROM %s WHERE id = $1",
		"Update failed: %v",
	} {
		if !sqltable.LooksLikeSQL(q) {
			fmt.Println("not SQL")
			continue
		}
		r := sqltable.Parse(q)
		if r.Unparsed {
			fmt.Println("unparsed:", r.Reason)
			continue
		}
		fmt.Println("reads", r.Reads, "writes", r.Writes)
	}
	// Output:
	// reads [users] writes [cart_archive carts]
	// unparsed: dynamic table name
	// not SQL
}
