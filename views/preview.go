package views

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
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
// description, quantity, unit price, account, tax rate, tax, amount. The
// contact is named by its name, a tax type by Xero's display name
// (taxNames), a status as Xero's web app says it.
func previewLines(doc any, taxNames map[string]string) (head string, cells [][]string, raw string, err error) {
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
	if to == "" {
		to = "contact " + d.Contact.ContactNumber
	}
	head = fmt.Sprintf("%s %s to %s · %s · %s", docName(d.Type), d.InvoiceNumber, to, xeroStatusWords(d.Status), d.CurrencyCode)
	if d.Reference != "" {
		head += " · reference " + d.Reference
	}
	for _, l := range d.LineItems {
		amount := money(l.LineAmount)
		if l.DiscountAmount != "" {
			amount += " (discount " + money(l.DiscountAmount) + ")"
		}
		tax := l.TaxType
		if name, ok := taxNames[tax]; ok {
			tax = name
		}
		cells = append(cells, []string{l.Description, l.Quantity.String(), money(l.UnitAmount), l.AccountCode, tax, money(l.TaxAmount), amount})
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
		var d dialog.Dialog
		content, err := previewUI(u, orderID, p, func() { d.Hide() })
		if err != nil {
			u.showError(fmt.Sprintf("Preview of order %d", orderID), err)
			return
		}
		d = dialog.NewCustom(fmt.Sprintf("Order %d in Xero", orderID), "Close", content, u.win)
		d.Resize(fyne.NewSize(u.win.Canvas().Size().Width*0.92, u.win.Canvas().Size().Height*0.88))
		d.Show()
	})
}

