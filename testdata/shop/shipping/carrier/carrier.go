// Package carrier integrates the parcel carriers the shop ships with: their
// tariffs, label creation and tracking APIs.
package carrier

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

var (
	// ErrUnknownCarrier is returned for a carrier code that is not
	// registered.
	ErrUnknownCarrier = errors.New("carrier: unknown carrier")
	// ErrTrackingNotFound is returned when a carrier does not know a
	// tracking number.
	ErrTrackingNotFound = errors.New("carrier: tracking number not found")
)

// defaultTimeout bounds every call to a carrier API.
var defaultTimeout = 5 * time.Second

// carrierCodes maps carrier codes to the names shown to customers.
var carrierCodes = map[string]string{
	"dhl":    "DHL Paket",
	"gls":    "GLS",
	"postnl": "PostNL",
	"ups":    "UPS",
}

// euCountries are the destinations charged at the EU tariff.
var euCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true,
	"DK": true, "EE": true, "ES": true, "FI": true, "FR": true, "GR": true,
	"HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true,
	"SE": true, "SI": true, "SK": true,
}

// Address is where a parcel goes.
type Address struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
	Phone      string `json:"phone,omitempty"`
}

// Parcel is what a label is created for.
type Parcel struct {
	Reference   string  `json:"reference"`
	Service     string  `json:"service"`
	WeightGrams int     `json:"weight_grams"`
	Recipient   Address `json:"recipient"`
}

// Rate is the price of sending a parcel with one service, in euro cents.
type Rate struct {
	Carrier string
	Service string
	Cents   int64
	Days    int
}

// Label is a created shipping label.
type Label struct {
	TrackingNumber string `json:"tracking_number"`
	LabelURL       string `json:"label_url"`
}

// Event is a tracking event reported by a carrier.
type Event struct {
	At          time.Time `json:"at"`
	Code        string    `json:"code"`
	Location    string    `json:"location"`
	Description string    `json:"description"`
}

// Event codes the shop reacts to.
const (
	EventInTransit = "in_transit"
	EventDelivered = "delivered"
	EventException = "exception"
)

// Zone is a tariff zone relative to the carrier's home country.
type Zone string

// The tariff zones.
const (
	Domestic Zone = "domestic"
	EU       Zone = "eu"
	World    Zone = "world"
)

// ZoneOf returns the tariff zone of a destination country.
func ZoneOf(home, country string) Zone {
	country = strings.ToUpper(country)
	switch {
	case country == home:
		return Domestic
	case euCountries[country]:
		return EU
	default:
		return World
	}
}

// Name returns the customer-facing name of a carrier code.
func Name(code string) string {
	if n, ok := carrierCodes[code]; ok {
		return n
	}
	return strings.ToUpper(code)
}

// registry holds the carriers the shop can ship with, by code. It is
// filled by init and read-only afterwards.
var registry = map[string]*Carrier{}

func register(c *Carrier) {
	if _, dup := registry[c.Code]; dup {
		panic(fmt.Sprintf("carrier: %s registered twice", c.Code))
	}
	registry[c.Code] = c
}

func init() {
	register(&Carrier{
		Code:     "dhl",
		Home:     "DE",
		BaseURL:  "https://api.dhl.example/parcel/v2",
		TrackURL: "https://www.dhl.example/track?piececode=%s",
		KeyEnv:   "SHOP_DHL_API_KEY",
		Tariffs: []Tariff{
			{Service: "paket", Zone: Domestic, Days: 2, Brackets: []Bracket{{2000, 549}, {5000, 699}, {10000, 949}, {31500, 1949}}},
			{Service: "paket", Zone: EU, Days: 4, Brackets: []Bracket{{5000, 1699}, {10000, 2299}, {31500, 3999}}},
			{Service: "paket", Zone: World, Days: 8, Brackets: []Bracket{{5000, 3999}, {10000, 5499}, {31500, 8999}}},
		},
	})
	register(&Carrier{
		Code:     "gls",
		Home:     "DE",
		BaseURL:  "https://api.gls.example/shipit/v1",
		TrackURL: "https://gls.example/track/%s",
		KeyEnv:   "SHOP_GLS_API_KEY",
		Tariffs: []Tariff{
			{Service: "business", Zone: Domestic, Days: 2, Brackets: []Bracket{{3000, 495}, {8000, 745}, {40000, 1395}}},
			{Service: "business", Zone: EU, Days: 3, Brackets: []Bracket{{3000, 1295}, {8000, 1795}, {40000, 2995}}},
		},
	})
	register(&Carrier{
		Code:     "ups",
		Home:     "DE",
		BaseURL:  "https://onlinetools.ups.example/api/v1",
		TrackURL: "https://www.ups.example/track?tracknum=%s",
		KeyEnv:   "SHOP_UPS_API_KEY",
		Tariffs: []Tariff{
			{Service: "standard", Zone: Domestic, Days: 1, Brackets: []Bracket{{5000, 890}, {20000, 1490}, {70000, 3290}}},
			{Service: "standard", Zone: EU, Days: 3, Brackets: []Bracket{{5000, 1990}, {20000, 2990}, {70000, 5490}}},
			{Service: "express", Zone: World, Days: 3, Brackets: []Bracket{{5000, 5990}, {20000, 9990}, {70000, 17990}}},
		},
	})
}

// Lookup returns the carrier with the given code.
func Lookup(code string) (*Carrier, error) {
	c, ok := registry[code]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownCarrier, code)
	}
	return c, nil
}

// All returns every registered carrier, ordered by code.
func All() []*Carrier {
	out := make([]*Carrier, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Carrier) int { return strings.Compare(a.Code, b.Code) })
	return out
}
