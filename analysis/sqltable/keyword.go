package sqltable

// keyword identifies the words the parser acts on; other words are
// identifiers.
type keyword uint8

const (
	kwNone keyword = iota

	// Reserved: never a table name nor an alias, because each can follow a
	// table reference and start a clause.
	kwAll
	kwApply
	kwAs
	kwCase
	kwCross
	kwDefault
	kwDelete
	kwDistinct
	kwDo
	kwEnd
	kwExcept
	kwFetch
	kwFor
	kwForce
	kwFrom
	kwFull
	kwGroup
	kwHaving
	kwIgnore
	kwInner
	kwInsert
	kwIntersect
	kwInto
	kwIs
	kwJoin
	kwLateral
	kwLeft
	kwLimit
	kwLock
	kwMerge
	kwMinus
	kwNatural
	kwNot
	kwOffset
	kwOn
	kwOnly
	kwOrder
	kwOuter
	kwPartition
	kwQualify
	kwReturning
	kwRight
	kwSelect
	kwSet
	kwStraightJoin
	kwTable
	kwTablesample
	kwThen
	kwUnion
	kwUpdate
	kwUse
	kwUsing
	kwValues
	kwWhen
	kwWhere
	kwWindow
	kwWith
	lastReserved

	// Non-reserved: meaningful in some positions, names elsewhere
	// (a table may well be called "user" or "type").
	kwAlter
	kwCascade // also restrict, restart, continue: statement tails
	kwConcurrently
	kwCopy
	kwCreate
	kwDrop
	kwExists
	kwExplain
	kwIf
	kwIndex
	kwKey
	kwLike
	kwMaterialized
	kwModifier // low_priority, high_priority, delayed, quick, sql_*: MySQL hints
	kwNo
	kwObject // schema, database, sequence, ...: objects that are not tables
	kwOr
	kwOrdinality
	kwOutfile
	kwOverriding
	kwRecursive
	kwRename
	kwReplace
	kwRoutine // function, procedure, trigger, rule, policy: code or events
	kwSearch  // also cycle: CTE clauses
	kwSession // begin, commit, show, ...: statements that touch no table
	kwShare
	kwTemp // temp, temporary, unlogged, global, local
	kwTo
	kwTop
	kwTruncate
	kwUnique
	kwUpsert
	kwValue
	kwView
)

func reserved(k keyword) bool { return k != kwNone && k < lastReserved }

// stops are the keywords that end an expression at parenthesis depth 0:
// each starts a clause (or a table reference) the parser must see.
var stops = [256]bool{
	kwFrom: true, kwWhere: true, kwGroup: true, kwHaving: true, kwOrder: true,
	kwLimit: true, kwOffset: true, kwFetch: true, kwFor: true, kwUnion: true,
	kwIntersect: true, kwExcept: true, kwMinus: true, kwWindow: true,
	kwQualify: true, kwInto: true, kwJoin: true, kwInner: true, kwLeft: true,
	kwRight: true, kwFull: true, kwCross: true, kwNatural: true, kwOuter: true,
	kwApply: true, kwStraightJoin: true, kwOn: true, kwUsing: true,
	kwReturning: true, kwSet: true, kwSelect: true, kwLock: true,
}

