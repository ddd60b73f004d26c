package views

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestCreateHasOneTabPerScreen(t *testing.T) {
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	tabs := Create(a, w, Deps{ProfileDir: "/home/bookkeeper/.config/opencart-xero", SecretsWarning: "no OS keychain is available"})
	w.SetContent(tabs)
	w.Resize(DefaultSize)

	var names []string
	for _, it := range tabs.Items {
		names = append(names, it.Text)
	}
	if got := strings.Join(names, ","); got != "Settings,Customers,Orders,History" {
		t.Fatalf("tabs = %s", got)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(tabs.Items[0].Content) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"/home/bookkeeper/.config/opencart-xero", "no OS keychain is available"} {
		if !strings.Contains(all, want) {
			t.Errorf("settings screen does not show %q; labels: %q", want, all)
		}
	}
}
