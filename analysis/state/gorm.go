package state

import (
	"fmt"
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ssa"
)

// gormMethods are the *gorm.DB methods that touch a model's table: true
// for writes. Their first parameter is the model or destination.
var gormMethods = map[string]bool{
	"First": false, "Find": false, "Take": false, "Last": false, "Related": false,
	"FindInBatches": false, "FirstOrInit": false,
	"Create": true, "Save": true, "Delete": true, "FirstOrCreate": true, "CreateInBatches": true,
	"AutoMigrate": true,
}

// gormChainMethods touch the table named by the chain's Model or Table
// call (or their argument, if it is a model).
var gormChainMethods = map[string]bool{
	"Count": false, "Pluck": false, "Scan": false, "Row": false, "Rows": false,
	"Update": true, "Updates": true, "UpdateColumn": true, "UpdateColumns": true,
}

// gormCall records the tables of a GORM call and reports whether the call
// was one.
func (p *pass) gormCall(fn *ssa.Function, instr ssa.Instruction, c *ssa.CallCommon, f *types.Func) bool {
	write, direct := gormMethods[f.Name()]
	cwrite, chained := gormChainMethods[f.Name()]
	if !direct && !chained {
		return false
	}
	if chained {
		write = cwrite
	}
	if _, typ := recvType(f); typ != "DB" {
		return false
	}
	tables, unknown, raw := p.gormChain(receiverArg(c), 16)
	if raw {
		return true // the chain's SQL is recorded at its Raw or Exec call
	}
	args := params(c)
	// Related reads the related model's table as well as the chain's.
	if (len(tables) == 0 || f.Name() == "Related") && len(args) > 0 {
		var vals []ssa.Value
		if f.Name() == "AutoMigrate" {
			vals = variadicValues(args[len(args)-1])
		} else {
			vals = []ssa.Value{args[0]}
		}
		for _, v := range vals {
			t, why := p.modelTable(argType(v))
			switch {
			case t != "":
				tables = append(tables, t)
			case why != "" && direct:
				unknown = why
			}
		}
	}
	if f.Name() == "FirstOrCreate" {
		// reads, then writes if absent
		var ts []TableAccess
		for _, t := range tables {
			ts = append(ts, p.table(fn, instr, t, false, "gorm"), p.table(fn, instr, t, true, "gorm"))
		}
		p.reportORM(fn, instr, f, ts, unknown)
		return true
	}
	var ts []TableAccess
	for _, t := range tables {
		ts = append(ts, p.table(fn, instr, t, write, "gorm"))
	}
	p.reportORM(fn, instr, f, ts, unknown)
	return true
}

func (p *pass) reportORM(fn *ssa.Function, instr ssa.Instruction, f *types.Func, ts []TableAccess, unknown string) {
	call := callName(f)
	if len(ts) == 0 {
		if unknown == "" {
			unknown = "the model is not known statically"
		}
		fd := p.siteFinding(SQLDynamic, fn, instr)
		fd.Object = call
		fd.Message = fmt.Sprintf("%s in %s: unknown tables (%s)", call, shortName(fd.Decl), unknown)
		p.add(fd)
		return
	}
	fd := p.siteFinding(SQLTables, fn, instr)
	fd.Object = call
	fd.Tables = dedupeTables(ts)
	fd.Message = fmt.Sprintf("%s %s via gorm", shortName(fd.Decl), describeTables(fd.Tables))
	p.add(fd)
}

// gormChain follows a *gorm.DB receiver back through the calls that built
// it (db.Model(&u).Where(...)) to a Model or Table call, and returns the
// tables they name.
func (p *pass) gormChain(v ssa.Value, depth int) (tables []string, unknown string, raw bool) {
	for ; depth > 0 && v != nil; depth-- {
		call, ok := v.(*ssa.Call)
		if !ok {
			return nil, "", false
		}
		f := calleeFunc(&call.Call)
		if libraryOf(f) != "gorm" {
			return nil, "", false
		}
		args := params(&call.Call)
		switch f.Name() {
		case "Raw", "Exec":
			return nil, "", true
		case "Model":
			if len(args) > 0 {
				t, why := p.modelTable(argType(args[0]))
				if t == "" {
					return nil, why, false
				}
				return []string{t}, "", false
			}
		case "Table":
			if len(args) > 0 {
				if s, ok := constString(args[0]); ok && strings.TrimSpace(s) != "" {
					return []string{strings.Fields(s)[0]}, "", false
				}
				return nil, "table name built at run time", false
			}
		}
		v = receiverArg(&call.Call)
	}
	return nil, "", false
}

