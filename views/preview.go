package views

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// previewDocument is the part of a Xero document the preview lists, read
// from the document's JSON (Xero's field names) whatever its Go type.
type previewDocument struct {
	Type          string
	InvoiceNumber string
	Reference     string
	Status        string
	CurrencyCode  string
	Contact       struct{ Name, ContactNumber string }
	LineItems     []struct {
		Description    string
		Quantity       json.Number
		UnitAmount     json.Number
		AccountCode    string
		TaxType        string
		TaxAmount      json.Number
		DiscountAmount json.Number
		LineAmount     json.Number
	}
}

// previewLines turns a document into a header line and a grid of cells:
// description, quantity, unit price, account, tax type, tax, amount.
func previewLines(doc any) (head string, cells [][]string, raw string, err error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", nil, "", fmt.Errorf("the document cannot be shown: %w", err)
	}
	var d previewDocument
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return "", nil, "", fmt.Errorf("the document cannot be shown: %w", err)
	}
	to := d.Contact.Name
	switch {
	case to == "":
		to = "contact " + d.Contact.ContactNumber
	case d.Contact.ContactNumber != "":
		to += " (" + d.Contact.ContactNumber + ")"
	}
	head = fmt.Sprintf("%s %s to %s · %s · %s", docName(d.Type), d.InvoiceNumber, to, d.Status, d.CurrencyCode)
	if d.Reference != "" {
		head += " · reference " + d.Reference
	}
	for _, l := range d.LineItems {
		amount := money(l.LineAmount)
		if l.DiscountAmount != "" {
			amount += " (discount " + money(l.DiscountAmount) + ")"
		}
		cells = append(cells, []string{l.Description, l.Quantity.String(), money(l.UnitAmount), l.AccountCode, l.TaxType, money(l.TaxAmount), amount})
	}
	return head, cells, string(b), nil
}

// money shows an amount with at least two decimals ("10" → "10.00");
// unit prices with more decimals keep them.
func money(n json.Number) string {
	if n == "" {
		return ""
	}
	d, err := decimal.NewFromString(n.String())
	if err != nil {
		return n.String()
	}
	return d.StringFixed(max(2, -d.Exponent()))
}

func docName(t string) string {
	switch t {
	case "ACCREC":
		return "Invoice"
	case "ACCRECCREDIT":
		return "Credit note"
	}
	return "Document"
}

// showPreview reads an order's preview in the background and shows it.
func showPreview(u *ui, orderID int) {
	background(u, func(ctx context.Context) (export.Preview, error) {
		return u.be.Preview(ctx, orderID)
	}, func(p export.Preview, err error) {
		if err != nil {
			u.showError(fmt.Sprintf("Preview of order %d", orderID), err)
			return
		}
		content, err := previewUI(u, p)
		if err != nil {
			u.showError(fmt.Sprintf("Preview of order %d", orderID), err)
			return
		}
		d := dialog.NewCustom(fmt.Sprintf("Order %d in Xero", orderID), "Close", content, u.win)
		d.Resize(fyne.NewSize(u.win.Canvas().Size().Width*0.92, u.win.Canvas().Size().Height*0.88))
		d.Show()
	})
}

// previewUI lays out the Xero document line by line beside OpenCart's
// totals, with whether they match.
func previewUI(u *ui, p export.Preview) (fyne.CanvasObject, error) {
	head, cells, raw, err := previewLines(p.Invoice)
	if err != nil {
		return nil, err
	}
	lines := container.NewGridWithColumns(7)
	for _, h := range []string{"Description", "Qty", "Unit price", "Account", "Tax type", "Tax", "Amount"} {
		lines.Add(heading(h))
	}
	for _, row := range cells {
		for i, c := range row {
			l := widget.NewLabel(c)
			if i == 0 {
				l.Wrapping = fyne.TextWrapWord
			}
			lines.Add(l)
		}
	}
	totals := container.NewGridWithColumns(2)
	for _, t := range p.Totals {
		totals.Add(widget.NewLabel(t.Title))
		totals.Add(widget.NewLabelWithStyle(t.Value, fyne.TextAlignTrailing, fyne.TextStyle{}))
	}
	match := "✔ the totals match"
	if !p.Match {
		match = "✘ the totals differ"
	}
	summary := fmt.Sprintf("OpenCart total %s %s · Xero total %s %s · %s", p.Currency, p.OpenCartTotal, p.Currency, p.XeroTotal, match)
	var problems []string
	for _, pr := range p.Problems {
		problems = append(problems, fmt.Sprintf("• %s: %s", pr.Field, pr.Message))
	}
	state := "Not exported yet: this is what will be sent."
	if p.Record.State != "" {
		state = fmt.Sprintf("Last export: %s %s", p.Record.State, p.Record.XeroNumber)
		if p.Record.Error != "" {
			state += " — " + p.Record.Error
		}
	}
	copyJSON := copyButton(u, "Copy the document (JSON)", func() string { return raw })
	left := container.NewBorder(container.NewVBox(note(head), heading("Xero document, line by line")), nil, nil, nil, container.NewVScroll(container.NewVBox(lines)))
	right := container.NewBorder(heading("OpenCart order totals"), nil, nil, nil, container.NewVScroll(container.NewVBox(totals)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.72
	bottom := container.NewVBox(heading(summary), note(state))
	if len(problems) > 0 {
		bottom.Add(note(strings.Join(problems, "\n")))
	}
	bottom.Add(container.NewHBox(copyJSON))
	return container.NewBorder(nil, bottom, nil, nil, split), nil
}
