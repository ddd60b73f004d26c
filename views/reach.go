package views

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
)

// StoreReach is how the shop database is reached, as the form shows it:
// the settings store.tls, store.tls_ca and store.ssh*.
type StoreReach struct {
	TLS           string // a reach.TLSMode; "" = auto
	TLSCA         string
	SSH           string // user@host[:port]; "" = direct
	SSHKey        string
	SSHPassphrase string
	SSHPassword   string
	// SSHHostKey is the pinned fingerprint; "" until the first connection.
	SSHHostKey string
}

// tlsChoices are the TLS modes in the bookkeeper's words.
var tlsChoices = []struct {
	mode  reach.TLSMode
	label string
}{
	{reach.TLSAuto, "Automatic (verified over the internet, off on this computer and through SSH)"},
	{reach.TLSOff, "Off"},
	{reach.TLSPreferred, "When the server offers it (certificate not checked)"},
	{reach.TLSRequired, "Always (certificate not checked)"},
	{reach.TLSVerify, "Always, and check the certificate"},
}

// reachSection is the part of the shop form that says how the database
// is reached: TLS, the SSH tunnel, and reading config.php.
type reachSection struct {
	s *settingsScreen

	tls       *widget.Select
	tlsCA     *widget.Entry
	tlsState  *widget.Label
	viaSSH    *widget.Check
	sshBox    *fyne.Container
	server    *widget.Entry
	key       *widget.Entry
	phrase    *widget.Entry
	password  *widget.Entry
	hostKey   *widget.Label
	pinned    string
	configBtn *widget.Button
	notes     *widget.Label
}

func newReachSection(s *settingsScreen) *reachSection {
	r := &reachSection{s: s}
	labels := make([]string, len(tlsChoices))
	for i, c := range tlsChoices {
		labels[i] = c.label
	}
	r.tls = widget.NewSelect(labels, nil)
	r.tls.SetSelectedIndex(0)
	r.tlsCA = widget.NewEntry()
	r.tlsCA.SetPlaceHolder("CA certificate file (managed databases); empty = the system's")
	r.tlsState = note("")
	r.server = widget.NewEntry()
	r.server.SetPlaceHolder("user@shop.example.com or user@host:2222")
	r.server.Validator = func(v string) error { return s.u.be.CheckSetting("store.ssh", v) }
	r.server.OnChanged = func(string) { r.setPinned("") } // the pin belongs to the server it was seen on
	r.key = widget.NewEntry()
	r.key.SetPlaceHolder("private key file, e.g. ~/.ssh/id_ed25519 (or leave empty for a password or the SSH agent)")
	r.phrase = widget.NewPasswordEntry()
	r.phrase.SetPlaceHolder("the key's passphrase, if it has one")
	r.password = widget.NewPasswordEntry()
	r.password.SetPlaceHolder("the SSH account's password, if it logs in with one")
	r.hostKey = note("")
	chooseKey := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		r.chooseFile(func(path string) { r.key.SetText(path) })
	})
	r.sshBox = container.NewVBox(widget.NewForm(
		widget.NewFormItem("SSH server", r.server),
		widget.NewFormItem("Key file", container.NewBorder(nil, nil, nil, chooseKey, r.key)),
		widget.NewFormItem("Key passphrase", r.phrase),
		widget.NewFormItem("SSH password", r.password)), r.hostKey,
		note("Through SSH, the database host above is as the SSH server sees it: usually 127.0.0.1."))
	r.sshBox.Hide()
	r.viaSSH = widget.NewCheck("Connect through SSH (the database only listens on the shop's server)", func(on bool) {
		if on {
			r.sshBox.Show()
		} else {
			r.sshBox.Hide()
		}
		r.update()
	})
	r.configBtn = widget.NewButtonWithIcon("Read from config.php…", theme.FileIcon(), r.readConfigPHP)
	r.notes = note("")
	r.notes.Importance = widget.WarningImportance
	r.notes.Hide()
	r.tls.OnChanged = func(string) { r.update() }
	prev := s.host.OnChanged
	s.host.OnChanged = func(v string) {
		if prev != nil {
			prev(v)
		}
		r.update()
	}
	r.update()
	return r
}

// ui is the section below the form's fields.
func (r *reachSection) ui() fyne.CanvasObject {
	return container.NewVBox(
		widget.NewForm(widget.NewFormItem("Encryption (TLS)", r.tls), widget.NewFormItem("TLS certificate authority", r.tlsCA)),
		r.tlsState, r.viaSSH, r.sshBox, container.NewHBox(r.configBtn), r.notes)
}

func (r *reachSection) mode() reach.TLSMode {
	i := r.tls.SelectedIndex()
	if i < 0 {
		return reach.TLSAuto
	}
	return tlsChoices[i].mode
}

