package export

import (
	"strconv"
	"strings"

	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/mapping"
	"github.com/opencart-xero/opencart-xero/sync/opencart"
)

// Document numbers once Xero has voided or deleted a document.
//
// Xero never gives the number of a voided or deleted invoice or credit
// note back [XERO.md §5], so a document sent again for the same record
// after its first one was withdrawn (a run undone, a refund taken back and
// given again) needs another number. The rule, for invoices and credit
// notes alike: the base number with the next suffix, "-2", "-3", … after
// the last one used ("OC-4001" → "OC-4001-2" → "OC-4001-3"). The history
// knows the last one: a record put back to "not exported" keeps the number
// of its withdrawn document (XeroNumber) without a Xero id.

// DocumentNumber is the number a record's document goes to Xero under,
// given the base number the settings give it and the record's history: a
// record whose document was withdrawn (a number, no Xero id) gets the next
// suffix; a document in Xero under a suffixed number keeps that number;
// otherwise the base number.
func DocumentNumber(base string, rec history.Record) string {
	switch {
	case rec.XeroNumber == "" || base == "":
		return base
	case rec.XeroID == "":
		return reissuedNumber(base, rec.XeroNumber)
	case suffixOf(base, rec.XeroNumber) >= 2:
		return rec.XeroNumber
	}
	return base
}

// InvoiceNumber is the number of an order's invoice in Xero given its
// record (DocumentNumber of the settings' number): what the export sends
// and what a reconciliation looks for.
func InvoiceNumber(opt mapping.Options, o opencart.Order, rec history.Record) string {
	base, _ := opt.InvoiceNumberFor(o)
	return DocumentNumber(base, rec)
}

// reissuedNumber is the number of a document that replaces a withdrawn
// one for the same record: the base number with the next suffix after the
// last one used ("OC-CN-7" after "OC-CN-7" is "OC-CN-7-2", after
// "OC-CN-7-2" it is "OC-CN-7-3").
func reissuedNumber(base, last string) string {
	return base + "-" + strconv.Itoa(max(suffixOf(base, last), 1)+1)
}

// suffixOf is k when number is base-k (k ≥ 2), 1 when it is the base
// itself, 0 otherwise.
func suffixOf(base, number string) int {
	if strings.EqualFold(base, number) {
		return 1
	}
	if rest, ok := strings.CutPrefix(strings.ToUpper(number), strings.ToUpper(base)+"-"); ok {
		if k, err := strconv.Atoi(rest); err == nil && k >= 2 {
			return k
		}
	}
	return 0
}
