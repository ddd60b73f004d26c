package views

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// xeroTotal is the Xero total with its currency, as the OpenCart total.
func xeroTotal(r Row) string {
	if r.XeroTotal == "" {
		return ""
	}
	return strings.TrimSpace(r.Currency + " " + r.XeroTotal)
}

// matchText says in a mark whether the totals match — ✓ or ✗ as text,
// not colour alone; empty when nothing was compared.
func matchText(r Row) string {
	switch {
	case r.Export.Match == nil:
		return ""
	case *r.Export.Match:
		return "✓ same"
	}
	return "✗ differs"
}

// kindButtonText is the per-kind export button's text.
func (s *listScreen) kindButtonText() string {
	return map[ListKind]string{ListCustomers: "Export all new customers", ListOrders: "Export all new orders",
		ListCreditNotes: "Export all new credit notes", ListPayments: "Export all new payments"}[s.kind]
}

// filterSoon applies typed filters after typing pauses.
func (s *listScreen) filterSoon() {
	if s.debounce != nil {
		s.debounce.Stop()
	}
	s.debounce = time.AfterFunc(300*time.Millisecond, func() { do(s.filtersChanged) })
}

// filtersChanged starts the list over for new filters or a new order: at
// the top (a scroll position past the new, shorter list would show an
// empty grid) and with no row chosen that the new list may hide (Preview
// would open an order no longer shown).
func (s *listScreen) filtersChanged() {
	if s.table == nil {
		return
	}
	s.table.ScrollToTop()
	s.current = nil
	s.selected = map[int]bool{}
	s.preview.Disable()
	s.openXero.Hide()
	s.exportSe.SetText("Export selected")
	s.exportSe.Disable()
	s.detail.SetText("Click a row to see its details; click ☐ to select it.")
	s.reload()
}

// dayFirst tells, from the computer's language, how a date written with
// slashes reads: true day/month/year (most of the world), false
// month/day/year (US English); ok false when the language does not say.
func dayFirst(locale string) (first, ok bool) {
	locale = strings.ReplaceAll(locale, "_", "-")
	lng, region, _ := strings.Cut(locale, "-")
	switch {
	case lng == "" || strings.EqualFold(lng, "C") || strings.EqualFold(lng, "POSIX"):
		return false, false
	case strings.EqualFold(lng, "en") && (region == "" || strings.EqualFold(region, "US")):
		return false, true
	}
	return true, true
}

// systemLocale is the computer's language; tests replace it.
var systemLocale = func() string { return string(lang.SystemLocale()) }

// datePlaceholder shows the date form of the computer's language (the
// filter also takes YYYY-MM-DD, which a refusal names): both did not fit
// the filter's width.
func datePlaceholder() string {
	if first, ok := dayFirst(systemLocale()); ok && first {
		return "DD/MM/YYYY"
	} else if ok {
		return "MM/DD/YYYY"
	}
	return "YYYY-MM-DD"
}

// parseDate reads a date as typed: YYYY-MM-DD always, and D/M/YYYY or
// M/D/YYYY (also with dots or dashes) as the computer's language writes
// dates; "" is no date. When the language does not say which comes first,
// it says so rather than guess.
func parseDate(v string) (time.Time, error) { return parseDateIn(v, systemLocale()) }

// parseDateIn is parseDate for the language locale ("en-GB", "en_US").
func parseDateIn(v, locale string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	first, ok := dayFirst(locale)
	layouts := []string{"2/1/2006", "2.1.2006", "2-1-2006"}
	if !first {
		layouts = []string{"1/2/2006", "1.2.2006", "1-2-2006"}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil {
			if !ok {
				return time.Time{}, fmt.Errorf("write the date as YYYY-MM-DD (e.g. 2026-11-01): this computer's language does not say whether %s is day/month or month/day", v)
			}
			return t, nil
		}
	}
	if ok && first {
		return time.Time{}, fmt.Errorf("a date is written YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-11-01 or 01/11/2026")
	} else if ok {
		return time.Time{}, fmt.Errorf("a date is written YYYY-MM-DD or MM/DD/YYYY, e.g. 2026-11-01 or 11/01/2026")
	}
	return time.Time{}, fmt.Errorf("a date is written YYYY-MM-DD, e.g. 2026-11-01")
}

// checkDate is parseDate as an entry's validator.
func checkDate(v string) error {
	_, err := parseDate(v)
	return err
}
