package xero

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestAmountJSON(t *testing.T) {
	tests := []struct {
		name string
		line LineItem
		want string
	}{
		{"unset amounts are left out", LineItem{Description: "x"}, `{"Description":"x"}`},
		{"given zero is sent as a number", LineItem{LineAmount: NewAmount(decimal.Zero)}, `{"LineAmount":0}`},
		{"four decimals kept as a JSON number", LineItem{UnitAmount: MustAmount("12.3456"), Quantity: MustAmount("2")}, `{"Quantity":2,"UnitAmount":12.3456}`},
		{"negative", LineItem{LineAmount: MustAmount("-0.01")}, `{"LineAmount":-0.01}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Fatalf("got %s, want %s", b, tt.want)
			}
		})
	}
}

func TestAmountUnmarshal(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		given   bool
		wantErr bool
	}{
		{`12.34`, "12.34", true, false},
		{`"12.34"`, "12.34", true, false},
		{`0`, "0", true, false},
		{`null`, "0", false, false},
		{`""`, "0", false, false},
		{`1e2`, "100", true, false},
		{`"abc"`, "", false, true},
		{`true`, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var a Amount
			err := json.Unmarshal([]byte(tt.in), &a)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if a.Given() != tt.given || !a.Decimal().Equal(decimal.RequireFromString(tt.want)) {
				t.Fatalf("got %v given=%v, want %s given=%v", a.Decimal(), a.Given(), tt.want, tt.given)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"/Date(1539993600000+0000)/", time.Date(2018, 10, 20, 0, 0, 0, 0, time.UTC), false},
		{"/Date(1539993600000)/", time.Date(2018, 10, 20, 0, 0, 0, 0, time.UTC), false},
		{"/Date(1539993600000+1300)/", time.Date(2018, 10, 20, 0, 0, 0, 0, time.UTC), false},
		{"/Date(-86400000+0000)/", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), false},
		{"2018-10-20", time.Date(2018, 10, 20, 0, 0, 0, 0, time.UTC), false},
		{"2018-10-20T00:00:00", time.Date(2018, 10, 20, 0, 0, 0, 0, time.UTC), false},
		{"2026-07-01T10:11:12.1234567", time.Date(2026, 7, 1, 10, 11, 12, 123456700, time.UTC), false},
		{"2026-07-01T10:11:12Z", time.Date(2026, 7, 1, 10, 11, 12, 0, time.UTC), false},
		{"2026-07-01T10:11:12+02:00", time.Date(2026, 7, 1, 8, 11, 12, 0, time.UTC), false},
		{"", time.Time{}, false},
		{"20/10/2018", time.Time{}, true},
		{"/Date(abc)/", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	inv := Invoice{Date: NewDate(2026, 1, 15), DueDate: Date{time.Date(2026, 2, 1, 23, 30, 0, 0, time.UTC)}}
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Date":"2026-01-15","DueDate":"2026-02-01"}`; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var back Invoice
	if err := json.Unmarshal([]byte(`{"Date":"/Date(1768435200000+0000)/","Total":120.5,"Unknown":{"x":[1]}}`), &back); err != nil {
		t.Fatal(err)
	}
	if !back.Date.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)) || back.Total.String() != "120.5" {
		t.Fatalf("read back %v %v", back.Date, back.Total)
	}
}

func TestTokenNeverPrints(t *testing.T) {
	tok := &Token{AccessToken: "ACCESS-SECRET", RefreshToken: "REFRESH-SECRET", Expiry: time.Now()}
	for _, f := range []string{"%v", "%+v", "%s", "%#v"} {
		s := strings.ReplaceAll(f, "%", "%%") + " " + fmt.Sprintf(f, tok)
		if strings.Contains(s, "SECRET") {
			t.Fatalf("%s prints a token: %s", f, s)
		}
	}
}
