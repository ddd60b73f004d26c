package mapping

import (
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

func TestDisplayedTotal(t *testing.T) {
	cases := []struct {
		name     string
		currency string
		total    string // shop currency, as OpenCart stores it
		value    string // currency value
		dp       int    // the currency's decimals in OpenCart
		want     string // as written with DisplayedDecimals
	}{
		{"JPY, no decimals", "JPY", "10.0000", "161.2345", 0, "1612"},
		{"JPY, half a yen rounds away from zero", "JPY", "12.5000", "1", 0, "13"},
		{"KWD, 3 decimals capped at Xero's 2", "KWD", "100.0000", "0.33456", 3, "33.46"},
		{"EUR at 1.16", "EUR", "19.9900", "1.16", 2, "23.19"},
		{"no currency value: taken as it is", "EUR", "12.3450", "0", 2, "12.35"},
		{"negative currency value: taken as it is", "EUR", "12.3440", "-1.16", 2, "12.34"},
		{"invalid decimals: 2", "EUR", "12.3450", "1", -1, "12.35"},
		{"half a cent rounds away from zero", "GBP", "0.1250", "1", 2, "0.13"},
		{"half a cent of a negative total rounds away from zero", "GBP", "-0.1250", "1", 2, "-0.13"},
		{"half a cent after the currency value", "USD", "2.5000", "1.01", 2, "2.53"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := opencart.Order{Total: dec(c.total), CurrencyCode: c.currency, CurrencyValue: dec(c.value), CurrencyDecimalPlaces: c.dp}
			got := DisplayedTotal(o)
			if text := got.StringFixed(int32(DisplayedDecimals(o))); text != c.want {
				t.Errorf("DisplayedTotal %s, written %q; want %q", got, text, c.want)
			}
			if !got.Equal(dec(c.want)) {
				t.Errorf("DisplayedTotal %s, want %s", got, c.want)
			}
			if a := DisplayedAmount(o, o.Total); !a.Equal(got) {
				t.Errorf("DisplayedAmount of the total %s, DisplayedTotal %s", a, got)
			}
		})
	}
}
