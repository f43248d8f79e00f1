package scaffold

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
)

// initialisms are written in capitals when a name is exported, as Go code
// writes them.
var initialisms = map[string]string{
	"id": "ID", "url": "URL", "uri": "URI", "http": "HTTP", "json": "JSON", "api": "API", "ip": "IP",
	"sku": "SKU", "sql": "SQL", "uuid": "UUID", "html": "HTML", "xml": "XML", "rpc": "RPC", "tcp": "TCP",
}

// exported returns name with its first letter in upper case, a leading
// initialism in capitals ("id" → "ID", "urlFor" → "URLFor").
func exported(name string) string {
	name = identOnly(name)
	if name == "" {
		return ""
	}
	lead := leadingWord(name)
	if up, ok := initialisms[strings.ToLower(lead)]; ok && lead == strings.ToLower(lead) {
		return up + name[len(lead):]
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// leadingWord is name's first word in camel case: "orderID" → "order".
func leadingWord(name string) string {
	for i, r := range name {
		if i > 0 && (unicode.IsUpper(r) || unicode.IsDigit(r)) {
			return name[:i]
		}
	}
	return name
}

// identOnly keeps the letters, digits and underscores of s, and drops a
// leading digit.
func identOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len() == 0 && unicode.IsDigit(r) {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// camel joins the words of s (split at anything that is not a letter or a
// digit) into one exported identifier: "orders/{id}/pay" → "OrdersIDPay".
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(exported(w))
	}
	return identOnly(b.String())
}

// words splits a camel-case identifier into lower-case words, keeping runs
// of capitals together: "GetHTTPStats" → get, http, stats.
func words(ident string) []string {
	r := []rune(ident)
	var out []string
	start := 0
	for i := 1; i <= len(r); i++ {
		if i == len(r) {
			out = append(out, strings.ToLower(string(r[start:i])))
			break
		}
		prev, cur := r[i-1], r[i]
		next := rune(0)
		if i+1 < len(r) {
			next = r[i+1]
		}
		boundary := cur == '_' ||
			(unicode.IsUpper(cur) && (unicode.IsLower(prev) || unicode.IsDigit(prev))) ||
			(unicode.IsUpper(cur) && unicode.IsUpper(prev) && unicode.IsLower(next))
		if boundary {
			if w := strings.Trim(string(r[start:i]), "_"); w != "" {
				out = append(out, strings.ToLower(w))
			}
			start = i
			if cur == '_' {
				start = i + 1
			}
		}
	}
	var clean []string
	for _, w := range out {
		if w = strings.Trim(w, "_"); w != "" {
			clean = append(clean, w)
		}
	}
	return clean
}

// kebab is an identifier in kebab case, for folder names: "GetCart" → "get-cart".
func kebab(ident string) string { return strings.Join(words(ident), "-") }

// screaming is an identifier in upper snake case, for environment
// variables: "SessionsTable" → "SESSIONS_TABLE".
func screaming(ident string) string { return strings.ToUpper(strings.Join(words(ident), "_")) }

// lowerFirst returns ident with its first letter in lower case.
func lowerFirst(ident string) string {
	if ident == "" {
		return ""
	}
	r := []rune(ident)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// ValidContextName reports why name cannot name a context's folder and Go
// package, or nil. A name must be an ASCII Go identifier that is not a
// keyword, not "main" and not the blank identifier.
func ValidContextName(name string) error {
	if name == "" {
		return fmt.Errorf("a context has no name")
	}
	for i, r := range name {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("context name %q is not a valid folder and Go identifier (letters, digits and _, not starting with a digit): rename it in the plan, e.g. %q", name, suggestName(name))
		}
	}
	if token.IsKeyword(name) || name == "main" || name == "_" {
		return fmt.Errorf("context name %q cannot name a Go package: rename it in the plan", name)
	}
	return nil
}

func suggestName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9' && b.Len() > 0):
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '.' || r == '_':
			if b.Len() > 0 {
				b.WriteByte('_')
			}
		}
	}
	if s := strings.Trim(b.String(), "_"); s != "" {
		return s
	}
	return "context1"
}

// namer hands out identifiers that are unique in one Go package (or one
// template), in the order asked.
type namer struct{ taken map[string]bool }

func newNamer(reserved ...string) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, r := range reserved {
		n.taken[r] = true
	}
	return n
}

// pick returns the first candidate base whose derived names are all free,
// else the last candidate with a number, and takes its derived names.
func (n *namer) pick(candidates []string, derive func(base string) []string) string {
	if derive == nil {
		derive = func(b string) []string { return []string{b} }
	}
	free := func(base string) bool {
		if base == "" {
			return false
		}
		for _, d := range derive(base) {
			if n.taken[d] {
				return false
			}
		}
		return true
	}
	take := func(base string) string {
		for _, d := range derive(base) {
			n.taken[d] = true
		}
		return base
	}
	for _, c := range candidates {
		if free(c) {
			return take(c)
		}
	}
	last := candidates[len(candidates)-1]
	if last == "" {
		last = "X"
	}
	for i := 2; ; i++ {
		if c := fmt.Sprintf("%s%d", last, i); free(c) {
			return take(c)
		}
	}
}

// declParts splits a declaration ID ("example.com/shop/handlers.Server.GetCart")
// into its package path, receiver type (if a method) and name, using the
// known packages to find where the path ends.
func declParts(id string, known map[string]bool) (pkg, recv, name string) {
	best := ""
	for p := range known {
		if len(p) > len(best) && strings.HasPrefix(id, p+".") {
			best = p
		}
	}
	rest := ""
	if best != "" {
		pkg, rest = best, id[len(best)+1:]
	} else {
		slash := strings.LastIndex(id, "/")
		dot := strings.Index(id[slash+1:], ".")
		if dot < 0 {
			return "", "", id
		}
		pkg, rest = id[:slash+1+dot], id[slash+1+dot+1:]
	}
	if i := strings.LastIndex(rest, "."); i >= 0 {
		return pkg, rest[:i], rest[i+1:]
	}
	return pkg, "", rest
}

// pkgName is the last element of an import path, as a Go identifier.
func pkgName(path string) string {
	if i := strings.LastIndex(path, "/"); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.Index(path, "."); i >= 0 {
		path = path[:i]
	}
	return identOnly(path)
}
