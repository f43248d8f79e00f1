// Package invoice renders invoices for paid orders and files them on disk.
package invoice

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"example.com/shop/money"
)

// ErrNoInvoice is returned when an order has no invoice on file.
var ErrNoInvoice = errors.New("invoice: no invoice on file")

// Document is an invoice.
type Document struct {
	OrderID  int64
	IssuedAt time.Time
	BillTo   []string
	Lines    []Line
	Subtotal money.Money
	Tax      money.Money
	TaxRate  int64
	Shipping money.Money
	Total    money.Money
}

// Line is one invoiced item.
type Line struct {
	Description string
	Quantity    int
	UnitPrice   money.Money
	Amount      money.Money
}

// Number is the invoice number of an order, e.g. "INV-2024-00001234".
func (d Document) Number() string {
	return fmt.Sprintf("INV-%d-%08d", d.IssuedAt.Year(), d.OrderID)
}

// Writer files invoices in a directory, one file per order.
type Writer struct {
	dir string
}

// NewWriter returns a writer filing into dir, creating it if needed.
func NewWriter(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("invoice: %w", err)
	}
	return &Writer{dir: dir}, nil
}

// Write renders doc and files it, replacing any earlier version. It
// returns the file's path.
func (w *Writer) Write(doc Document) (string, error) {
	var buf bytes.Buffer
	if err := Render(&buf, doc); err != nil {
		return "", err
	}
	path := w.path(doc.OrderID)
	if err := os.WriteFile(path, buf.Bytes(), 0o640); err != nil {
		return "", fmt.Errorf("invoice: write %s: %w", path, err)
	}
	return path, nil
}

// Read returns the filed invoice of an order.
func (w *Writer) Read(orderID int64) ([]byte, error) {
	b, err := os.ReadFile(w.path(orderID))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoInvoice
	}
	return b, err
}

func (w *Writer) path(orderID int64) string {
	return filepath.Join(w.dir, fmt.Sprintf("invoice-%08d.txt", orderID))
}

// Render writes doc as plain text.
func Render(out io.Writer, doc Document) error {
	fmt.Fprintf(out, "Invoice %s\nDate %s\n\n", doc.Number(), doc.IssuedAt.Format("2006-01-02"))
	for _, l := range doc.BillTo {
		fmt.Fprintln(out, l)
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Qty\tItem\tUnit price\tAmount\t")
	for _, l := range doc.Lines {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t\n", l.Quantity, l.Description, l.UnitPrice, l.Amount)
	}
	fmt.Fprintf(tw, "\t\tSubtotal\t%s\t\n", doc.Subtotal)
	fmt.Fprintf(tw, "\t\tVAT %d%%\t%s\t\n", doc.TaxRate, doc.Tax)
	fmt.Fprintf(tw, "\t\tShipping\t%s\t\n", doc.Shipping)
	fmt.Fprintf(tw, "\t\tTotal\t%s\t\n", doc.Total)
	return tw.Flush()
}
