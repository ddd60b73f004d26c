package app

import (
	"context"
	"fmt"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
)

// PreviewDocuments maps an order's credit notes or payment as they would
// be sent now, beside what Xero holds for those exported (nothing sent).
func (b *backend) PreviewDocuments(ctx context.Context, kind string, orderID int) ([]export.DocumentPreview, error) {
	e, err := b.engine(ctx, nil, true)
	if err != nil {
		return nil, err
	}
	switch kind {
	case history.KindCreditNote:
		return e.PreviewCreditNotes(ctx, orderID)
	case history.KindPayment:
		p, err := e.PreviewPayment(ctx, orderID)
		if err != nil {
			return nil, err
		}
		return []export.DocumentPreview{p}, nil
	}
	return nil, fmt.Errorf("no preview of a %s", kind)
}
