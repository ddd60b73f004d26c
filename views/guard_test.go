package views

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/opencart-xero/opencart-xero/sync/export"
)

func TestGuard(t *testing.T) {
	for _, tc := range []struct {
		name string
		work func() error
		want string // substring of the error; "" = no error
	}{
		{"success", func() error { return nil }, ""},
		{"error passes through", func() error { return errors.New("shop unreachable") }, "shop unreachable"},
		{"panic becomes an error", func() error { panic("index out of range [3] with length 2") }, "internal error in the test: index out of range"},
		{"runtime error", func() error { var s []int; _ = s[len(s)+1]; return nil }, "index out of range [1] with length 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := guard("the test", tc.work)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("guard = %v, want %q", err, tc.want)
			}
		})
	}
}

// panickingBackend panics in every export; the rest of Backend is unused.
type panickingBackend struct{ Backend }

func (panickingBackend) Export(ctx context.Context, req export.Request, p export.Progress) (export.Summary, error) {
	panic("a fault in the engine")
}

// TestExportPanicEndsTheRunPlainly: a panic in the export the window
// started ends that run with a plain message; the window stays up and can
// start the next run.
func TestExportPanicEndsTheRunPlainly(t *testing.T) {
	a := test.NewTempApp(t)
	u := &ui{app: a, win: a.NewWindow("test"), be: panickingBackend{}}
	p := newProgress(u)
	p.buildUI()
	if !p.start(export.Request{Scope: export.ScopeAll}) {
		t.Fatal("the export did not start")
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.Running() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	var text string
	Sync(func() { text = p.label.Text })
	if p.Running() || !strings.Contains(text, "Internal error in the export run: a fault in the engine") {
		t.Errorf("running %v, label %q", p.Running(), text)
	}
	if !p.start(export.Request{Scope: export.ScopeAll}) {
		t.Error("no new export can start after the panic")
	}
}