var keywords = map[string]keyword{
	"all": kwAll, "apply": kwApply, "as": kwAs, "case": kwCase, "cross": kwCross,
	"default": kwDefault, "delete": kwDelete, "distinct": kwDistinct,
	"distinctrow": kwDistinct, "do": kwDo, "end": kwEnd, "except": kwExcept,
	"fetch": kwFetch, "for": kwFor, "force": kwForce, "from": kwFrom,
	"full": kwFull, "group": kwGroup, "having": kwHaving, "ignore": kwIgnore,
	"inner": kwInner, "insert": kwInsert, "intersect": kwIntersect,
	"into": kwInto, "is": kwIs, "join": kwJoin, "lateral": kwLateral,
	"left": kwLeft, "limit": kwLimit, "lock": kwLock, "merge": kwMerge,
	"minus": kwMinus, "natural": kwNatural, "not": kwNot, "offset": kwOffset,
	"on": kwOn, "only": kwOnly, "order": kwOrder, "outer": kwOuter,
	"partition": kwPartition, "qualify": kwQualify, "returning": kwReturning,
	"right": kwRight, "select": kwSelect, "set": kwSet,
	"straight_join": kwStraightJoin, "table": kwTable,
	"tablesample": kwTablesample, "then": kwThen, "union": kwUnion,
	"update": kwUpdate, "use": kwUse, "using": kwUsing, "values": kwValues,
	"when": kwWhen, "where": kwWhere, "window": kwWindow, "with": kwWith,

	"alter": kwAlter, "cascade": kwCascade, "restrict": kwCascade,
	"restart": kwCascade, "continue": kwCascade, "concurrently": kwConcurrently,
	"copy": kwCopy, "create": kwCreate, "drop": kwDrop, "exists": kwExists,
	"explain": kwExplain, "if": kwIf, "index": kwIndex, "key": kwKey,
	"like": kwLike, "materialized": kwMaterialized, "no": kwNo, "or": kwOr,
	"ordinality": kwOrdinality, "outfile": kwOutfile, "dumpfile": kwOutfile,
	"overriding": kwOverriding, "recursive": kwRecursive, "rename": kwRename,
	"replace": kwReplace, "share": kwShare, "to": kwTo, "top": kwTop,
	"truncate": kwTruncate, "unique": kwUnique, "upsert": kwUpsert,
	"value": kwValue, "view": kwView, "search": kwSearch, "cycle": kwSearch,

	"low_priority": kwModifier, "high_priority": kwModifier,
	"delayed": kwModifier, "quick": kwModifier,
	"sql_calc_found_rows": kwModifier, "sql_no_cache": kwModifier,
	"sql_cache": kwModifier, "sql_small_result": kwModifier,
	"sql_big_result": kwModifier, "sql_buffer_result": kwModifier,

	"temp": kwTemp, "temporary": kwTemp, "unlogged": kwTemp, "global": kwTemp,
	"local": kwTemp,

	"schema": kwObject, "database": kwObject, "extension": kwObject,
	"sequence": kwObject, "type": kwObject, "role": kwObject, "user": kwObject,
	"domain": kwObject, "collation": kwObject,

	"function": kwRoutine, "procedure": kwRoutine, "trigger": kwRoutine,
	"rule": kwRoutine, "policy": kwRoutine,

	"begin": kwSession, "commit": kwSession, "rollback": kwSession,
	"start": kwSession, "savepoint": kwSession, "release": kwSession,
	"show": kwSession, "reset": kwSession, "discard": kwSession,
	"listen": kwSession, "unlisten": kwSession, "notify": kwSession,
	"deallocate": kwSession, "abort": kwSession,
}

// byShape holds the keywords by first letter and length: most words are
// rejected, or found, after a comparison or two, without hashing.
var byShape [26][maxKeyword + 1][]kwEntry

type kwEntry struct {
	word string
	kw   keyword
}

const maxKeyword = 19 // len("sql_calc_found_rows")

func init() {
	for w, k := range keywords {
		e := &byShape[w[0]-'a'][len(w)]
		*e = append(*e, kwEntry{w, k})
	}
}

// lookup finds the keyword w spells, in any case.
func lookup(w string) keyword {
	if len(w) < 2 || len(w) > maxKeyword {
		return kwNone
	}
	c := w[0] | 0x20
	if c < 'a' || c > 'z' {
		return kwNone
	}
next:
	for _, e := range byShape[c-'a'][len(w)] {
		for i := 1; i < len(w); i++ {
			b := w[i]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			if b != e.word[i] {
				continue next
			}
		}
		return e.kw
	}
	return kwNone
}