// linesGrid is a document's lines, one row each.
func linesGrid(cells [][]string) *fyne.Container {
	lines := container.New(&linesLayout{cols: 7})
	for _, h := range []string{"Description", "Qty", "Unit price", "Account", "Tax rate", "Tax", "Amount"} {
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
	return lines
}

// comparedText says whether what Xero holds is what would be sent now,
// each difference on its own marked line; "" when there is nothing in
// Xero to compare with.
func comparedText(held bool, xeroErr string, diffs []string) string {
	switch {
	case xeroErr != "":
		return "What Xero holds could not be read: " + plainError(errors.New(xeroErr))
	case !held:
		return ""
	case len(diffs) == 0:
		return "✔ Xero holds the same as would be sent now."
	}
	out := "✘ Xero holds something else than would be sent now:"
	for _, d := range diffs {
		out += "\n✘ " + d
	}
	return out
}

// exportStateText is a preview's account of the record's export: why it
// is excluded, or that it is not exported yet, or its last export.
func exportStateText(rec history.Record, excluded, notYet string) string {
	switch {
	case rec.State == "" && excluded != "":
		return excluded + ". Nothing will be sent while it is."
	case rec.State == "":
		return notYet
	}
	state := fmt.Sprintf("Last export: %s %s", rec.State, rec.XeroNumber)
	if rec.Error != "" {
		state += " — " + rec.Error
	}
	if excluded != "" {
		state += "\n" + excluded + "."
	}
	return state
}

// previewUI lays out the Xero document line by line beside OpenCart's
// totals, with whether they match, and what Xero holds now; for a draft
// Xero lets be updated, the button that updates it (close is called
// before the preview is shown again, updated).
func previewUI(u *ui, orderID int, p export.Preview, close func()) (fyne.CanvasObject, error) {
	head, cells, raw, err := previewLines(p.Invoice, p.TaxNames)
	if err != nil {
		return nil, err
	}
	body := container.NewVBox(linesGrid(cells))
	if p.InXero != nil {
		_, held, _, err := previewLines(*p.InXero, p.TaxNames)
		if err != nil {
			return nil, err
		}
		body.Add(heading("In Xero now (" + p.Record.XeroNumber + ")"))
		body.Add(linesGrid(held))
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
	state := exportStateText(p.Record, p.Excluded, "Not exported yet: this is what will be sent.")
	left := container.NewBorder(container.NewVBox(note(head), heading("Xero document, line by line")), nil, nil, nil, container.NewVScroll(body))
	right := container.NewBorder(heading("OpenCart order totals"), nil, nil, nil, container.NewVScroll(container.NewVBox(totals)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.72
	bottom := container.NewVBox(heading(summary), note(state))
	if c := comparedText(p.InXero != nil, p.XeroError, p.Differences); c != "" {
		bottom.Add(note(c))
	}
	if len(problems) > 0 {
		bottom.Add(note(strings.Join(problems, "\n")))
	}
	buttons := container.NewHBox()
	if export.CanUpdateDraft(p) { // the engine's rule: a Draft or Awaiting Approval that differs
		var update *widget.Button
		update = widget.NewButtonWithIcon(updateDraftText, theme.UploadIcon(), func() { u.updateDraft(orderID, update, close) })
		update.Importance = widget.HighImportance
		buttons.Add(update)
	}
	if len(buttons.Objects) > 0 {
		bottom.Add(buttons)
	}
	bottom.Add(advancedJSON(u, "Copy the document (JSON)", raw))
	return container.NewBorder(nil, bottom, nil, nil, split), nil
}

// previewAdvancedTitle is the fold of a preview's technical details.
const previewAdvancedTitle = "Advanced: the document as Xero receives it"

// advancedJSON is the fold, closed at first, that holds the button
// copying the documents as JSON: for whoever checks them with Xero's API.
func advancedJSON(u *ui, label, raw string) *widget.Accordion {
	return widget.NewAccordion(widget.NewAccordionItem(previewAdvancedTitle,
		container.NewHBox(copyButton(u, label, func() string { return raw }))))
}

// updateDraftText is the preview's button that updates a draft in Xero.
const updateDraftText = "Update the draft in Xero"

// updateDraft asks the engine to update the order's draft in Xero; the
// preview is then shown again as it is now, or the error says why not.
func (u *ui) updateDraft(orderID int, b *widget.Button, close func()) {
	b.Disable()
	background(u, func(ctx context.Context) (export.Preview, error) {
		return u.be.UpdateDraft(ctx, orderID)
	}, func(_ export.Preview, err error) {
		if err != nil {
			b.Enable()
			u.showError(fmt.Sprintf("Update of order %d's draft", orderID), err)
			return
		}
		close()
		showPreview(u, orderID)
	})
}

// showDocumentsPreview reads an order's credit notes or payment in the
// background and shows them, each beside what Xero holds.
func showDocumentsPreview(u *ui, kind string, orderID int) {
	what := map[string]string{history.KindCreditNote: "Credit notes", history.KindPayment: "Payment"}[kind]
	background(u, func(ctx context.Context) ([]export.DocumentPreview, error) {
		return u.be.PreviewDocuments(ctx, kind, orderID)
	}, func(ps []export.DocumentPreview, err error) {
		title := fmt.Sprintf("%s of order %d", what, orderID)
		if err != nil {
			u.showError("Preview of "+strings.ToLower(title[:1])+title[1:], err)
			return
		}
		content, err := documentsUI(u, kind, ps)
		if err != nil {
			u.showError("Preview of "+strings.ToLower(title[:1])+title[1:], err)
			return
		}
		d := dialog.NewCustom(title+" in Xero", "Close", content, u.win)
		d.Resize(fyne.NewSize(u.win.Canvas().Size().Width*0.92, u.win.Canvas().Size().Height*0.88))
		d.Show()
	})
}

// documentsUI lays out each document of a preview: what would be sent
// now, what Xero holds, the differences, the export state.
func documentsUI(u *ui, kind string, ps []export.DocumentPreview) (fyne.CanvasObject, error) {
	box := container.NewVBox()
	if len(ps) == 0 {
		box.Add(note("The shop gave nothing back on this order: there is no credit note to send."))
	}
	var raws []string
	for _, p := range ps {
		box.Add(heading(fmt.Sprintf("%s · %s %s", p.Title, p.Currency, p.Amount)))
		switch {
		case p.Document == nil:
			box.Add(note("Nothing would be sent: " + p.Skipped))
		case kind == history.KindPayment:
			box.Add(note("Would be sent now: " + paymentText(p.Document)))
			if p.Note != "" {
				box.Add(note(p.Note))
			}
			if p.InXero != nil {
				box.Add(note("In Xero now: " + paymentText(p.InXero)))
			}
		default:
			head, cells, raw, err := previewLines(p.Document, p.TaxNames)
			if err != nil {
				return nil, err
			}
			raws = append(raws, raw)
			box.Add(note(head))
			box.Add(linesGrid(cells))
			if p.InXero != nil {
				head, held, _, err := previewLines(p.InXero, p.TaxNames)
				if err != nil {
					return nil, err
				}
				box.Add(heading("In Xero now (" + p.Record.XeroNumber + ")"))
				box.Add(note(head))
				box.Add(linesGrid(held))
			}
		}
		if c := comparedText(p.InXero != nil, p.XeroError, p.Differences); c != "" {
			box.Add(note(c))
		}
		box.Add(note(exportStateText(p.Record, p.Excluded, "Not exported yet: this is what will be sent.")))
		for _, pr := range p.Problems {
			box.Add(note(fmt.Sprintf("• %s: %s", pr.Field, pr.Message)))
		}
		box.Add(widget.NewSeparator())
	}
	var bottom fyne.CanvasObject = layout.NewSpacer()
	if len(raws) > 0 {
		bottom = advancedJSON(u, "Copy the documents (JSON)", strings.Join(raws, "\n"))
	}
	return container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(box)), nil
}

// paymentText is a payment in one line: amount, date, account, invoice.
func paymentText(doc any) string {
	b, err := json.Marshal(doc)
	if err != nil {
		return ""
	}
	var p struct {
		Amount  json.Number
		Date    string
		Account struct{ Code string }
		Invoice struct{ InvoiceNumber string }
		Status  string
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&p) != nil {
		return ""
	}
	out := money(p.Amount)
	if p.Date != "" {
		out += " on " + p.Date
	}
	if p.Account.Code != "" {
		out += " into account " + p.Account.Code
	}
	if p.Invoice.InvoiceNumber != "" {
		out += " against invoice " + p.Invoice.InvoiceNumber
	}
	if p.Status != "" {
		out += " · " + p.Status
	}
	return out
}

// linesLayout lays out a document's lines as a table: each column as wide
// as its widest cell, the first (the description, which wraps) taking
// what is left; each row as high as its tallest cell. An equal-cell grid
// made every column as wide as "20% (VAT on Income)", wider than the
// preview, and the heading row as high as a wrapped description.
type linesLayout struct{ cols int }

func (l *linesLayout) widths(objs []fyne.CanvasObject) []float32 {
	w := make([]float32, l.cols)
	for i, o := range objs {
		if c := i % l.cols; c > 0 {
			w[c] = max(w[c], o.MinSize().Width)
		}
	}
	return w
}

// descriptionMin is the narrowest the description column gets.
const descriptionMin = 160

func (l *linesLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	width := float32(descriptionMin)
	for _, w := range l.widths(objs)[1:] {
		width += w + pad
	}
	var height float32
	for r := 0; r*l.cols < len(objs); r++ {
		var h float32
		for _, o := range objs[r*l.cols : min(len(objs), (r+1)*l.cols)] {
			h = max(h, o.MinSize().Height)
		}
		height += h
	}
	return fyne.NewSize(width, height)
}

func (l *linesLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	w := l.widths(objs)
	rest := size.Width
	for _, cw := range w[1:] {
		rest -= cw + pad
	}
	w[0] = max(rest, descriptionMin)
	var y float32
	for r := 0; r*l.cols < len(objs); r++ {
		row := objs[r*l.cols : min(len(objs), (r+1)*l.cols)]
		var h float32
		for i, o := range row {
			o.Resize(fyne.NewSize(w[i], o.MinSize().Height))
			h = max(h, o.MinSize().Height)
		}
		var x float32
		for i, o := range row {
			o.Resize(fyne.NewSize(w[i], h))
			o.Move(fyne.NewPos(x, y))
			x += w[i] + pad
		}
		y += h
	}
}
