// Package search parses catalog search queries and ranks products against
// them.
package search

import (
	"sort"
	"strings"
	"unicode"
)

// stopWords are ignored when matching.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "for": true, "in": true,
	"of": true, "on": true, "or": true, "the": true, "with": true,
}

// Query is a parsed search.
type Query struct {
	// Terms are the normalised words to match, in query order.
	Terms []string
	// Category is the slug given with "category:".
	Category string
	// MaxPrice is the decimal amount given with "max:".
	MaxPrice string
	// InStock is set by the "instock" keyword.
	InStock bool
}

// Parse reads a raw query. Besides free words it understands the filters
// "category:<slug>", "max:<amount>" and the keyword "instock".
func Parse(raw string) Query {
	var q Query
	for _, field := range strings.Fields(raw) {
		key, value, ok := strings.Cut(field, ":")
		switch {
		case ok && strings.EqualFold(key, "category"):
			q.Category = strings.ToLower(value)
		case ok && strings.EqualFold(key, "max"):
			q.MaxPrice = value
		case strings.EqualFold(field, "instock"):
			q.InStock = true
		default:
			q.Terms = append(q.Terms, Tokenize(field)...)
		}
	}
	return q
}

// Tokenize lower-cases s, splits it into words and drops stop words.
func Tokenize(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// Document is a searchable product.
type Document struct {
	ID    int64
	Title string
	Body  string
}

// Hit is a ranked match.
type Hit struct {
	ID    int64
	Score float64
}

const (
	titleWeight  = 3.0
	prefixWeight = 0.5
)

// Rank scores docs against q and returns those matching every term, best
// first. A term matches a word it equals or, at lower weight, a word it
// is a prefix of; title words count more than body words.
func Rank(q Query, docs []Document) []Hit {
	var hits []Hit
	for _, d := range docs {
		title := Tokenize(d.Title)
		body := Tokenize(d.Body)
		score := 0.0
		matchedAll := true
		for _, term := range q.Terms {
			s := titleWeight*termScore(term, title) + termScore(term, body)
			if s == 0 {
				matchedAll = false
				break
			}
			score += s
		}
		if matchedAll && score > 0 {
			hits = append(hits, Hit{ID: d.ID, Score: score / float64(1+len(body)/50)})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	return hits
}

func termScore(term string, words []string) float64 {
	score := 0.0
	for _, w := range words {
		switch {
		case w == term:
			score++
		case strings.HasPrefix(w, term):
			score += prefixWeight
		}
	}
	return score
}
