package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"example.com/shop/catalog"
	"example.com/shop/money"
)

// ListProducts lists active products: GET /products?limit=&offset=&instock=1.
func (s *Server) ListProducts(w http.ResponseWriter, r *http.Request) {
	f, err := listFilter(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	products, err := s.Catalog.List(r.Context(), f)
	if err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, products)
}

// GetProduct returns one product.
func (s *Server) GetProduct(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	p, err := s.Catalog.Product(r.Context(), id)
	if err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// ListCategories returns the category tree.
func (s *Server) ListCategories(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, catalog.Categories())
}

// CategoryProducts lists the products of a category and its
// subcategories.
func (s *Server) CategoryProducts(w http.ResponseWriter, r *http.Request) {
	f, err := listFilter(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	slug := r.PathValue("slug")
	products, err := s.Catalog.InCategory(r.Context(), slug, f)
	if err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, products)
}

// SearchProducts runs a catalog search: GET /search?q=.
func (s *Server) SearchProducts(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		writeError(w, http.StatusBadRequest, "missing query")
		return
	}
	limit, err := queryInt(r, "limit", 20)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	products, err := s.Catalog.Search(r.Context(), q, limit)
	if err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": q, "products": products})
}

type productRequest struct {
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Price       string `json:"price"`
	WeightGrams int    `json:"weight_grams"`
	Stock       int    `json:"stock"`
}

// CreateProduct adds a product to the catalog.
func (s *Server) CreateProduct(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	var req productRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	price, err := money.Parse(req.Price)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	c, ok := catalog.CategoryBySlug(req.Category)
	if !ok {
		writeError(w, http.StatusBadRequest, catalog.ErrCategoryNotFound.Error())
		return
	}
	p, err := s.Catalog.Create(r.Context(), catalog.Product{
		SKU:         req.SKU,
		Name:        req.Name,
		Description: req.Description,
		CategoryID:  c.ID,
		Price:       price,
		WeightGrams: req.WeightGrams,
		Available:   req.Stock,
	})
	if err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	w.Header().Set("Location", "/products/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, p)
}

// SetStock records a counted stock level: PUT /admin/products/{id}/stock.
func (s *Server) SetStock(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var req struct {
		Available int `json:"available"`
	}
	if err := decode(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.Catalog.SetStock(r.Context(), id, req.Available); err != nil {
		fail(w, r, catalogStatus(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func listFilter(r *http.Request) (catalog.Filter, error) {
	limit, err := queryInt(r, "limit", 50)
	if err != nil {
		return catalog.Filter{}, err
	}
	offset, err := queryInt(r, "offset", 0)
	if err != nil {
		return catalog.Filter{}, err
	}
	return catalog.Filter{
		Limit:    limit,
		Offset:   offset,
		InStock:  r.URL.Query().Get("instock") == "1",
		NameLike: r.URL.Query().Get("name"),
	}, nil
}

func catalogStatus(err error) int {
	switch {
	case errors.Is(err, catalog.ErrProductNotFound), errors.Is(err, catalog.ErrCategoryNotFound):
		return http.StatusNotFound
	case errors.Is(err, catalog.ErrInvalidProduct), errors.Is(err, money.ErrInvalidAmount):
		return http.StatusUnprocessableEntity
	case errors.Is(err, catalog.ErrInsufficientStock):
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}
