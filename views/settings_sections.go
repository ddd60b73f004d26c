package views

import (
	"encoding/json"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// unsavedText marks a settings page with changes not saved yet.
const unsavedText = "● Unsaved changes: press Save settings to keep them."

// sectionNames are the settings' sections in page order (the engine's
// names: remedies point at them).
var sectionNames = []string{export.SectionShop, export.SectionXero, export.SectionInvoices, export.SectionAccounts,
	export.SectionRefunds, export.SectionRecords, export.SectionAuto}

// settingsSections are the page's sections, each an accordion item whose
// title says whether it is complete, and the unsaved-changes mark.
type settingsSections struct {
	acc     *widget.Accordion
	items   map[string]*widget.AccordionItem
	unsaved *widget.Label
	// baseline is the page as last loaded or saved (fingerprint).
	baseline string
	stop     chan struct{}
}

// sectionsUI lays the cards out as sections, all open.
func (s *settingsScreen) sectionsUI(content map[string]fyne.CanvasObject) fyne.CanvasObject {
	sec := &settingsSections{acc: widget.NewAccordion(), items: map[string]*widget.AccordionItem{}, unsaved: widget.NewLabel("")}
	sec.acc.MultiOpen = true
	sec.unsaved.Importance = widget.WarningImportance
	sec.unsaved.Hide()
	for _, name := range sectionNames {
		it := widget.NewAccordionItem(name, content[name])
		sec.items[name] = it
		sec.acc.Append(it)
	}
	sec.acc.OpenAll()
	s.sections = sec
	return sec.acc
}

// watchSections re-reads the page once a second while it is shown, so
// that the section titles and the unsaved mark follow what is typed.
func (s *settingsScreen) watchSections() {
	s.sections.stop = make(chan struct{})
	stop := s.sections.stop
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				do(func() {
					if s.u.tabs != nil && s.u.tabs.Selected() != nil && s.u.tabs.Selected().Text == "Settings" {
						s.refreshSections()
					}
				})
			}
		}
	}()
}

// stopWatching ends the once-a-second reading (the window closed).
func (s *settingsScreen) stopWatching() {
	if s.sections != nil && s.sections.stop != nil {
		close(s.sections.stop)
		s.sections.stop = nil
	}
}

// fingerprint is the page's values as typed, for telling unsaved changes.
func (s *settingsScreen) fingerprint() string {
	o, err := s.collectOptions()
	page := struct {
		Store   StoreConfig
		App     map[string]string
		Invoice string
		Options export.Settings
		Err     string
	}{Store: s.storeConfig(), App: s.xeroAppValues(), Invoice: s.invoiceStatus.Selected, Options: o}
	if err != nil {
		page.Err = err.Error()
	}
	b, _ := json.Marshal(page)
	return string(b)
}

// markSaved takes the page as it is now as saved.
func (s *settingsScreen) markSaved() {
	if s.sections == nil {
		return
	}
	s.sections.baseline = s.fingerprint()
	s.refreshSections()
}

// dirty reports unsaved changes on the page: values changed since the
// page was loaded or saved, or a section complete on the page that is not
// in the saved settings (accounts proposed from Xero, not saved yet).
func (s *settingsScreen) dirty() bool {
	if s.sections == nil || s.sections.baseline == "" {
		return false
	}
	if s.fingerprint() != s.sections.baseline {
		return true
	}
	o, err := s.collectOptions()
	if err != nil {
		return true
	}
	now := o.Incomplete()
	for sec := range s.options.Incomplete() {
		if _, still := now[sec]; !still {
			return true
		}
	}
	return false
}

// refreshSections writes each section's state in its title and shows the
// unsaved mark.
func (s *settingsScreen) refreshSections() {
	if s.sections == nil {
		return
	}
	now := map[string]string{}
	if o, err := s.collectOptions(); err == nil {
		now = o.Incomplete()
	} else {
		now[export.SectionRecords] = plainError(err) // the start date or the interval as typed
		if strings.Contains(err.Error(), "minutes") {
			now = map[string]string{export.SectionAuto: plainError(err)}
		}
	}
	saved := s.options.Incomplete()
	c := s.storeConfig()
	switch {
	case c.Host == "" || c.Database == "":
		now[export.SectionShop] = "enter the shop's database"
	case s.u.be.CheckStore(c) != nil:
		now[export.SectionShop] = plainError(s.u.be.CheckStore(c))
	}
	switch {
	case !strings.HasPrefix(s.tokenState.Text, "connected"):
		now[export.SectionXero] = "connect to Xero"
	case s.org.Selected == "":
		now[export.SectionXero] = "choose the organisation"
	}
	if !s.haveChoices {
		if _, ok := now[export.SectionAccounts]; !ok && now[export.SectionXero] != "" {
			now[export.SectionAccounts] = "connect to Xero to choose"
		}
	}
	changed := false
	for _, name := range sectionNames {
		title := sectionTitle(name, now[name], saved[name])
		if it := s.sections.items[name]; it.Title != title {
			it.Title, changed = title, true
		}
	}
	if changed {
		s.sections.acc.Refresh()
	}
	if s.dirty() {
		s.sections.unsaved.SetText(unsavedText)
		s.sections.unsaved.Show()
	} else {
		s.sections.unsaved.Hide()
	}
}

// sectionTitle is a section's name with whether it is complete.
func sectionTitle(name, missing, missingSaved string) string {
	switch {
	case missing != "":
		if i := strings.IndexByte(missing, '\n'); i > 0 {
			missing = missing[:i]
		}
		return name + "  ✘ " + missing
	case missingSaved != "" && name != export.SectionShop && name != export.SectionXero:
		return name + "  ✔ complete, not saved yet"
	}
	return name + "  ✔ complete"
}

// leavingSettings asks what to do with unsaved changes when another tab
// is chosen: save them, discard them (the saved settings are read back) or
// go back to Settings.
func (u *ui) leavingSettings() {
	if u.settings == nil || !u.settings.dirty() {
		return
	}
	var d dialog.Dialog
	save := widget.NewButton("Save settings", func() { d.Hide(); u.settings.save() })
	save.Importance = widget.HighImportance
	discard := widget.NewButton("Discard changes", func() { d.Hide(); u.settings.load() })
	back := widget.NewButton("Back to Settings", func() { d.Hide(); u.tabs.SelectIndex(tabIndex(TabSettings)) })
	d = dialog.NewCustomWithoutButtons("Unsaved changes in Settings",
		container.NewVBox(note("Settings has changes that are not saved: exports use the saved settings until you save."),
			container.NewHBox(save, discard, back)), u.win)
	d.Show()
}

// xeroCardOpen is the Xero card with Advanced open: the guided set-up
// shows the redirect URI to register.
func (s *settingsScreen) xeroCardOpen() fyne.CanvasObject {
	c := s.xeroCard()
	s.xeroAdvanced.OpenAll()
	return c
}

// askBeforeClosing asks, when Settings has unsaved changes, whether to
// close anyway (close) or go back to Settings; it reports whether it asked
// (the window then stays open until the answer).
func (u *ui) askBeforeClosing(close func()) bool {
	if u.settings == nil || !u.settings.dirty() {
		return false
	}
	var d dialog.Dialog
	discard := widget.NewButton("Close without saving", func() { d.Hide(); close() })
	back := widget.NewButton("Back to Settings", func() { d.Hide(); u.openSettings() })
	back.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons("Unsaved changes in Settings",
		container.NewVBox(note("Settings has changes that are not saved: closing now loses them."),
			container.NewHBox(back, discard)), u.win)
	d.Show()
	return true
}
