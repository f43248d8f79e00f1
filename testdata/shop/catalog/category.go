package catalog

import (
	"context"
	"slices"
)

// Category groups products. Categories form a tree through ParentID.
type Category struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	ParentID int64  `json:"parent_id,omitempty"`
}

// The indexes below are built from generatedCategories by init and only
// read afterwards.
var (
	categoriesBySlug map[string]Category
	categoriesByID   map[int64]Category
	categoryChildren map[int64][]int64
)

func init() {
	categoriesBySlug = make(map[string]Category, len(generatedCategories))
	categoriesByID = make(map[int64]Category, len(generatedCategories))
	categoryChildren = make(map[int64][]int64)
	for _, c := range generatedCategories {
		categoriesBySlug[c.Slug] = c
		categoriesByID[c.ID] = c
		if c.ParentID != 0 {
			categoryChildren[c.ParentID] = append(categoryChildren[c.ParentID], c.ID)
		}
	}
}

// Categories returns the whole category tree, parents before children.
func Categories() []Category {
	return slices.Clone(generatedCategories[:])
}

// CategoryBySlug looks a category up by its URL slug.
func CategoryBySlug(slug string) (Category, bool) {
	c, ok := categoriesBySlug[slug]
	return c, ok
}

// CategoryByID looks a category up by id.
func CategoryByID(id int64) (Category, bool) {
	c, ok := categoriesByID[id]
	return c, ok
}

// Descendants returns the ids of every category below id.
func Descendants(id int64) []int64 {
	var out []int64
	queue := slices.Clone(categoryChildren[id])
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		out = append(out, next)
		queue = append(queue, categoryChildren[next]...)
	}
	return out
}

// SyncCategories writes the generated category tree to the database so
// that product queries can join on it. It runs at start-up.
func (s *Service) SyncCategories(ctx context.Context) error {
	return s.products.UpsertCategories(ctx, Categories())
}
