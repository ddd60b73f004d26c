package views

import (
	"strings"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

// sectionTitles are the settings sections' titles by name.
func sectionTitles(s *settingsScreen) map[string]string {
	out := map[string]string{}
	for name, it := range s.sections.items {
		out[name] = it.Title
	}
	return out
}

// TestSettingsSections: the page is in sections, each saying whether it is
// complete; proposals never saved show as such with the unsaved mark;
// saving clears it; a change made afterwards shows it again, and leaving
// the tab asks what to do with it.
func TestSettingsSections(t *testing.T) {
	t.Parallel()
	be := newFakeBackend() // saved settings: no accounts chosen yet
	w, s := settingsLoaded(t, be)
	w.waitFor("the sections' states", func() bool {
		ti := sectionTitles(s)
		return ti[export.SectionAccounts] == "Accounts & tax  ✔ complete, not saved yet" && s.sections.unsaved.Visible()
	})
	Sync(func() {
		ti := sectionTitles(s)
		for name, want := range map[string]string{
			export.SectionShop: "Shop  ✔ complete", export.SectionXero: "Xero  ✔ complete",
			export.SectionRecords: "Which records export  ✔ complete", export.SectionAuto: "Automatic export  ✔ complete",
		} {
			if ti[name] != want {
				t.Errorf("%s: %q, want %q", name, ti[name], want)
			}
		}
		if got := s.sections.unsaved.Text; got != unsavedText {
			t.Errorf("unsaved mark %q", got)
		}
		if w.hasLabel("http://localhost:28512/callback") {
			t.Error("the redirect URI shows outside Advanced")
		}
	})
	w.tap("Save settings")
	w.waitFor("saved and complete", func() bool {
		return strings.HasPrefix(s.saved.Text, "Saved.") && !s.sections.unsaved.Visible() &&
			sectionTitles(s)[export.SectionAccounts] == "Accounts & tax  ✔ complete"
	})

	// A change, read by the page within a second.
	Sync(func() { s.accounts[0].ClearSelected() })
	w.waitFor("the change marked", func() bool {
		return s.sections.unsaved.Visible() && sectionTitles(s)[export.SectionAccounts] == "Accounts & tax  ✘ no account chosen for sales"
	})
	Sync(func() { w.u.tabs.SelectIndex(tabIndex(TabOrders)) })
	w.waitFor("the question", func() bool { return w.hasLabel("Settings has changes that are not saved") })
	w.tap("Discard changes")
	w.waitFor("the saved settings read back", func() bool {
		return !s.sections.unsaved.Visible() && s.accounts[0].Selected != ""
	})
	Sync(func() {
		if strings.Contains(strings.Join(be.calls, " "), "SaveExportSettings") && len(be.savedOptions) != 1 {
			t.Errorf("discarding saved: %d saves", len(be.savedOptions))
		}
	})
}

// TestSettingsAdvancedHoldsTheAppDetails: app type, client secret and
// redirect URI are under Advanced, shown when it is opened.
func TestSettingsAdvancedHoldsTheAppDetails(t *testing.T) {
	t.Parallel()
	be := newFakeBackend()
	w, _ := settingsLoaded(t, be)
	Sync(func() {
		if w.hasLabel("http://localhost:28512/callback") {
			t.Error("the redirect URI shows before Advanced is opened")
		}
	})
	w.tap(xeroAdvancedTitle) // the fold's header is a button
	w.waitFor("the redirect URI", func() bool { return w.hasLabel("http://localhost:28512/callback") })
}

// TestClosingAsksAboutUnsavedSettings: closing the window with unsaved
// settings asks first; going back keeps the window and the changes.
func TestClosingAsksAboutUnsavedSettings(t *testing.T) {
	t.Parallel()
	be := newFakeBackend() // the proposed accounts are not saved yet
	w, s := settingsLoaded(t, be)
	w.waitFor("the unsaved mark", func() bool { return s.sections.unsaved.Visible() })
	closed := false
	Sync(func() {
		if !w.u.askBeforeClosing(func() { closed = true }) {
			t.Error("closing with unsaved settings did not ask")
		}
	})
	w.waitFor("the question", func() bool { return w.hasLabel("closing now loses them") })
	w.tap("Back to Settings")
	Sync(func() {
		if closed {
			t.Error("the window closed after Back to Settings")
		}
	})
	w.tap("Save settings")
	w.waitFor("saved", func() bool { return !s.sections.unsaved.Visible() && strings.HasPrefix(s.saved.Text, "Saved.") })
	Sync(func() {
		if w.u.askBeforeClosing(func() { closed = true }) {
			t.Error("asked with nothing unsaved")
		}
	})
}
