package app

import (
	"context"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/opencart-xero/opencart-xero/views"
)

// AppID is the application id, as in FyneApp.toml.
const AppID = "io.github.opencart_xero"

// runWindow opens the main window and blocks until it is closed.
func runWindow(ctx context.Context, env *Env) error {
	p, err := env.Profile(ctx)
	if err != nil {
		return err
	}
	a := fyneapp.NewWithID(AppID)
	w := a.NewWindow("OpenCart → Xero")
	w.SetContent(views.Create(a, w, views.Deps{ProfileDir: p.Dir, SecretsWarning: p.Secrets.Warning()}))
	w.Resize(views.DefaultSize)
	w.SetMaster()
	w.ShowAndRun()
	return nil
}
