package catalog

import (
	"context"
	"errors"
	"fmt"
)

// Line is a quantity of one product, as reserved for an order.
type Line struct {
	ProductID int64
	Quantity  int
}

// Reserve takes the quantities of lines out of available stock. Either all
// lines are reserved or, on error, none are.
func (s *Service) Reserve(ctx context.Context, lines []Line) error {
	for i, l := range lines {
		if l.Quantity <= 0 {
			return fmt.Errorf("catalog: reserve %d units of product %d", l.Quantity, l.ProductID)
		}
		if err := s.stock.Reserve(ctx, l.ProductID, l.Quantity); err != nil {
			if relErr := s.release(ctx, lines[:i]); relErr != nil {
				err = errors.Join(err, relErr)
			}
			return fmt.Errorf("catalog: reserve product %d: %w", l.ProductID, err)
		}
		invalidateProduct(l.ProductID)
	}
	return nil
}

// Release returns the quantities of lines to available stock, as when an
// order is cancelled or expires unpaid.
func (s *Service) Release(ctx context.Context, lines []Line) error {
	return s.release(ctx, lines)
}

func (s *Service) release(ctx context.Context, lines []Line) error {
	var errs []error
	for _, l := range lines {
		if err := s.stock.Release(ctx, l.ProductID, l.Quantity); err != nil {
			errs = append(errs, fmt.Errorf("release product %d: %w", l.ProductID, err))
			continue
		}
		invalidateProduct(l.ProductID)
	}
	return errors.Join(errs...)
}

// SetStock records a counted stock level for a product, as after a
// delivery from a supplier or an inventory count.
func (s *Service) SetStock(ctx context.Context, productID int64, available int) error {
	if available < 0 {
		return fmt.Errorf("catalog: negative stock level %d", available)
	}
	if err := s.stock.SetLevel(ctx, productID, available); err != nil {
		return err
	}
	invalidateProduct(productID)
	return nil
}
