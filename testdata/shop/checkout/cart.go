package checkout

import (
	"context"
	"fmt"
	"time"

	"example.com/shop/catalog"
	"example.com/shop/money"
)

// maxQuantity is the most units of one product a cart may hold.
const maxQuantity = 20

// Cart is a user's selection before checkout.
type Cart struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Items     []CartItem `json:"items"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// CartItem is a quantity of a product at the price shown when it was
// added.
type CartItem struct {
	ProductID int64       `json:"product_id"`
	Name      string      `json:"name"`
	Quantity  int         `json:"quantity"`
	UnitPrice money.Money `json:"unit_price"`
	// InStock is false when the quantity exceeds the stock available now.
	InStock bool `json:"in_stock"`
}

// Subtotal sums the cart's lines.
func (c Cart) Subtotal() (money.Money, error) {
	var total money.Money
	for _, it := range c.Items {
		var err error
		if total, err = total.Add(it.UnitPrice.Mul(it.Quantity)); err != nil {
			return money.Money{}, err
		}
	}
	return total, nil
}

// Cart returns the user's cart.
func (s *Service) Cart(ctx context.Context, userID int64) (Cart, error) {
	return s.carts.Cart(ctx, userID)
}

// AddToCart adds qty units of a product to the user's cart at the current
// price.
func (s *Service) AddToCart(ctx context.Context, userID, productID int64, qty int) (Cart, error) {
	if qty <= 0 {
		return Cart{}, ErrInvalidQuantity
	}
	p, err := s.catalog.Product(ctx, productID)
	if err != nil {
		return Cart{}, err
	}
	cart, err := s.carts.Cart(ctx, userID)
	if err != nil {
		return Cart{}, err
	}
	for _, it := range cart.Items {
		if it.ProductID == productID {
			qty += it.Quantity
		}
	}
	if qty > maxQuantity {
		return Cart{}, fmt.Errorf("%w: at most %d per product", ErrInvalidQuantity, maxQuantity)
	}
	if !p.InStock(qty) {
		return Cart{}, catalog.ErrInsufficientStock
	}
	item := CartItem{ProductID: p.ID, Name: p.Name, Quantity: qty, UnitPrice: p.Price}
	if err := s.carts.SetItem(ctx, cart.ID, item); err != nil {
		return Cart{}, err
	}
	return s.carts.Cart(ctx, userID)
}

// RemoveFromCart takes a product out of the user's cart.
func (s *Service) RemoveFromCart(ctx context.Context, userID, productID int64) (Cart, error) {
	cart, err := s.carts.Cart(ctx, userID)
	if err != nil {
		return Cart{}, err
	}
	if err := s.carts.RemoveItem(ctx, cart.ID, productID); err != nil {
		return Cart{}, err
	}
	return s.carts.Cart(ctx, userID)
}

// reprice brings the cart's prices up to date with the catalog and returns
// the order items it becomes, with their total weight.
func (s *Service) reprice(ctx context.Context, cart Cart) ([]OrderItem, int, error) {
	items := make([]OrderItem, 0, len(cart.Items))
	weight := 0
	for _, it := range cart.Items {
		p, err := s.catalog.Product(ctx, it.ProductID)
		if err != nil {
			return nil, 0, fmt.Errorf("checkout: %s: %w", it.Name, err)
		}
		if !p.InStock(it.Quantity) {
			return nil, 0, fmt.Errorf("checkout: %s: %w", p.Name, catalog.ErrInsufficientStock)
		}
		if !p.Price.Equal(it.UnitPrice) {
			it.UnitPrice = p.Price
			if err := s.carts.SetItem(ctx, cart.ID, it); err != nil {
				return nil, 0, err
			}
		}
		items = append(items, OrderItem{
			ProductID: p.ID,
			SKU:       p.SKU,
			Name:      p.Name,
			Quantity:  it.Quantity,
			UnitPrice: p.Price,
		})
		weight += p.WeightGrams * it.Quantity
	}
	return items, weight, nil
}
