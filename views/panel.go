package views

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// The run panel while a run goes shows its stage, the bar and Cancel; when
// the run ends it collapses to one status line (the label never wraps, so
// the panel stays one line high whatever the text) with the button that
// fixes why it stopped, Details for the whole text, and Dismiss.

// endButtons are the panel's buttons: Cancel during a run, the others after.
func (p *progress) endButtons() []fyne.CanvasObject {
	p.fix = widget.NewButton("", nil)
	p.fix.Importance = widget.HighImportance
	p.details = widget.NewButtonWithIcon("Details", theme.InfoIcon(), func() {
		dialog.ShowInformation("Last export", p.label.Text, p.u.win)
	})
	p.dismiss = widget.NewButtonWithIcon("Dismiss", theme.CancelIcon(), p.dismissPanel)
	for _, b := range []*widget.Button{p.fix, p.details, p.dismiss} {
		b.Hide()
	}
	return []fyne.CanvasObject{p.fix, p.details, p.cancel, p.dismiss}
}

// expand shows the panel of a run under way.
func (p *progress) expand() {
	p.lastErr = nil
	p.bar.Hide() // a bar at 0 % looks busy; it shows with the first record done (Report)
	p.cancel.Show()
	p.fix.Hide()
	p.details.Hide()
	p.dismiss.Hide()
}

// collapse turns the panel of a finished run into its status line.
func (p *progress) collapse(err error) {
	p.lastErr = err
	p.bar.Hide()
	p.cancel.Hide()
	p.details.Show()
	p.dismiss.Show()
	if r, ok := p.u.remedyFor(err); ok {
		p.fix.SetText(r.text)
		p.fix.SetIcon(r.icon)
		p.fix.OnTapped = r.do
		p.fix.Show()
	} else {
		p.fix.Hide()
	}
}

// dismissPanel hides the status line of a finished run.
func (p *progress) dismissPanel() {
	if p.Running() {
		return
	}
	p.box.Hide()
}

// settingsSaved hides a run's complaint about the settings once they are
// saved complete: the old message no longer applies.
func (p *progress) settingsSaved(valid bool) {
	if valid && !p.Running() && errors.Is(p.lastErr, export.ErrSettings) {
		p.dismissPanel()
	}
}