// update says what encryption the connection will really have.
func (r *reachSection) update() {
	route := reach.Route{TLS: r.mode()}
	if r.viaSSH.Checked {
		route.SSH.Server = "ssh"
	}
	host := strings.TrimSpace(r.s.host.Text)
	state := "This connection: "
	switch m := route.Effective(host); {
	case host == "" && route.SSH.Server == "" && r.mode() == reach.TLSAuto:
		state += "encryption follows the host (verified for another computer)."
	case m == reach.TLSVerify:
		state += "encrypted, the server's certificate checked."
	case m == reach.TLSRequired:
		state += "encrypted, but the certificate is not checked."
	case m == reach.TLSPreferred:
		state += "encrypted only if the server offers it."
	default:
		state += "not encrypted by TLS."
	}
	if r.viaSSH.Checked {
		state += " The SSH tunnel encrypts everything on the way."
	}
	r.tlsState.Importance = widget.MediumImportance
	overInternet := (reach.Route{}).Effective(host) == reach.TLSVerify // not this computer
	if m := route.Effective(host); !r.viaSSH.Checked && host != "" && overInternet && (m == reach.TLSOff || m == reach.TLSPreferred) {
		state += " ⚠ Over the internet, the password and the shop's data could be read on the way."
		r.tlsState.Importance = widget.WarningImportance
	}
	r.tlsState.SetText(state)
}

func (r *reachSection) setPinned(fp string) {
	r.pinned = fp
	if fp == "" {
		r.hostKey.SetText("Server's host key: not pinned yet; Test connection shows it and pins it when you save.")
		return
	}
	r.hostKey.SetText("Server's host key (pinned): " + fp + ". A server showing another key is refused.")
}

// config is the section as typed.
func (r *reachSection) config() StoreReach {
	c := StoreReach{TLS: string(r.mode()), TLSCA: strings.TrimSpace(r.tlsCA.Text)}
	if r.viaSSH.Checked {
		c.SSH, c.SSHKey = strings.TrimSpace(r.server.Text), strings.TrimSpace(r.key.Text)
		c.SSHPassphrase, c.SSHPassword, c.SSHHostKey = r.phrase.Text, r.password.Text, r.pinned
	}
	return c
}

// fill shows the saved settings.
func (r *reachSection) fill(c StoreReach) {
	r.tls.SetSelectedIndex(0)
	for i, ch := range tlsChoices {
		if string(ch.mode) == c.TLS {
			r.tls.SetSelectedIndex(i)
		}
	}
	r.tlsCA.SetText(c.TLSCA)
	r.server.SetText(c.SSH)
	r.key.SetText(c.SSHKey)
	r.phrase.SetText(c.SSHPassphrase)
	r.password.SetText(c.SSHPassword)
	r.setPinned(c.SSHHostKey)
	r.viaSSH.SetChecked(c.SSH != "")
	r.update()
}

// tested takes the host key a first connection showed, to pin on save.
func (r *reachSection) tested(sum opencart.Summary) {
	if r.viaSSH.Checked && r.pinned == "" && sum.SSHHostKey != "" {
		r.setPinned(sum.SSHHostKey)
		r.hostKey.SetText("First connection: the server's host key is " + sum.SSHHostKey +
			". Compare it with what your hosting company shows; it is pinned when you save.")
	}
}

func (r *reachSection) chooseFile(done func(path string)) {
	d := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
		if err != nil || f == nil {
			return
		}
		f.Close()
		done(f.URI().Path())
	}, r.s.u.win)
	d.Show()
}

// readConfigPHP fills the form from config.php: a file on the SSH server
// when connecting through SSH, else one on this computer.
func (r *reachSection) readConfigPHP() {
	if !r.viaSSH.Checked {
		d := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
			if err != nil || f == nil {
				return
			}
			f.Close()
			r.fillFromConfigPHP(f.URI().Path(), false)
		}, r.s.u.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".php"}))
		d.Show()
		return
	}
	path := widget.NewEntry()
	path.SetText("/var/www/html/config.php")
	dialog.ShowForm("Read config.php from the SSH server", "Read", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Path on the server", path)}, func(ok bool) {
			if ok {
				r.fillFromConfigPHP(strings.TrimSpace(path.Text), true)
			}
		}, r.s.u.win)
}

func (r *reachSection) fillFromConfigPHP(path string, onServer bool) {
	c := r.s.storeConfig()
	r.configBtn.Disable()
	type result struct {
		c     StoreConfig
		notes []string
	}
	background(r.s.u, func(ctx context.Context) (result, error) {
		filled, notes, err := r.s.u.be.ReadConfigPHP(ctx, c, path, onServer)
		return result{filled, notes}, err
	}, func(res result, err error) {
		r.configBtn.Enable()
		if err != nil {
			r.s.u.showError("config.php", err)
			return
		}
		r.s.fillStore(res.c)
		msg := fmt.Sprintf("Filled from %s; check the fields, then Test connection and Save.", path)
		for _, n := range res.notes {
			msg += "\n⚠ " + n
		}
		r.notes.SetText(msg)
		r.notes.Show()
	})
}

// fillStore shows a shop connection's database fields.
func (s *settingsScreen) fillStore(c StoreConfig) {
	s.host.SetText(c.Host)
	s.port.SetText(fmt.Sprint(c.Port))
	s.database.SetText(c.Database)
	s.user.SetText(c.User)
	s.password.SetText(c.Password)
	s.prefix.SetText(c.Prefix)
}
