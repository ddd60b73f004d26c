package export_test

import (
	"github.com/shopspring/decimal"
)

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func addText(a, b string) string {
	if a == "" {
		a = "0"
	}
	return mustDec(a).Add(mustDec(b)).String()
}

func mulText(price string, qty int) string {
	return mustDec(price).Mul(decimal.NewFromInt(int64(qty))).String()
}

func fixed2(s string) string {
	if s == "" {
		return ""
	}
	return mustDec(s).StringFixed(2)
}