// argType returns the dynamic type of an argument passed as an interface.
func argType(v ssa.Value) types.Type {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		return mi.X.Type()
	}
	return v.Type()
}

// variadicValues returns the values stored into a variadic argument.
func variadicValues(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	var out []ssa.Value
	if refs := sl.X.Referrers(); refs != nil {
		for _, r := range *refs {
			if ia, ok := r.(*ssa.IndexAddr); ok {
				for _, rr := range *ia.Referrers() {
					if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
						out = append(out, st.Val)
					}
				}
			}
		}
	}
	return out
}

// modelTable returns the table of a GORM model type: the constant its
// TableName method returns, or the snake_case plural of its name (GORM's
// default naming). It returns why not when the type is not a model.
func (p *pass) modelTable(t types.Type) (table, why string) {
	for {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		}
		break
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return "", "the model is not known statically"
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return "", "the model is not known statically"
	}
	if sel := types.NewMethodSet(types.NewPointer(named)).Lookup(named.Obj().Pkg(), "TableName"); sel != nil {
		fn := p.pkg.Prog.FuncValue(sel.Obj().(*types.Func))
		if s, ok := returnedConst(fn); ok {
			return s, ""
		}
		return "", named.Obj().Name() + ".TableName is not a constant"
	}
	return GormTableName(named.Obj().Name()), ""
}

// returnedConst returns the string constant fn always returns.
func returnedConst(fn *ssa.Function) (string, bool) {
	if fn == nil || fn.Blocks == nil {
		return "", false
	}
	val, found := "", false
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		s, ok := constString(ret.Results[0])
		if !ok || (found && s != val) {
			return "", false
		}
		val, found = s, true
	}
	return val, found
}

// GormTableName returns the table GORM's default naming strategy gives a
// model type: snake_case, last word plural ("UserProfile" → "user_profiles").
func GormTableName(typeName string) string {
	snake := snakeCase(typeName)
	i := strings.LastIndex(snake, "_")
	return snake[:i+1] + plural(snake[i+1:])
}

// snakeCase converts a Go name to snake_case, keeping initialisms as one
// word ("HTTPServer" → "http_server", "UserID" → "user_id").
func snakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				(i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var irregularPlurals = map[string]string{
	"person": "people", "man": "men", "woman": "women", "child": "children", "tooth": "teeth",
	"foot": "feet", "mouse": "mice", "goose": "geese", "ox": "oxen", "move": "moves", "sex": "sexes",
	"zombie": "zombies",
}

var uncountable = map[string]bool{
	"equipment": true, "information": true, "rice": true, "money": true, "species": true,
	"series": true, "fish": true, "sheep": true, "jeans": true, "police": true, "news": true,
}

// plural inflects an English noun the way GORM's inflection library does
// for the common cases.
func plural(w string) string {
	if w == "" || uncountable[w] {
		return w
	}
	if p, ok := irregularPlurals[w]; ok {
		return p
	}
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	n := len(w)
	switch {
	case strings.HasSuffix(w, "quiz"):
		return w + "zes"
	case strings.HasSuffix(w, "matrix") || strings.HasSuffix(w, "vertex") || strings.HasSuffix(w, "index"):
		return w[:n-2] + "ices"
	case strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh") || strings.HasSuffix(w, "ss") ||
		strings.HasSuffix(w, "x") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "sis"):
		if strings.HasSuffix(w, "sis") {
			return w[:n-2] + "es"
		}
		return w + "es"
	case n > 1 && w[n-1] == 'y' && !vowel(w[n-2]):
		return w[:n-1] + "ies"
	case strings.HasSuffix(w, "fe") && n > 2 && w[n-3] != 'f':
		return w[:n-2] + "ves"
	case n > 1 && w[n-1] == 'f' && (w[n-2] == 'l' || w[n-2] == 'r'):
		return w[:n-1] + "ves"
	case strings.HasSuffix(w, "s"):
		return w
	}
	return w + "s"
}
